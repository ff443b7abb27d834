"""The Microsoft Edge read-aloud service through the `edge-tts` client, with retries that
survive a flaky network and a circuit breaker that stops a run when the service is down.

One websocket per request (the caller sends a few hundred characters at a time). A request
that fails is retried with exponential backoff and full jitter (RetryPolicy); the audio of a
failed attempt is thrown away, never stitched to the next attempt. All concurrent calls on one
engine share a breaker: after `max_consecutive_failures` failed attempts in a row (none
succeeding in between), or one request failing `attempts` times, the engine raises
ServiceFailed and every pending and later call fails at once with the same report. When the
service cannot be reached at all before anything worked (DNS, connection refused, connect
timeout), it raises EngineUnavailable, which `--engine auto` takes as "use the offline engine".

Endpoint. edge-tts has no setting for its server: it reads the module globals
`edge_tts.communicate.WSS_URL` and `edge_tts.voices.VOICE_LIST` (imported there by value).
`EdgeEngine(endpoint=...)`, or the environment variable PUBLISH_EDGE_ENDPOINT, points the
client at another server speaking the protocol (tests, benchmarks, subprocess runs): the
engine patches both globals when it is created (the voice list URL is derived from the same
server: `ws://h:p/…/edge/v1?TrustedClientToken=T` → `http://h:p/…/voices/list?trustedclienttoken=T`)
and restores them in `close()`. The patch is process-wide: engines with the same endpoint can
coexist (it is reference counted); one with a different endpoint while it is in place is an
error. Without an endpoint nothing is patched.

Things edge-tts 7.3 does that this module works around:
* `receive_timeout` does not bound websocket reads (aiohttp drops the socket read timeout after
  the upgrade), so a stalled server would hang forever: the engine enforces its own idle
  timeout between messages.
* `connect_timeout`/`receive_timeout` must be int: the engine sets the session timeout itself
  so fractions of a second work.
* A connection closed mid-stream (clean close or dropped) after some audio ends the stream
  without an error: the engine checks that `turn.end` arrived (all audio bytes accounted for)
  and otherwise treats the attempt as failed.
* Empty text produces no request and no error (an empty clip): refused here.
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import math
import os
import random
import time
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit, urlunsplit

from ....errors import EngineUnavailable, ServiceFailed, SpeechError
from ....wording import plural
from .base import Clip, Prosody, Voice

try:
    import aiohttp
    import edge_tts
    import edge_tts.communicate
    import edge_tts.voices
    from edge_tts.exceptions import (
        EdgeTTSException,
        NoAudioReceived,
        SkewAdjustmentError,
        UnexpectedResponse,
        WebSocketError,
    )
except ImportError as error:  # pragma: no cover - edge-tts is a dependency
    raise EngineUnavailable(f"the edge-tts engine needs the edge-tts package: {error}") from error

ENDPOINT_VARIABLE = "PUBLISH_EDGE_ENDPOINT"
RETRY_STATUSES = frozenset({403, 408, 429, 500, 502, 503, 504})
# a service never reached gets one more try (a DNS or network hiccup) before the run calls it
# unreachable; `check()` (for --engine auto) does not wait for that
UNREACHABLE_ATTEMPTS = 2
TICKS_PER_SECOND = 10_000_000
ADVICE = "try again later or use --engine offline"
CHANGED = "the service or its protocol may have changed: update edge-tts, or use --engine offline"


@dataclass(frozen=True)
class RetryPolicy:
    """How hard one engine tries.

    A failed request is retried up to `attempts` times in all, after a delay drawn uniformly
    from [0, min(max_delay, base_delay * factor ** (retry - 1))] ("full jitter"; the upper end
    when jitter is off). A `Retry-After: <seconds>` from the server is honoured (at most
    `max_retry_after` seconds) and holds back every call on the engine, not just the one that
    got it. One call stops retrying `give_up_after` seconds after its first failure. The
    breaker trips after `max_consecutive_failures` failed attempts in a row across all calls.

    With the defaults, an outage answered with errors (503, refused connections) stops a run
    within 16 s when requests go one at a time (measured 4–10 s) and within a few seconds when
    several go at once (4 at once: about 1 s); attempts that time out can stretch that to
    `give_up_after` plus one timeout.
    """

    attempts: int = 6
    base_delay: float = 0.5
    factor: float = 2.0
    max_delay: float = 8.0
    jitter: bool = True
    max_retry_after: float = 30.0
    max_consecutive_failures: int = 12
    give_up_after: float = 45.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.max_consecutive_failures < 1:
            raise ValueError("attempts and max_consecutive_failures must be at least 1")
        if min(self.base_delay, self.factor, self.max_delay, self.max_retry_after, self.give_up_after) < 0:
            raise ValueError("delays must not be negative")

    def backoff(self, retry: int, rng: random.Random) -> float:
        """The delay before retry number `retry` (1 = the first retry), without Retry-After."""
        ceiling = min(self.max_delay, self.base_delay * self.factor ** (retry - 1))
        return rng.uniform(0, ceiling) if self.jitter else ceiling


@dataclass
class _Failure:
    description: str  # one line: "HTTP 503 Service Unavailable", "no audio received", …
    retryable: bool
    unreachable: bool = False  # never connected: EngineUnavailable
    retry_after: float | None = None


class _Incomplete(EdgeTTSException):
    """The stream ended without turn.end (the connection was closed mid-stream)."""


class _Endpoint:
    """The process-wide patch of edge-tts's endpoint globals, reference counted."""

    url: str | None = None
    count = 0
    saved: tuple[str, str] | None = None

    @classmethod
    def acquire(cls, url: str) -> None:
        if cls.count and url != cls.url:
            raise SpeechError(f"edge-tts is already pointed at {cls.url} by another engine; close it before using {url}")
        if not cls.count:
            cls.saved = (edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST)
            cls.url = url
            edge_tts.communicate.WSS_URL = url
            edge_tts.voices.VOICE_LIST = voices_url(url)
        cls.count += 1

    @classmethod
    def release(cls) -> None:
        cls.count -= 1
        if cls.count == 0 and cls.saved is not None:
            edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST = cls.saved
            cls.saved = cls.url = None


