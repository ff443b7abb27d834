"""libespeak-ng from the `espeakng-loader` wheel (the library and its data), driven with ctypes.

Both sides of `publish.speech` use it: the text side asks how espeak-ng reads a text
(`phonemes`: checking substitutes and pinyin fixes), the sound side's offline engine has it
speak. Nothing is downloaded, and the same text gives the same bytes.

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
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TypeVar

from ..errors import EngineUnavailable, SpeechError

T = TypeVar("T")

AUDIO_OUTPUT_SYNCHRONOUS = 2
INITIALIZE_DONT_EXIT = 0x8000  # return an error instead of exit() when the data is missing
CHARS_UTF8 = 1
POS_CHARACTER = 1
EVENT_LIST_TERMINATED = 0
EVENT_SENTENCE = 2
RATE, VOLUME, PITCH = 1, 2, 3  # espeak_PARAMETER
LATIN = re.compile(r"[A-Za-z]")
DEFAULT_VOICE = "cmn"
PINYIN_VOICE = "cmn-latn-pinyin"


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


class Espeak:
    """One loaded copy of libespeak-ng; used only from the runtime's worker thread."""

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

    def synth(self, text: str, voice: str, *, rate: int, volume: int, pitch: int) -> tuple[bytes, list[float]]:
        """16-bit PCM at `sample_rate` and sentence start times (seconds); `rate` in words per
        minute, `volume` 0–200 and `pitch` 0–100 as espeak takes them."""
        self.used = True
        self.voice(voice)
        self.lib.espeak_SetParameter(RATE, rate, 0)
        self.lib.espeak_SetParameter(VOLUME, volume, 0)
        self.lib.espeak_SetParameter(PITCH, pitch, 0)
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


def default_paths() -> tuple[str, str]:
    """The wheel's libespeak-ng and its data folder."""
    try:
        import espeakng_loader
    except ImportError as exc:
        raise EngineUnavailable("offline engine: the espeakng-loader package is not installed") from exc
    try:
        return espeakng_loader.get_library_path(), espeakng_loader.get_data_path()
    except Exception as exc:  # the loader raises RuntimeError when its data folder is missing
        raise EngineUnavailable(f"offline engine: espeakng-loader is incomplete: {exc}") from exc


class Runtime:
    """The process's one libespeak-ng. Its state is global to the process (a second dlopen of
    the same file returns the same copy), so every user shares one worker thread, one lock and
    one loaded library; the last user to close unloads it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # held around every call into the library
        self.setup = threading.Lock()  # guards the worker and the count of open users
        self.executor: ThreadPoolExecutor | None = None
        self.espeak: Espeak | None = None
        self.paths: tuple[str, str] | None = None
        self.users = 0

    def open(self) -> ThreadPoolExecutor:
        with self.setup:
            self.users += 1
            if self.executor is None:
                self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="espeak-ng")
            return self.executor

    def run(self, job: Callable[[Espeak], T], paths: tuple[str, str] | None, fresh: bool) -> T:
        """Run `job` on the library (reloaded first when `fresh` and it was used since loading,
        or when other files are asked for); called in the worker thread only."""
        with self.lock:
            paths = paths or default_paths()
            if self.espeak is not None and ((fresh and self.espeak.used) or paths != self.paths):
                self.unload()
            if self.espeak is None:
                self.espeak, self.paths = Espeak(*paths), paths
            return job(self.espeak)

    def unload(self) -> None:
        if self.espeak is not None:
            self.espeak.unload()
            self.espeak = self.paths = None

    async def close(self) -> None:
        """One user fewer; the last one unloads the library and stops the worker."""
        with self.setup:
            self.users -= 1
            if self.users > 0 or self.executor is None:
                return
            executor, self.executor = self.executor, None

        def unload() -> None:
            with self.lock:
                self.unload()

        await asyncio.get_running_loop().run_in_executor(executor, unload)
        executor.shutdown(wait=True)


RUNTIME = Runtime()


def voice_for(text: str, voice: str) -> str:
    """`cmn-latn-pinyin` for Mandarin text containing Latin letters (the voice meant for mixed
    text), else `voice`."""
    if voice == DEFAULT_VOICE and LATIN.search(text):
        return PINYIN_VOICE
    return voice


def phonemes(text: str, voice: str = DEFAULT_VOICE) -> str:
    """espeak's phoneme mnemonics for `text` (tones as digits: 重庆 → ts.hong35tS;h'i51N_|),
    for checking that a text reads as intended, e.g. against pinyin with tone numbers."""
    voice = voice_for(text, voice)
    return _worker().submit(RUNTIME.run, lambda espeak: espeak.phonemes(text, voice), None, False).result()


@lru_cache(maxsize=1)
def _worker() -> ThreadPoolExecutor:
    """The runtime's worker, opened once for the look-ups of `phonemes` and kept for the life of
    the process (the library stays loaded between them)."""
    return RUNTIME.open()
