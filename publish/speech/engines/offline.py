"""The bundled offline engine: espeak-ng from the `espeakng-loader` wheel (its libespeak-ng.so
and espeak-ng-data), driven with ctypes. Robotic but intelligible Mandarin; nothing is
downloaded, and the same text gives the same bytes.

Facts measured with espeak-ng 1.52.0 (the wheel's build):

* The library keeps synthesis state in C statics (pitch flutter phase, automatic gain,
  cycle counter) that neither a new voice nor espeak_Terminate + espeak_Initialize resets:
  the same text came out a few samples longer or shorter depending on what was spoken
  before. So each synthesis runs on a freshly loaded library (dlclose + dlopen, ~3 ms).
  This holds only while nothing else in the process has the same .so file open (dlclose
  then leaves it loaded).
* `cmn` and `cmn-latn-pinyin` give identical phonemes and audio here: both read pinyin with
  tone numbers ("chong2 qing4") as pinyin and any other Latin ("GDP", "Beijing") as English.
  Text with Latin letters still goes to `cmn-latn-pinyin`, the voice meant for it.
* The C library is not thread-safe: every call runs in one worker thread, under a lock.
"""

from __future__ import annotations

import _ctypes
import asyncio
import ctypes
import math
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from ...errors import EngineUnavailable, SpeechError
from .base import Clip, Prosody, Voice

T = TypeVar("T")

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000  # return an error instead of exit() when the data is missing
CHARS_UTF8 = 1
POS_CHARACTER = 1
EVENT_LIST_TERMINATED = 0
EVENT_SENTENCE = 2
RATE, VOLUME, PITCH = 1, 2, 3  # espeak_PARAMETER
DEFAULT_WPM = 175  # espeakRATE_NORMAL, which the Chinese voices keep
MIN_WPM, MAX_WPM = 80, 450
PITCH_REFERENCE_HZ = 100.0  # cmn's pitch range is 80–118 Hz
LATIN = re.compile(r"[A-Za-z]")
PINYIN_VOICE = "cmn-latn-pinyin"

VOICES = [
    Voice("cmn", "zh-CN", "Male", "offline", "Mandarin (espeak-ng); Latin read as English"),
    Voice(PINYIN_VOICE, "zh-CN", "Male", "offline", "Mandarin (espeak-ng); pinyin with tone numbers read as pinyin"),
    Voice("yue", "zh-HK", "Male", "offline", "Cantonese (espeak-ng)"),
]


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),  # milliseconds from the start of the synthesis
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_void_p),  # a union of int / const char * / char[8]
    ]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


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


class _Espeak:
    """One loaded copy of libespeak-ng; used only from the engine's worker thread."""

    def __init__(self, library: str, data: str) -> None:
        try:
            self.lib = ctypes.CDLL(library)
        except OSError as exc:
            raise EngineUnavailable(f"offline engine: cannot load libespeak-ng from {library}: {exc}") from exc
        self._declare()
        self.sample_rate = self.lib.espeak_Initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, data.encode(), INITIALIZE_DONT_EXIT)
        if self.sample_rate <= 0:
            self.unload()
            raise EngineUnavailable(f"offline engine: espeak-ng could not read its data at {data}")
        self._audio: list[bytes] = []
        self._sentences: list[int] = []
        self._callback = _Callback(self._collect)  # referenced for as long as the library
        self.lib.espeak_SetSynthCallback(self._callback)
        self.used = False

    def _declare(self) -> None:
        lib = self.lib
        lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_SetSynthCallback.argtypes = [_Callback]
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int,
                                     ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p]  # fmt: skip
        lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_int, ctypes.c_int]
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p

    def _collect(self, wav, count, events) -> int:
        if wav and count > 0:
            self._audio.append(ctypes.string_at(wav, count * 2))
        i = 0
        while events[i].type != EVENT_LIST_TERMINATED:
            if events[i].type == EVENT_SENTENCE:
                self._sentences.append(events[i].audio_position)
            i += 1
        return 0  # continue

    @property
    def version(self) -> str:
        return self.lib.espeak_Info(None).decode()

    def voice(self, name: str) -> None:
        if self.lib.espeak_SetVoiceByName(name.encode()) != 0:
            raise SpeechError(f"the offline engine has no voice {name!r} (try: cmn, {PINYIN_VOICE}, yue)")

    def synth(self, text: str, voice: str, prosody: Prosody) -> tuple[bytes, list[float]]:
        """16-bit PCM at `sample_rate` and sentence start times (seconds)."""
        self.used = True
        self.voice(voice)
        self.lib.espeak_SetParameter(RATE, rate_wpm(prosody.rate), 0)
        self.lib.espeak_SetParameter(VOLUME, volume_level(prosody.volume), 0)
        self.lib.espeak_SetParameter(PITCH, pitch_level(prosody.pitch), 0)
        self._audio, self._sentences = [], []
        data = text.replace("\0", " ").encode() + b"\0"
        status = self.lib.espeak_Synth(data, len(data), 0, POS_CHARACTER, 0, CHARS_UTF8, None, None)
        if status != 0:
            raise SpeechError(f"espeak-ng failed (status {status}) on {text[:30]!r}")
        pcm = b"".join(self._audio)
        length = len(pcm) / 2 / self.sample_rate
        starts: list[float] = []
        for ms in self._sentences:
            start = min(ms / 1000, length)
            if not starts or start > starts[-1]:
                starts.append(start)
        return pcm, starts

    def phonemes(self, text: str, voice: str) -> str:
        """espeak's phoneme mnemonics for `text`, clause by clause joined with spaces."""
        self.used = True
        self.voice(voice)
        buffer = ctypes.create_string_buffer(text.replace("\0", " ").encode())
        pointer = ctypes.c_void_p(ctypes.addressof(buffer))
        clauses = []
        while pointer.value:
            clause = self.lib.espeak_TextToPhonemes(ctypes.byref(pointer), CHARS_UTF8, 0)
            if clause:
                clauses.append(clause.decode().strip())
        return " ".join(c for c in clauses if c)

    def unload(self) -> None:
        """Terminate espeak and unload the library, so the next load starts from fresh statics."""
        lib, self.lib = self.lib, None  # type: ignore[assignment]
        if lib is None:
            return
        lib.espeak_Terminate()
        handle = lib._handle
        del lib
        close = getattr(_ctypes, "dlclose", None) or getattr(_ctypes, "FreeLibrary", None)
        if close is not None:
            close(handle)


