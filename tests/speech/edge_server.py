"""A local server speaking the Edge read-aloud protocol, so the real edge-tts client can be
tested (and benchmarked) on a machine that cannot reach Microsoft's service.

    with start_server(latency=0.05, faults={0: "503", 3: "drop"}) as server:
        engine = EdgeEngine(endpoint=server.url)   # or PUBLISH_EDGE_ENDPOINT=server.url
        ...
        server.stats.failures["503"]  # -> 1

What it implements (see /work/shared/notes/edge-tts.md):

* ``GET …/edge/v1?TrustedClientToken=…&ConnectionId=…&Sec-MS-GEC=…&Sec-MS-GEC-Version=…``: the
  websocket. It reads the ``speech.config`` and ``ssml`` text frames, takes voice, prosody and
  the (XML-escaped) text from the SSML and answers ``turn.start``, ``response``, binary audio
  frames (2-byte big-endian header length, ``X-RequestId/Content-Type:audio/mpeg/Path:audio``
  header, MP3 bytes; several per response), one ``audio.metadata`` SentenceBoundary frame per
  sentence (split at 。！？!?), the service's empty closing audio frame, then ``turn.end``.
* ``GET …/voices/list?trustedclienttoken=…``: a JSON voice list in the service's format.
* Audio: real MP3 (24 kHz mono 48 kbit/s CBR, lameenc), a speech-like synthetic signal that is
  deterministic per (text, voice, prosody): each Han character, Latin letter or digit is a
  0.2 s voiced syllable (harmonic tone, pitch from the character code and the voice, a tone
  contour and an envelope), punctuation makes pauses; rate changes duration, volume the level,
  pitch the fundamental. Loudness is about −20 LUFS at the default prosody.

Faults, per request number (0, 1, 2, … in the order connections arrive; the client's own
403 retry is a new request):

    "403"      handshake 403 with a `Date` header `skew` seconds ahead: the client adjusts its
               clock and retries once by itself
    "429"      handshake 429 with `Retry-After: <retry_after>`
    "503"      handshake 503 (any other 3-digit status works too: "400", "404", "500", …)
    "drop"     the TCP connection is cut after half the audio frames
    "truncate" a clean websocket close after half the audio frames, without turn.end
    "slow"     after the first audio frame, a stall of `slow_seconds` (until the client leaves)
    "noaudio"  turn.start, response, turn.end and no audio
    "down"     from this request on every request is answered 503 (a lasting outage)

``faults`` is a list (index = request number, None = no fault) or a dict {number: kind};
``fault_rate`` draws faults for the other requests from ``fault_kinds`` with a seeded
``random.Random`` (deterministic in request order). ``set_down("503" | "refuse" | None)``
switches an outage on or off at any time ("refuse" closes the listener: connection refused).

Run standalone for benchmarks or subprocess runs:
``python -m tests.speech.edge_server --port 8765 --latency 0.2 --fault-rate 0.1`` prints the
URL to put in PUBLISH_EDGE_ENDPOINT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import random
import re
import signal
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import formatdate
from xml.sax.saxutils import escape

import lameenc
import numpy as np
from aiohttp import WSMsgType, web

TOKEN = "6A5AA1D4EAFF4E9FB37E23D68491D6F4"
BASE_PATH = "/consumer/speech/synthesize/readaloud"
SAMPLE_RATE = 24000
BITRATE_KBPS = 48
TICKS_PER_SECOND = 10_000_000
KINDS = ("403", "429", "503", "drop", "truncate", "slow", "noaudio", "down")
RANDOM_KINDS = ("403", "429", "503", "drop", "slow", "noaudio")
SENTENCE_END = "。！？!?"


def _voice(short: str, gender: str, friendly: str, categories: list[str], personalities: list[str]) -> dict:
    locale = "-".join(short.split("-")[:2])
    rest = short[len(locale) + 1 :]
    return {
        "Name": f"Microsoft Server Speech Text to Speech Voice ({locale}, {rest})",
        "ShortName": short,
        "Gender": gender,
        "Locale": locale,
        "SuggestedCodec": "audio-24khz-48kbitrate-mono-mp3",
        "FriendlyName": friendly,
        "Status": "GA",
        "VoiceTag": {"ContentCategories": categories, "VoicePersonalities": personalities},
    }


VOICES = [
    _voice(
        "zh-CN-XiaoxiaoNeural", "Female", "Microsoft Xiaoxiao Online (Natural) - Chinese (Mainland)", ["News", "Novel"], ["Warm"]
    ),
    _voice(
        "zh-CN-XiaoyiNeural", "Female", "Microsoft Xiaoyi Online (Natural) - Chinese (Mainland)", ["Cartoon", "Novel"], ["Lively"]
    ),
    _voice(
        "zh-CN-YunjianNeural", "Male", "Microsoft Yunjian Online (Natural) - Chinese (Mainland)", ["Sports", "Novel"], ["Passion"]
    ),
    _voice(
        "zh-CN-YunxiNeural", "Male", "Microsoft Yunxi Online (Natural) - Chinese (Mainland)", ["Novel"], ["Lively", "Sunshine"]
    ),
    _voice(
        "zh-CN-YunxiaNeural", "Male", "Microsoft Yunxia Online (Natural) - Chinese (Mainland)", ["Cartoon", "Novel"], ["Cute"]
    ),
    _voice(
        "zh-CN-YunyangNeural",
        "Male",
        "Microsoft Yunyang Online (Natural) - Chinese (Mainland)",
        ["News"],
        ["Professional", "Reliable"],
    ),
    _voice(
        "zh-CN-liaoning-XiaobeiNeural",
        "Female",
        "Microsoft Xiaobei Online (Natural) - Chinese (Northeastern Mandarin)",
        ["Dialect"],
        ["Humorous"],
    ),
    _voice(
        "zh-CN-shaanxi-XiaoniNeural",
        "Female",
        "Microsoft Xiaoni Online (Natural) - Chinese (Zhongyuan Mandarin Shaanxi)",
        ["Dialect"],
        ["Bright"],
    ),
    _voice(
        "zh-HK-HiuMaanNeural",
        "Female",
        "Microsoft HiuMaan Online (Natural) - Chinese (Hong Kong)",
        ["General"],
        ["Friendly", "Positive"],
    ),
    _voice(
        "zh-TW-HsiaoChenNeural",
        "Female",
        "Microsoft HsiaoChen Online (Natural) - Chinese (Taiwan)",
        ["General"],
        ["Friendly", "Positive"],
    ),
]
VOICE_GENDER = {v["ShortName"]: v["Gender"] for v in VOICES}


# --------------------------------------------------------------------------------------------
# Audio


def _is_syllable(ch: str) -> bool:
    return ("\u3400" <= ch <= "\u9fff") or ("\uf900" <= ch <= "\ufaff") or (ch.isascii() and ch.isalnum()) or ch.isdigit()


def _pause(ch: str) -> float:
    if ch in SENTENCE_END or ch in "…\n":
        return 0.36
    if ch in "，、；：,;:—":
        return 0.18
    if ch.isspace():
        return 0.06
    return 0.08  # quotes, brackets, other symbols


def _percent(value: str) -> float:
    return float(value.rstrip("%Hz"))


_HARMONICS = np.arange(1, 13)
_HARMONIC_GAIN = 1.0 / _HARMONICS**1.1
# Calibrated so that 新闻 text at the default prosody measures about −20 LUFS (BS.1770).
_LEVEL = 0.66


@functools.lru_cache(maxsize=4096)  # the server's CPU is not what a benchmark of the client measures
def _syllable(code: int, seconds: float, f0_base: float, gain: float) -> np.ndarray:
    n = max(1, round(seconds * SAMPLE_RATE))
    voiced = int(n * 0.82)
    t = np.arange(voiced) / SAMPLE_RATE
    x = t / max(t[-1], 1e-9) if voiced > 1 else t
    f0 = f0_base * (1 + ((code * 7919) % 13 - 6) * 0.025)
    tone = code % 4  # a level, rising, dipping or falling contour
    contour = (np.zeros_like(x), 0.25 * x, -0.3 * np.sin(np.pi * x), 0.1 - 0.35 * x)[tone]
    freq = f0 * (1 + contour)
    phase = 2 * np.pi * np.cumsum(freq) / SAMPLE_RATE
    # formant-ish colouring that depends on the character (a "vowel")
    formant = 500 + (code % 7) * 180
    partials = _HARMONICS[:, None] * freq[None, :]
    weights = _HARMONIC_GAIN[:, None] * (1 / (1 + ((partials - formant) / 400) ** 2) + 0.25)
    wave = (weights * np.sin(_HARMONICS[:, None] * phase[None, :])).sum(axis=0)
    attack = np.minimum(1, x / 0.12)
    release = np.minimum(1, (1 - x) / 0.35)
    envelope = attack * release**1.5
    out = np.zeros(n)
    out[:voiced] = wave * envelope * gain / weights.sum(axis=0).mean()
    return out


@functools.lru_cache(maxsize=4096)  # a warmed-up server answers like a remote one: at no CPU cost here
def synthesize(
    text: str, voice: str, rate: str = "+0%", volume: str = "+0%", pitch: str = "+0Hz"
) -> tuple[bytes, list[tuple[int, int, str]]]:
    """MP3 bytes and [(offset ticks, duration ticks, sentence)] for a request; deterministic."""
    speed = max(0.1, 1 + _percent(rate) / 100)
    female = VOICE_GENDER.get(voice, "Male" if "Yun" in voice else "Female") == "Female"
    gain = _LEVEL * (0.88 if female else 1.0) * max(0.0, 1 + _percent(volume) / 100)
    f0_base = max(40.0, (205.0 if female else 118.0) + _percent(pitch))
    pieces: list[np.ndarray] = [np.zeros(round(0.1 * SAMPLE_RATE))]
    position = len(pieces[0])
    sentences: list[tuple[int, int, str]] = []
    start = None
    current = ""
    for ch in text:
        if _is_syllable(ch):
            piece = _syllable(ord(ch), 0.2 / speed, f0_base, gain)
        else:
            piece = np.zeros(round(_pause(ch) / speed * SAMPLE_RATE))
        if start is None and not ch.isspace():
            start = position
        if start is not None:
            current += ch
        pieces.append(piece)
        position += len(piece)
        if ch in SENTENCE_END and start is not None:
            sentences.append((start, position, current.strip()))
            start, current = None, ""
    if start is not None and current.strip():
        sentences.append((start, position, current.strip()))
    pieces.append(np.zeros(round(0.1 * SAMPLE_RATE)))
    signal = np.concatenate(pieces)
    pcm = np.clip(np.round(signal * 32767), -32768, 32767).astype("<i2").tobytes()
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(BITRATE_KBPS)
    encoder.set_in_sample_rate(SAMPLE_RATE)
    encoder.set_channels(1)
    encoder.set_quality(5)
    mp3 = bytes(encoder.encode(pcm) + encoder.flush())
    ticks = [(s * TICKS_PER_SECOND // SAMPLE_RATE, (e - s) * TICKS_PER_SECOND // SAMPLE_RATE, t) for s, e, t in sentences]
    return mp3, ticks


# --------------------------------------------------------------------------------------------
# Protocol helpers


def _parse_text_frame(frame: str) -> tuple[dict[str, str], str]:
    head, _, body = frame.partition("\r\n\r\n")
    headers = {}
    for line in head.split("\r\n"):
        key, _, value = line.partition(":")
        headers[key] = value
    return headers, body


def parse_ssml(ssml: str) -> tuple[str, str, str, str, str]:
    """(text, voice short name, rate, volume, pitch) from the client's SSML."""
    root = ET.fromstring(ssml)
    voice_el = next(el for el in root.iter() if el.tag.endswith("voice"))
    prosody = next(el for el in voice_el.iter() if el.tag.endswith("prosody"))
    name = voice_el.get("name", "")
    m = re.fullmatch(r"Microsoft Server Speech Text to Speech Voice \((\S+), (\S+)\)", name)
    short = f"{m.group(1)}-{m.group(2)}" if m else name
    text = "".join(prosody.itertext())
    return text, short, prosody.get("rate", "+0%"), prosody.get("volume", "+0%"), prosody.get("pitch", "+0Hz")


