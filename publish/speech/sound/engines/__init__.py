"""The engine registry: a name on the command line → the class that speaks.

Engines are imported only when chosen, so `publish --help` never loads edge-tts or espeak-ng.
"""

from __future__ import annotations

import importlib

from ....errors import SpeechError
from .base import Clip, Engine, Prosody, Voice

ENGINES: dict[str, str] = {
    "edge": "publish.speech.sound.engines.edge:EdgeEngine",
    "offline": "publish.speech.sound.engines.offline:OfflineEngine",
}
CHOICES = ("auto", *ENGINES)

__all__ = [
    "CHOICES",
    "ENGINES",
    "Clip",
    "Engine",
    "Prosody",
    "Voice",
    "create",
]


def create(name: str, **options) -> Engine:
    """A new engine by registry name; `options` go to its constructor."""
    if name not in ENGINES:
        raise SpeechError(f"unknown engine {name!r} (choose from {', '.join(CHOICES)})")
    module, _, attribute = ENGINES[name].partition(":")
    return getattr(importlib.import_module(module), attribute)(**options)