def _default_paths() -> tuple[str, str]:
    try:
        import espeakng_loader
    except ImportError as exc:
        raise EngineUnavailable("offline engine: the espeakng-loader package is not installed") from exc
    try:
        return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
    except Exception as exc:  # the loader raises RuntimeError when its data folder is missing
        raise EngineUnavailable(f"offline engine: espeakng-loader is incomplete: {exc}") from exc


class _Runtime:
    """The process's one libespeak-ng. Its state is global to the process (a second dlopen of
    the same file returns the same copy), so every OfflineEngine shares one worker thread, one
    lock and one loaded library; the last engine to close unloads it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held around every call into the library
        self.setup = threading.Lock()  # guards the worker and the count of open engines
        self.executor: ThreadPoolExecutor | None = None
        self.espeak: _Espeak | None = None
        self.paths: tuple[str, str] | None = None
        self.engines = 0

    def open(self) -> ThreadPoolExecutor:
        with self.setup:
            self.engines += 1
            if self.executor is None:
                self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="espeak-ng")
            return self.executor

    def run(self, job: Callable[[_Espeak], T], paths: tuple[str, str] | None, fresh: bool) -> T:
        """Run `job` on the library (reloaded first when `fresh` and it was used since loading,
        or when other files are asked for); called in the worker thread only."""
        with self.lock:
            paths = paths or _default_paths()
            if self.espeak is not None and ((fresh and self.espeak.used) or paths != self.paths):
                self.unload()
            if self.espeak is None:
                self.espeak, self.paths = _Espeak(*paths), paths
            return job(self.espeak)

    def unload(self) -> None:
        if self.espeak is not None:
            self.espeak.unload()
            self.espeak = self.paths = None

    async def close(self) -> None:
        """One engine fewer; the last one unloads the library and stops the worker."""
        with self.setup:
            self.engines -= 1
            if self.engines > 0 or self.executor is None:
                return
            executor, self.executor = self.executor, None

        def unload() -> None:
            with self.lock:
                self.unload()

        await asyncio.get_running_loop().run_in_executor(executor, unload)
        executor.shutdown(wait=True)


_RUNTIME = _Runtime()


class OfflineEngine:
    """espeak-ng as an `Engine`: 16-bit PCM clips at 22,050 Hz with sentence start times.

    Loaded lazily on first use (never at import); every call runs in one worker thread.
    """

    name = "offline"
    default_voice = "cmn"

    def __init__(self, library: str | None = None, data: str | None = None) -> None:
        self._paths = (library, data) if library and data else None
        self._executor: ThreadPoolExecutor | None = None
        self._version: str | None = None

    def _worker(self) -> ThreadPoolExecutor:
        if self._executor is None:
            self._executor = _RUNTIME.open()
        return self._executor

    def _call(self, job: Callable[[_Espeak], T]) -> T:
        """Run `job` in the worker thread and wait for it (for the synchronous API)."""
        return self._worker().submit(_RUNTIME.run, job, self._paths, False).result()

    # -- the Engine interface ---------------------------------------------------------------

    @property
    def version(self) -> str:
        if self._version is None:
            self._version = "espeak-ng " + self._call(lambda espeak: espeak.version)
        return self._version

    @staticmethod
    def voice_for(text: str, voice: str) -> str:
        """`cmn-latn-pinyin` for Mandarin text containing Latin letters (the voice meant for
        mixed text), else `voice`."""
        if voice == "cmn" and LATIN.search(text):
            return PINYIN_VOICE
        return voice

    async def synthesize(self, text: str, voice: str, prosody: Prosody) -> Clip:
        voice = self.voice_for(text, voice or self.default_voice)

        def job(espeak: _Espeak) -> Clip:
            pcm, sentences = espeak.synth(text, voice, prosody)
            return Clip(pcm, "pcm16", espeak.sample_rate, sentences)

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._worker(), _RUNTIME.run, job, self._paths, True)

    def phonemes(self, text: str, voice: str | None = None) -> str:
        """espeak's phoneme mnemonics for `text` (tones as digits: 重庆 → ts.hong35tS;h'i51N_|),
        for checking that a text reads as intended, e.g. against pinyin with tone numbers."""
        voice = self.voice_for(text, voice or self.default_voice)
        return self._call(lambda espeak: espeak.phonemes(text, voice))

    async def voices(self) -> list[Voice]:
        return list(VOICES)

    async def close(self) -> None:
        """Release the library: the last open engine terminates espeak and stops the worker."""
        if self._executor is not None:
            self._executor = None
            await _RUNTIME.close()