def _stamp() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def _text_frame(request_id: str, path: str, body: str, content_type: str = "application/json; charset=utf-8") -> str:
    return f"X-RequestId:{request_id}\r\nContent-Type:{content_type}\r\nPath:{path}\r\n\r\n{body}"


def _audio_frame(request_id: str, data: bytes) -> bytes:
    if data:
        header = f"X-RequestId:{request_id}\r\nContent-Type:audio/mpeg\r\nPath:audio\r\n".encode()
    else:  # the service ends the audio with a frame that has no Content-Type and no data
        header = f"X-RequestId:{request_id}\r\nPath:audio\r\n".encode()
    return len(header).to_bytes(2, "big") + header + data


def _metadata(offset: int, duration: int, text: str) -> str:
    data = {
        "Offset": offset,
        "Duration": duration,
        "text": {"Text": escape(text), "Length": len(text), "BoundaryType": "SentenceBoundary"},
    }
    return json.dumps({"Metadata": [{"Type": "SentenceBoundary", "Data": data}]}, ensure_ascii=False)


# --------------------------------------------------------------------------------------------
# The server


@dataclass
class ServerStats:
    """What the server saw. `failures` counts injected faults by kind ("403", "drop", …)."""

    requests: int = 0  # websocket connections (handshakes), including refused ones
    succeeded: int = 0  # responses that went out complete (turn.end)
    failures: Counter = field(default_factory=Counter)
    voice_lists: int = 0
    texts: list[str] = field(default_factory=list)  # the text of each request that got that far
    voices: list[str] = field(default_factory=list)
    active: int = 0  # requests being served now
    peak: int = 0  # the most served at once

    @property
    def failed(self) -> int:
        return sum(self.failures.values())


