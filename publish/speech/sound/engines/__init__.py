"""The engine registry: a name on the command line → the class that speaks.

Engines are imported only when chosen, so `publish --help` never loads edge-tts or espeak-ng.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

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


def list_voices(engine: str, warn: Callable[[str], None] = lambda message: None) -> list[Voice]:
    """The voices `engine` offers; `auto` lists edge's, or (with a warning) the offline engine's
    when the service cannot be reached."""
    import asyncio

    from ....errors import EngineUnavailable

    async def listing(name: str) -> list[Voice]:
        chosen = create(name)
        try:
            return await chosen.voices()
        finally:
            await chosen.close()

    try:
        return asyncio.run(listing("edge" if engine == "auto" else engine))
    except EngineUnavailable as problem:
        if engine != "auto":
            raise
        warn(f"{problem}; listing the offline engine's voices")
        return asyncio.run(listing("offline"))
