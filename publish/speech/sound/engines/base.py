"""What every speech engine offers: one interface, so the edition code never knows which
engine (an online service or the bundled offline synthesiser) made a clip."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol

from ....errors import ConfigError


@dataclass(frozen=True)
class Prosody:
    """Rate, volume and pitch as edge-tts spells them: ``+10%``, ``-5%``, ``+0Hz``."""

    rate: str = "+0%"
    volume: str = "+0%"
    pitch: str = "+0Hz"

    def __post_init__(self) -> None:
        for name, pattern in (("rate", r"[+-]\d+%"), ("volume", r"[+-]\d+%"), ("pitch", r"[+-]\d+Hz")):
            value = getattr(self, name)
            if not re.fullmatch(pattern, value):
                example = "+10Hz" if name == "pitch" else "+10%"
                raise ConfigError(f"{value!r} is not like {example}", key=name)

    @property
    def key(self) -> str:
        return f"{self.rate}/{self.volume}/{self.pitch}"


@dataclass(frozen=True)
class Voice:
    """A voice an engine offers."""

    name: str  # zh-CN-YunyangNeural, cmn
    locale: str  # zh-CN
    gender: str = ""  # Male | Female | ""
    engine: str = ""
    description: str = ""


@dataclass
class Clip:
    """Audio for one request, as the engine produced it.

    `data` is MP3 (format "mp3") or signed 16-bit little-endian mono PCM (format "pcm16") at
    `sample_rate`. `sentences` are the start times (seconds from the clip start) of the
    sentences the engine reported, in order; empty when it reports none.
    """

    data: bytes
    format: str
    sample_rate: int
    sentences: list[float] = field(default_factory=list)


class Engine(Protocol):
    """A text-to-speech engine. `synthesize` is called concurrently (up to `--requests` at once)
    from one asyncio loop; an engine that cannot run concurrently serialises internally."""

    name: str  # registry name: "edge", "offline"
    default_voice: str

    @property
    def version(self) -> str:
        """Goes into the cache key: a new engine version re-synthesises."""
        ...

    async def synthesize(self, text: str, voice: str, prosody: Prosody) -> Clip:
        """Audio for `text` (already normalised for speech, a few hundred characters at most)."""
        ...

    async def voices(self) -> list[Voice]: ...

    async def close(self) -> None: ...