class EdgeServer:
    """The protocol server, run on its own event loop in a background thread."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        faults: Sequence[str | None] | Mapping[int, str] | None = None,
        fault_rate: float = 0.0,
        fault_kinds: Sequence[str] = RANDOM_KINDS,
        seed: int = 0,
        retry_after: int | str = 1,
        skew: float = 600.0,
        slow_seconds: float = 30.0,
        frame_bytes: int = 1440,
        down: str | None = None,
    ):
        for kind in [*fault_kinds, *(faults.values() if isinstance(faults, Mapping) else faults or [])]:
            if kind is not None and kind not in KINDS and not re.fullmatch(r"\d{3}", kind):
                raise ValueError(f"unknown fault kind {kind!r} (one of {', '.join(KINDS)} or an HTTP status)")
        self.host = host
        self.port = port
        self.latency = latency
        self.faults = dict(faults) if isinstance(faults, Mapping) else dict(enumerate(faults or []))
        self.fault_rate = fault_rate
        self.fault_kinds = tuple(fault_kinds)
        self.rng = random.Random(seed)
        self.retry_after = retry_after
        self.skew = skew
        self.slow_seconds = slow_seconds
        self.frame_bytes = frame_bytes
        self.down = down
        self.stats = ServerStats()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._site: web.TCPSite | None = None
        self._handlers: set[asyncio.Task] = set()

    # --- addresses

    @property
    def url(self) -> str:
        """The websocket URL for PUBLISH_EDGE_ENDPOINT / EdgeEngine(endpoint=...)."""
        return f"ws://{self.host}:{self.port}{BASE_PATH}/edge/v1?TrustedClientToken={TOKEN}"

    @property
    def voices_url(self) -> str:
        return f"http://{self.host}:{self.port}{BASE_PATH}/voices/list?trustedclienttoken={TOKEN}"

    # --- lifecycle

    def start(self) -> EdgeServer:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="edge-server", daemon=True)
        self._thread.start()
        self._call(self._start())
        return self

    def stop(self) -> None:
        if self._loop is None:
            return
        loop, self._loop = self._loop, None
        try:
            asyncio.run_coroutine_threadsafe(self._stop(), loop).result(timeout=10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            assert self._thread is not None
            self._thread.join(timeout=10)
            loop.close()

    def __enter__(self) -> EdgeServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def set_down(self, mode: str | None) -> None:
        """Start ("503": every request answered 503; "refuse": nothing listens) or end (None) an outage."""
        if mode not in (None, "503", "refuse"):
            raise ValueError(f"mode {mode!r} is not '503', 'refuse' or None")
        self._call(self._set_down(mode))

    def _call(self, coro):
        assert self._loop is not None, "the server is not running"
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _start(self) -> None:
        app = web.Application()
        for base in (BASE_PATH, ""):
            app.router.add_get(f"{base}/edge/v1", self._websocket)
            app.router.add_get(f"{base}/voices/list", self._voice_list)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        await self._listen()

    async def _listen(self) -> None:
        assert self._runner is not None
        self._site = web.TCPSite(self._runner, self.host, self.port)
        await self._site.start()
        if self.port == 0:
            self.port = self._runner.addresses[0][1]

    async def _stop(self) -> None:
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._runner is not None:
            await self._runner.cleanup()

    async def _set_down(self, mode: str | None) -> None:
        if mode == "refuse":
            if self._site is not None:
                await self._site.stop()
                self._site = None
            self.down = None
            return
        self.down = mode
        if self._site is None:
            await self._listen()

    # --- handlers

    def _fault(self, number: int) -> str | None:
        if self.down:
            return "down"
        kind = self.faults.get(number)
        if kind is None and self.fault_rate and self.rng.random() < self.fault_rate:
            kind = self.rng.choice(self.fault_kinds)
        if kind == "down":
            self.down = "503"
        return kind

    def _refuse(self, kind: str) -> web.Response:
        self.stats.failures[kind] += 1
        status = 503 if kind == "down" else int(kind)
        headers = {}
        if status == 403:
            headers["Date"] = formatdate(time.time() + self.skew, usegmt=True)
        if status == 429:
            headers["Retry-After"] = str(self.retry_after)
        return web.Response(status=status, headers=headers, text=f"{status}")

    async def _voice_list(self, request: web.Request) -> web.StreamResponse:
        self.stats.voice_lists += 1
        if self.down:
            return web.Response(status=503)
        return web.json_response(VOICES)

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.stats.active += 1
        self.stats.peak = max(self.stats.peak, self.stats.active)
        try:
            return await self._serve(request)
        finally:
            self.stats.active -= 1
            self._handlers.discard(task)

    async def _serve(self, request: web.Request) -> web.StreamResponse:
        number = self.stats.requests
        self.stats.requests += 1
        kind = self._fault(number)
        if not all(request.query.get(k) for k in ("TrustedClientToken", "ConnectionId", "Sec-MS-GEC", "Sec-MS-GEC-Version")):
            kind = "400"
        if kind is not None and (kind == "down" or re.fullmatch(r"\d{3}", kind)):
            return self._refuse(kind)

        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        ssml = ""
        for _ in range(2):
            msg = await ws.receive(timeout=30)
            if msg.type != WSMsgType.TEXT:
                await ws.close()
                return ws
            headers, body = _parse_text_frame(msg.data)
            if headers.get("Path") == "ssml":
                request_id, ssml = headers.get("X-RequestId", uuid.uuid4().hex), body
        if not ssml:
            await ws.close()
            return ws
        text, voice, rate, volume, pitch = parse_ssml(ssml)
        self.stats.texts.append(text)
        self.stats.voices.append(voice)

        await ws.send_str(_text_frame(request_id, "turn.start", '{"context":{"serviceTag":"local"}}'))
        await ws.send_str(_text_frame(request_id, "response", '{"context":{"serviceTag":"local"},"audio":{"type":"inline"}}'))
        if kind == "noaudio" or voice not in VOICE_GENDER or not text.strip():
            # the service answers silence for unknown or blocked voices and unspeakable text
            self.stats.failures["noaudio"] += 1
            await ws.send_str(_text_frame(request_id, "turn.end", "{}"))
            await ws.close()
            return ws
        if self.latency:
            await asyncio.sleep(self.latency)

        mp3, sentences = synthesize(text, voice, rate, volume, pitch)
        size = self.frame_bytes
        frames = [mp3[i : i + size] for i in range(0, len(mp3), size)]
        if len(frames) < 3:
            size = -(-len(mp3) // 3)
            frames = [mp3[i : i + size] for i in range(0, len(mp3), size)]
        pending = list(sentences)
        sent_bytes = 0
        for index, frame in enumerate(frames):
            if kind in ("drop", "truncate") and index == max(1, len(frames) // 2):
                self.stats.failures[kind] += 1
                if kind == "drop":
                    assert request.transport is not None
                    request.transport.abort()
                else:
                    await ws.close()
                return ws
            if kind == "slow" and index == 1:
                self.stats.failures["slow"] += 1
                with contextlib.suppress(asyncio.TimeoutError):
                    while True:  # until the client goes away or the stall is over
                        msg = await ws.receive(timeout=self.slow_seconds)
                        if msg.type in (WSMsgType.CLOSE, WSMsgType.CLOSING, WSMsgType.CLOSED, WSMsgType.ERROR):
                            return ws
                kind = None
            sent_bytes += len(frame)
            # sentence boundaries go out ahead of the audio they start in
            while pending and pending[0][0] * BITRATE_KBPS * 1000 // 8 // TICKS_PER_SECOND < sent_bytes:
                offset, duration, sentence = pending.pop(0)
                await ws.send_str(_text_frame(request_id, "audio.metadata", _metadata(offset, duration, sentence)))
            await ws.send_bytes(_audio_frame(request_id, frame))
        for offset, duration, sentence in pending:
            await ws.send_str(_text_frame(request_id, "audio.metadata", _metadata(offset, duration, sentence)))
        await ws.send_bytes(_audio_frame(request_id, b""))
        await ws.send_str(_text_frame(request_id, "turn.end", "{}"))
        self.stats.succeeded += 1
        await ws.close()
        return ws


def start_server(**options) -> EdgeServer:
    """Start an EdgeServer (options as for EdgeServer) in a background thread; stop() it after."""
    return EdgeServer(**options).start()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="A local server speaking the Edge read-aloud protocol.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds before the first audio frame")
    parser.add_argument("--fault-rate", type=float, default=0.0)
    parser.add_argument("--fault-kinds", default=",".join(RANDOM_KINDS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--down", choices=["503"], default=None)
    args = parser.parse_args(argv)
    server = start_server(
        host=args.host,
        port=args.port,
        latency=args.latency,
        fault_rate=args.fault_rate,
        fault_kinds=args.fault_kinds.split(","),
        seed=args.seed,
        down=args.down,
    )
    print(f"PUBLISH_EDGE_ENDPOINT={server.url}", flush=True)
    done = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: done.set())
    try:
        done.wait()
    finally:
        server.stop()
        stats = server.stats
        print(f"requests {stats.requests}, ok {stats.succeeded}, faults {dict(stats.failures)}", flush=True)


if __name__ == "__main__":
    main()
