"""Every request of a run synthesised once, `requests` at a time, into the clip cache.

Synthesis comes first and alone: when the service fails for good, the run stops here with
one message, before any output file is touched. Finished clips stay in the cache, so the
next run resumes from them.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ...errors import EngineUnavailable, SpeechError
from . import engines
from .cache import ClipCache, clip_key
from .engines.base import Clip, Engine, Prosody

AUTO_CHECK_SECONDS = 5.0


@dataclass
class SynthesisReport:
    """What one synthesis pass did."""

    engine: str = ""
    voice: str = ""
    requests: int = 0  # distinct texts the run needs
    cached: int = 0
    synthesised: list[str] = field(default_factory=list)  # texts synthesised in this run
    retries: int = 0
    fallback: str = ""  # why auto did not use edge
    seconds: float = 0.0


@dataclass(frozen=True)
class ClipSource:
    """Clips by text for one engine, voice and prosody: what the edition writers (in worker
    processes too) need to find the audio of a text."""

    root: object  # Path | None
    engine: str
    version: str
    voice: str
    prosody: Prosody

    def key(self, text: str) -> str:
        """The cache key of `text`'s clip: it names the clip's audio."""
        return clip_key(text, engine=self.engine, version=self.version, voice=self.voice, prosody=self.prosody)

    def __call__(self, text: str) -> Clip:
        found = ClipCache(self.root).get(self.key(text))  # type: ignore[arg-type]
        if found is None:
            raise SpeechError(f"no audio in the cache for {text[:20]!r}…: was the cache folder removed during the run?")
        return found


class Synthesizer:
    """Chooses the engine (auto: edge, else offline), then fills the cache with clips."""

    def __init__(
        self,
        engine: str = "auto",
        *,
        voice: str | None = None,
        prosody: Prosody | None = None,
        requests: int = 4,
        cache: ClipCache,
        warn: Callable[[str], None] = lambda message: None,
        on_start: Callable[[int], Callable[[str], None] | None] | None = None,
        edge_options: dict | None = None,
        shared_gate: Any = None,
    ):
        if engine not in engines.CHOICES:
            raise SpeechError(f"unknown engine {engine!r} (choose from {', '.join(engines.CHOICES)})")
        self.choice = engine
        self.voice_option = voice
        self.prosody = prosody or Prosody()
        self.requests = max(1, requests)
        self.cache = cache
        self.warn = warn
        self.on_start = on_start  # given the number of requests to make, returns a per-clip callback
        self.on_clip: Callable[[str], None] | None = None
        self.on_ready: Callable[[str], None] | None = None  # a text's clip is in the cache
        self.edge_options = edge_options or {}
        # requests to edge-tts across processes or a cluster: anything with blocking acquire()
        # and release() (a multiprocessing or Dask Semaphore); adding workers adds no load
        self.shared_gate = shared_gate
        self.engine: Engine | None = None
        self.report = SynthesisReport()

    @property
    def voice(self) -> str:
        assert self.engine is not None
        return self.voice_option or self.engine.default_voice

    def key(self, text: str) -> str:
        """The cache key of `text` with the chosen engine, voice and prosody."""
        assert self.engine is not None
        return clip_key(text, engine=self.engine.name, version=self.engine.version, voice=self.voice, prosody=self.prosody)

    def clip(self, text: str) -> Clip:
        """A clip this run synthesised or found (after `run`)."""
        return self.source()(text)

    def source(self) -> ClipSource:
        """Where the clips of this run's engine, voice and prosody are found (picklable)."""
        assert self.engine is not None
        return ClipSource(self.cache.root, self.engine.name, self.engine.version, self.voice, self.prosody)

    def run(self, texts: Iterable[str] | Callable[[str], Iterable[str]]) -> SynthesisReport:
        """Synthesise every text not yet in the cache. `texts` may depend on the engine chosen:
        then it is called with the engine's name (pronunciation fixes differ per engine).
        Raises SpeechError subclasses."""
        return asyncio.run(self._run(texts if callable(texts) else _fixed(list(texts))))

    async def _run(self, texts_for: Callable[[str], Iterable[str]]) -> SynthesisReport:
        started = time.perf_counter()
        try:
            texts, missing = await self._choose(texts_for)
            self.report.engine = self.engine.name  # type: ignore[union-attr]
            self.report.voice = self.voice
            self.report.requests = len(texts)
            self.report.cached = len(texts) - len(missing)
            if self.on_ready:
                absent = set(missing)
                for text in texts:
                    if text not in absent:
                        self.on_ready(text)
            if missing and self.voice_option:
                await self._check_voice()
            if missing:
                self.on_clip = self.on_start(len(missing)) if self.on_start else None
                await self._synthesise(missing)
        finally:
            if self.engine is not None:
                await self.engine.close()
        self.report.seconds = time.perf_counter() - started
        return self.report

    async def _choose(self, texts_for: Callable[[str], Iterable[str]]) -> tuple[list[str], list[str]]:
        """Set `self.engine`; the texts for it and those it still has to synthesise."""
        name = "edge" if self.choice == "auto" else self.choice
        self.engine = self._create(name)
        texts = list(dict.fromkeys(texts_for(name)))
        missing = [t for t in texts if self.key(t) not in self.cache]
        if self.choice != "auto" or not missing:
            return texts, missing
        try:
            await self.engine.check(timeout=AUTO_CHECK_SECONDS)  # type: ignore[attr-defined]
        except EngineUnavailable as problem:
            await self.engine.close()
            self.engine = self._create("offline")
            self.report.fallback = str(problem)
            if self.voice_option:
                self.warn(f"{problem}; using the offline engine with its own voice instead of {self.voice_option}")
                self.voice_option = None
            else:
                self.warn(f"{problem}; using the offline engine")
            texts = list(dict.fromkeys(texts_for("offline")))
            missing = [t for t in texts if self.key(t) not in self.cache]
        return texts, missing

    async def _check_voice(self) -> None:
        """A voice the engine does not have is a usage error, not an outage (edge answers an
        unknown voice with no audio, which would otherwise be retried until the breaker trips)."""
        engine = self.engine
        assert engine is not None
        try:
            names = {v.name.lower() for v in await engine.voices()}
        except EngineUnavailable:
            return  # cannot list them: let synthesis tell
        if names and self.voice.lower() not in names:
            raise SpeechError(
                f"the {engine.name} engine has no voice {self.voice!r} (see `publish voices --engine {engine.name}`)"
            )

    def _create(self, name: str) -> Engine:
        if name == "edge":
            options = dict(self.edge_options)
            options.setdefault("on_retry", self._retried)
            return engines.create("edge", **options)
        return engines.create(name)

    def _retried(self, *_args) -> None:
        self.report.retries += 1

    async def _synthesise(self, texts: list[str]) -> None:
        engine = self.engine
        assert engine is not None
        gate = asyncio.Semaphore(self.requests)
        voice = self.voice

        shared = self.shared_gate if engine.name == "edge" else None

        async def one(text: str) -> None:
            async with gate, _slot(shared):
                clip = await engine.synthesize(text, voice, self.prosody)
            key = self.key(text)
            try:
                self.cache.put(key, clip)
            except OSError as problem:
                raise SpeechError(f"cannot write the clip cache: {problem.strerror or problem}", file=problem.filename) from None
            self.report.synthesised.append(text)
            if self.on_clip:
                self.on_clip(text)
            if self.on_ready:
                self.on_ready(text)

        try:
            async with asyncio.TaskGroup() as group:
                for text in texts:
                    group.create_task(one(text))
        except* SpeechError as failures:
            raise _first(failures) from None


