"""The bundled offline engine: espeak-ng (`publish.speech.espeak`) as an `Engine`. Robotic but
intelligible Mandarin; nothing is downloaded, and the same text gives the same bytes.

Each synthesis runs on a freshly loaded library (its C statics change the audio otherwise: see
`publish.speech.espeak`); every call runs in the one worker thread of the process's espeak runtime.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ...espeak import DEFAULT_VOICE, PINYIN_VOICE, RUNTIME, Espeak, voice_for
from .base import Clip, Prosody, Voice

T = TypeVar("T")

DEFAULT_WPM = 175  # espeakRATE_NORMAL, which the Chinese voices keep
MIN_WPM, MAX_WPM = 80, 450
PITCH_REFERENCE_HZ = 100.0  # cmn's pitch range is 80–118 Hz

VOICES = [
    Voice("cmn", "zh-CN", "Male", "offline", "Mandarin (espeak-ng); Latin read as English"),
    Voice(PINYIN_VOICE, "zh-CN", "Male", "offline", "Mandarin (espeak-ng); pinyin with tone numbers read as pinyin"),
    Voice("yue", "zh-HK", "Male", "offline", "Cantonese (espeak-ng)"),
]


def _percent(value: str) -> int:
    return int(value.rstrip("%"))


def rate_wpm(rate: str) -> int:
    """edge-tts rate ("+10%") → espeak words per minute, scaled from the voice's 175."""
    return max(MIN_WPM, min(MAX_WPM, round(DEFAULT_WPM * (1 + _percent(rate) / 100))))


def volume_level(volume: str) -> int:
    """edge-tts volume ("-20%") → espeak amplitude around its default 100 (0–200)."""
    return max(0, min(200, 100 + _percent(volume)))


def pitch_level(pitch: str) -> int:
    """edge-tts pitch ("+10Hz") → espeak pitch 0–100 (50 = voice default). espeak scales the
    voice's base pitch by 2^((p − 50)/50), so +N Hz on a 100 Hz reference is
    p = 50 + 50·log2((100 + N)/100): +100 Hz → 100, −50 Hz → 0, +10 Hz → 57."""
    hz = int(pitch.removesuffix("Hz"))
    ratio = max(PITCH_REFERENCE_HZ + hz, 1.0) / PITCH_REFERENCE_HZ
    return max(0, min(100, round(50 + 50 * math.log2(ratio))))


class OfflineEngine:
    """espeak-ng as an `Engine`: 16-bit PCM clips at 22,050 Hz with sentence start times.

    Loaded lazily on first use (never at import); every call runs in one worker thread.
    """

    name = "offline"
    default_voice = DEFAULT_VOICE

    def __init__(self, library: str | None = None, data: str | None = None) -> None:
        self._paths = (library, data) if library and data else None
        self._executor: ThreadPoolExecutor | None = None
        self._version: str | None = None

    def _worker(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = RUNTIME.open()
        return self._executor

    def _call(self, job: Callable[[Espeak], T]) -> T:
        """Run `job` in the worker thread and wait for it (for the synchronous API)."""
        return self._worker().submit(RUNTIME.run, job, self._paths, False).result()

    # -- the Engine interface ---------------------------------------------------------------

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = "espeak-ng " + self._call(lambda espeak: espeak.version)
        return self._version

    async def synthesize(self, text: str, voice: str, prosody: Prosody) -> Clip:
        voice = voice_for(text, voice or self.default_voice)

        def job(espeak: Espeak) -> Clip:
            pcm, sentences = espeak.synth(
                text, voice, rate=rate_wpm(prosody.rate), volume=volume_level(prosody.volume), pitch=pitch_level(prosody.pitch)
            )
            return Clip(pcm, "pcm16", espeak.sample_rate, sentences)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker(), RUNTIME.run, job, self._paths, True)

    def phonemes(self, text: str, voice: str | None = None) -> str:
        """espeak's phoneme mnemonics for `text` (tones as digits: 重庆 → ts.hong35tS;h'i51N_|),
        for checking that a text reads as intended, e.g. against pinyin with tone numbers."""
        voice = voice_for(text, voice or self.default_voice)
        return self._call(lambda espeak: espeak.phonemes(text, voice))

    async def voices(self) -> list[Voice]:
        return list(VOICES)

    async def close(self) -> None:
        """Release the library: the last open engine terminates espeak and stops the worker."""
        if self._executor is not None:
            self._executor = None
            await RUNTIME.close()