def normalise_endpoint(endpoint: str) -> str:
    """A ws(s) URL with a query (the client appends `&ConnectionId=…`)."""
    parts = urlsplit(endpoint.strip())
    scheme = {"http": "ws", "https": "wss"}.get(parts.scheme, parts.scheme)
    if scheme not in ("ws", "wss") or not parts.netloc:
        raise SpeechError(f"edge-tts endpoint {endpoint!r} is not a ws:// or wss:// URL")
    query = parts.query or f"TrustedClientToken={edge_tts.constants.TRUSTED_CLIENT_TOKEN}"
    return urlunsplit((scheme, parts.netloc, parts.path or "/", query, ""))


def voices_url(endpoint: str) -> str:
    """The voice-list URL on the server of a websocket endpoint."""
    parts = urlsplit(endpoint)
    scheme = {"ws": "http", "wss": "https"}.get(parts.scheme, parts.scheme)
    path = parts.path
    path = path[: -len("/edge/v1")] + "/voices/list" if path.endswith("/edge/v1") else "/voices/list"
    query = parse_qs(parts.query)
    token = (query.get("TrustedClientToken") or [edge_tts.constants.TRUSTED_CLIENT_TOKEN])[0]
    return urlunsplit((scheme, parts.netloc, path, f"trustedclienttoken={token}", ""))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class EdgeEngine:
    """The edge-tts engine (see the module docstring)."""

    name = "edge"
    default_voice = "zh-CN-YunyangNeural"

    def __init__(
        self,
        *,
        retry: RetryPolicy | None = None,
        connect_timeout: float = 10,
        receive_timeout: float = 60,
        endpoint: str | None = None,
        on_retry: Callable[[int, float, BaseException], None] | None = None,
    ):
        self.retry = retry or RetryPolicy()
        self.connect_timeout = float(connect_timeout)
        self.receive_timeout = float(receive_timeout)
        self.on_retry = on_retry
        if endpoint is None:
            endpoint = os.environ.get(ENDPOINT_VARIABLE) or None
        self.endpoint = normalise_endpoint(endpoint) if endpoint else None
        self._release = None
        if self.endpoint:
            _Endpoint.acquire(self.endpoint)
            # released by close(), or when the engine is garbage-collected unclosed
            self._release = weakref.finalize(self, _Endpoint.release)
        self._rng = random.Random()
        self._consecutive = 0  # failed attempts in a row, across all calls
        self._reached = False  # some handshake got an answer: the service is reachable
        self._tripped: SpeechError | None = None
        self._not_before = 0.0  # time.monotonic() before which no call starts an attempt
        # What happened, for reports: attempts, successes, retries, failures by description
        self.attempts = 0
        self.successes = 0
        self.retries = 0
        self.failures: Counter[str] = Counter()

    @property
    def version(self) -> str:
        """edge-tts's version, and the host of another endpoint when one is set: clips from a
        test server never pass for the real service's in a shared cache."""
        host = f" via {urlsplit(self.endpoint).hostname}" if self.endpoint else ""
        return f"edge-tts {edge_tts.__version__}{host}"

    async def __aenter__(self) -> EdgeEngine:
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def close(self) -> None:
        """Restore edge-tts's endpoint globals (when this engine patched them)."""
        if self._release is not None:
            self._release()  # runs once

    # ----------------------------------------------------------------------------------------

    async def synthesize(self, text: str, voice: str, prosody: Prosody) -> Clip:
        if not text or not text.strip():
            raise SpeechError("edge-tts: nothing to say (empty text)")
        policy = self.retry
        attempt = 0
        first_failure: float | None = None
        while True:
            self._raise_if_tripped()
            await self._wait(self._not_before - time.monotonic())
            self._raise_if_tripped()
            attempt += 1
            self.attempts += 1
            try:
                clip = await self._attempt(text, voice, prosody, self.connect_timeout, self.receive_timeout)
            except SpeechError:  # edge-tts refuses the voice or prosody: nothing was sent
                raise
            except Exception as exc:
                error, failure = exc, self._classify(exc)
            else:
                self._reached = True
                self._consecutive = 0
                self.successes += 1
                return clip

            self.failures[failure.description] += 1
            self._consecutive += 1
            if self._tripped is not None:  # another call tripped the breaker meanwhile
                raise type(self._tripped)(self._tripped.message) from error
            if failure.unreachable and attempt >= UNREACHABLE_ATTEMPTS:
                self._trip(EngineUnavailable(f"the edge-tts service cannot be reached: {failure.description}"), error)
            if not failure.retryable:
                self._trip(
                    ServiceFailed(f"edge-tts: a request failed ({failure.description}) and is not worth retrying — {CHANGED}"),
                    error,
                )
            if self._consecutive >= policy.max_consecutive_failures:
                self._trip(
                    ServiceFailed(
                        f"edge-tts: {plural(self._consecutive, 'request')} in a row failed (last: {failure.description}); "
                        f"stopped instead of retrying — {ADVICE}"
                    ),
                    error,
                )
            now = time.monotonic()
            first_failure = first_failure if first_failure is not None else now
            delay = policy.backoff(attempt, self._rng)
            if failure.retry_after is not None:
                wait = min(failure.retry_after, policy.max_retry_after)
                delay = max(delay, wait)
                self._not_before = max(self._not_before, now + wait)
            if attempt >= policy.attempts or now + delay - first_failure > policy.give_up_after:
                self._trip(
                    ServiceFailed(
                        f"edge-tts: a request failed {plural(attempt, 'time')} (last: {failure.description}); "
                        f"stopped instead of retrying — {ADVICE}"
                    ),
                    error,
                )
            self.retries += 1
            if self.on_retry is not None:
                self.on_retry(attempt, delay, error)
            await self._wait(delay)

    async def check(self, timeout: float = 5.0) -> None:
        """Synthesise a tiny text once within `timeout` seconds; EngineUnavailable if that fails."""
        try:
            async with asyncio.timeout(timeout):
                await self._attempt("你好。", self.default_voice, Prosody(), min(self.connect_timeout, timeout), timeout)
        except TimeoutError as error:
            raise EngineUnavailable(f"the edge-tts service cannot be reached: no answer within {timeout:g} s") from error
        except SpeechError:
            raise
        except Exception as error:
            description = self._classify(error).description
            if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
                raise EngineUnavailable(f"the edge-tts service cannot be reached: {description}") from error
            raise EngineUnavailable(f"the edge-tts service failed a test request: {description}") from error
        self._reached = True

    async def voices(self) -> list[Voice]:
        try:
            async with asyncio.timeout(self.connect_timeout + self.receive_timeout):
                listed = await edge_tts.list_voices()
        except (aiohttp.ClientError, TimeoutError, EdgeTTSException, ValueError) as error:
            reason = self._classify(error).description if not isinstance(error, ValueError) else _one_line(error)
            raise EngineUnavailable(f"the edge-tts voice list cannot be fetched: {reason}") from error
        voices = []
        for entry in listed:
            tag = entry.get("VoiceTag") or {}
            description = "; ".join(
                ", ".join(part) for part in (tag.get("ContentCategories") or [], tag.get("VoicePersonalities") or []) if part
            )
            voices.append(
                Voice(
                    name=entry["ShortName"],
                    locale=entry["Locale"],
                    gender=entry.get("Gender", ""),
                    engine=self.name,
                    description=description or entry.get("FriendlyName", ""),
                )
            )
        return voices

    # ----------------------------------------------------------------------------------------

    async def _attempt(self, text: str, voice: str, prosody: Prosody, connect_timeout: float, receive_timeout: float) -> Clip:
        """One request; raises what edge-tts or aiohttp raised (or _Incomplete), SpeechError
        when edge-tts refuses the voice or prosody before sending anything."""
        try:
            communicate = edge_tts.Communicate(
                text,
                voice,
                rate=prosody.rate,
                volume=prosody.volume,
                pitch=prosody.pitch,
                boundary="SentenceBoundary",
                connect_timeout=max(1, math.ceil(connect_timeout)),
                receive_timeout=max(1, math.ceil(receive_timeout)),
            )
        except (ValueError, TypeError) as error:
            raise SpeechError(f"edge-tts: {error}") from error
        # edge-tts insists on whole seconds; the session takes fractions (and `connect` also
        # bounds DNS resolution, which `sock_connect` does not).
        communicate.session_timeout = aiohttp.ClientTimeout(
            total=None, connect=connect_timeout, sock_connect=connect_timeout, sock_read=receive_timeout
        )
        audio = bytearray()
        sentences: list[float] = []
        loop = asyncio.get_running_loop()
        # edge-tts's receive_timeout does not reach websocket reads: bound the wait for each
        # message ourselves (the first one also waits for the connection).
        async with asyncio.timeout(connect_timeout + receive_timeout) as idle:
            async with contextlib.aclosing(communicate.stream()) as stream:
                async for chunk in stream:
                    idle.reschedule(loop.time() + receive_timeout)
                    if chunk["type"] == "audio":
                        audio += chunk["data"]
                    elif chunk["type"] == "SentenceBoundary":
                        sentences.append(chunk["offset"] / TICKS_PER_SECOND)
        # On turn.end edge-tts moves the chunk's byte count into the cumulative count: if the
        # connection closed before turn.end (a clean close or a drop), the counts differ.
        if communicate.state["cumulative_audio_bytes"] != len(audio):
            raise _Incomplete(f"the connection closed mid-stream after {len(audio)} bytes of audio")
        if not audio:
            raise NoAudioReceived("no audio received")
        return Clip(bytes(audio), "mp3", 24000, sentences)

    def _classify(self, error: BaseException) -> _Failure:
        if isinstance(error, aiohttp.ClientResponseError):  # incl. WSServerHandshakeError
            self._reached = True
            try:
                phrase = http.HTTPStatus(error.status).phrase
            except ValueError:
                phrase = error.message or ""
            description = f"HTTP {error.status} {phrase}".strip()
            retry_after = None
            if error.status in (429, 503) and error.headers:
                with contextlib.suppress(TypeError, ValueError):
                    retry_after = max(0.0, float(error.headers.get("Retry-After", "")))
                if retry_after is not None:
                    description += f", Retry-After {retry_after:g} s"
            return _Failure(description, error.status in RETRY_STATUSES, retry_after=retry_after)
        if isinstance(error, SkewAdjustmentError):  # a 403 without a usable Date header
            self._reached = True
            return _Failure(f"HTTP 403 Forbidden ({error})", True)
        if isinstance(error, aiohttp.ClientConnectorError | aiohttp.ConnectionTimeoutError):
            if isinstance(error, aiohttp.ConnectionTimeoutError):
                description = f"no connection within {self.connect_timeout:g} s"
            elif isinstance(error, aiohttp.ClientConnectorDNSError):
                description = f"cannot resolve {error.host}"
            else:
                os_error = error.os_error
                if isinstance(error, aiohttp.ClientSSLError):
                    reason = _one_line(getattr(error, "certificate_error", os_error))
                elif os_error.errno:
                    reason = os.strerror(os_error.errno)
                else:
                    reason = error.strerror or _one_line(os_error)
                description = f"cannot connect to {error.host}:{error.port} ({reason})"
            return _Failure(description, True, unreachable=not self._reached)
        if isinstance(error, TimeoutError):
            return _Failure(f"no answer within {self.receive_timeout:g} s", True)
        if isinstance(error, aiohttp.ServerDisconnectedError):
            return _Failure("the server closed the connection", True)
        if isinstance(error, aiohttp.ClientError):
            return _Failure(_one_line(error), True)
        if isinstance(error, NoAudioReceived):
            return _Failure("no audio received", True)
        if isinstance(error, _Incomplete):
            return _Failure(str(error), True)
        if isinstance(error, WebSocketError | UnexpectedResponse):
            return _Failure(_one_line(error), True)
        return _Failure(_one_line(error), False)

    def _trip(self, report: SpeechError, cause: BaseException) -> None:
        """Stop this call and every other one with `report`."""
        if self._tripped is None:
            self._tripped = report
        raise type(self._tripped)(self._tripped.message) from cause

    def _raise_if_tripped(self) -> None:
        if self._tripped is not None:
            raise type(self._tripped)(self._tripped.message)

    async def _wait(self, seconds: float) -> None:
        """Sleep, but wake up to fail at once when another call trips the breaker."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._raise_if_tripped()
            await asyncio.sleep(min(left, 0.05))