def edge_unavailable(timeout: float = AUTO_CHECK_SECONDS) -> str:
    """Why edge-tts cannot be used now ("" when it answers): `auto`'s check, made once for a
    whole batch instead of once per article."""

    async def check() -> str:
        engine = engines.create("edge")
        try:
            await engine.check(timeout=timeout)  # type: ignore[attr-defined]
        except EngineUnavailable as problem:
            return str(problem)
        finally:
            await engine.close()
        return ""

    return asyncio.run(check())


@contextlib.asynccontextmanager
async def _slot(shared: Any) -> AsyncIterator[None]:
    """A slot of a blocking semaphore (none: no limit), taken without blocking the loop and
    without leaking it when the run is cancelled meanwhile (the waiting thread gives back what
    it took)."""
    if shared is None:
        yield
        return
    loop = asyncio.get_running_loop()
    while True:
        waiting = loop.run_in_executor(None, lambda: shared.acquire(timeout=0.25))
        try:
            if await asyncio.shield(waiting):
                break
        except asyncio.CancelledError:
            if await waiting:
                shared.release()
            raise
    try:
        yield
    finally:
        shared.release()


def _fixed(texts: list[str]) -> Callable[[str], list[str]]:
    return lambda engine: texts


def _first(group: BaseExceptionGroup) -> BaseException:
    """The first leaf error of an exception group (the one that stopped the run)."""
    error: BaseException = group
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    return error
