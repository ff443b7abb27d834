"""Audio plumbing: decoding clips, trimming, BS.1770 loudness (cross-checked with pyloudnorm),
the true-peak limiter, MP3 writing and the whole chain to a −16 LUFS file."""

from __future__ import annotations

import asyncio
import math

import numpy as np
import pyloudnorm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.errors import SpeechError
from publish.speech.sound.audio import (
    RATE,
    Limiter,
    LoudnessMeter,
    Mp3Writer,
    clip_pcm,
    db_to_gain,
    decode_mp3,
    duration,
    gain_to_db,
    loudness_gain,
    measure,
    normalise,
    read_mp3,
    silence,
    trim,
)
from publish.speech.sound.engines.base import Clip, Prosody
from publish.speech.sound.engines.offline import OfflineEngine

SPEECH = "今天天气很好。我们去公园散步吧！明天可能会下雨，记得带伞。这座城市的公共交通越来越方便了。"


def tone(freq: float, seconds: float, amplitude: float = 0.5, rate: int = RATE, phase: float = 0.0) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t + phase)).astype(np.float32)


def noise(seconds: float, level: float = 0.1, seed: int = 1) -> np.ndarray:
    return (np.random.default_rng(seed).normal(0, level, round(seconds * RATE))).astype(np.float32)


def integrated(pcm: np.ndarray) -> float:
    meter = LoudnessMeter()
    meter.add(pcm)
    return meter.integrated


def true_peak(pcm: np.ndarray) -> float:
    meter = LoudnessMeter()
    meter.add(pcm)
    return meter.true_peak


def limit(pcm: np.ndarray, limiter: Limiter | None = None) -> np.ndarray:
    limiter = limiter or Limiter()
    return np.concatenate([limiter.process(pcm), limiter.flush()])


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """Real offline speech at RATE, trimmed (about 10 s)."""

    async def make():
        engine = OfflineEngine()
        try:
            return await engine.synthesize(SPEECH, "cmn", Prosody())
        finally:
            await engine.close()

    return trim(clip_pcm(asyncio.run(make())))


# -- helpers, decoding, trimming -------------------------------------------------------------


def test_decibel_helpers():
    assert db_to_gain(-6.0) == pytest.approx(0.501187)
    assert gain_to_db(db_to_gain(-16.5)) == pytest.approx(-16.5)
    assert gain_to_db(0.0) == -math.inf
    assert len(silence(0.5)) == RATE // 2 and not silence(0.5).any()


def test_pcm16_clip_is_resampled_to_rate():
    source = tone(440, 1.0, 0.5, rate=22050)
    clip = Clip((source * 32767).astype("<i2").tobytes(), "pcm16", 22050)
    pcm = clip_pcm(clip)
    assert pcm.dtype == np.float32 and len(pcm) == RATE
    spectrum = np.abs(np.fft.rfft(pcm))
    assert np.argmax(spectrum) * RATE / len(pcm) == pytest.approx(440, abs=1)
    assert np.abs(pcm[1000:-1000]).max() == pytest.approx(0.5, abs=0.01)


def test_mp3_clip_decodes(tmp_path):
    path = tmp_path / "tone.mp3"
    with Mp3Writer(path) as writer:
        writer.write(tone(440, 1.0))
    pcm = clip_pcm(Clip(path.read_bytes(), "mp3", RATE))
    assert np.array_equal(pcm, read_mp3(path)) and np.array_equal(pcm, decode_mp3(path.read_bytes()))
    assert duration(pcm) == pytest.approx(1.0, abs=0.1)


def test_unknown_clip_format_and_bad_mp3():
    with pytest.raises(SpeechError, match="unknown clip format"):
        clip_pcm(Clip(b"", "ogg", RATE))
    with pytest.raises(SpeechError, match="cannot decode"):
        decode_mp3(b"not an mp3 at all" * 100)


def test_trim_strips_uneven_silence():
    pcm = np.concatenate([silence(0.7), tone(300, 1.0, 0.3), silence(0.2)])
    trimmed = trim(pcm)
    assert duration(trimmed) == pytest.approx(1.0 + 2 * 0.03, abs=0.002)
    assert len(trim(silence(1.0))) == 0
    assert len(trim(silence(1.0) + 1e-4)) == 0  # under -45 dBFS counts as silence


# -- loudness --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["noise", "sine", "low sine", "loud and quiet", "speech"],
)
def test_meter_agrees_with_pyloudnorm(name, speech):
    pcm = {
        "noise": noise(10.0),
        "sine": tone(1000, 5.0, 0.5),
        "low sine": tone(100, 5.0, 0.3),
        "loud and quiet": np.concatenate([noise(3.0, 0.1), noise(3.0, 0.001, 2), noise(4.0, 0.03, 3)]),
        "speech": speech,
    }[name]
    reference = pyloudnorm.Meter(RATE).integrated_loudness(pcm.astype(np.float64))
    assert integrated(pcm) == pytest.approx(reference, abs=0.1)


def test_meter_reads_the_standard_sine():
    # BS.1770: a 0 dBFS 1 kHz sine reads -3.01 LUFS; so at -6.02 dBFS, -9.03
    assert integrated(tone(1000, 5.0, 0.5)) == pytest.approx(-9.03, abs=0.02)


def test_true_peak_sees_between_samples():
    # a 6 kHz sine at 45° phase: every sample is at ±0.707 of the true peak
    pcm = tone(6000, 1.0, 0.5, phase=math.pi / 4)
    fade = np.minimum(1.0, np.minimum(np.arange(len(pcm)), np.arange(len(pcm))[::-1]) / 480)
    pcm = pcm * fade.astype(np.float32)  # no clicks at the ends: their ringing is a real peak
    assert gain_to_db(np.abs(pcm).max()) == pytest.approx(gain_to_db(0.5) - 3.01, abs=0.05)
    assert true_peak(pcm) == pytest.approx(gain_to_db(0.5), abs=0.1)


def test_silence_and_short_audio_have_no_loudness():
    assert integrated(silence(2.0)) == -math.inf
    assert integrated(tone(1000, 0.3)) == -math.inf  # shorter than one 400 ms block
    assert LoudnessMeter().true_peak == -math.inf
    assert loudness_gain(-math.inf) == 1.0
    assert loudness_gain(-19.0) == pytest.approx(db_to_gain(3.0))


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 9000), min_size=1, max_size=40))
def test_meter_in_chunks_equals_one_call(sizes):
    pcm = np.concatenate([noise(3.0, 0.1), tone(800, 1.5, 0.2)])
    whole = LoudnessMeter()
    whole.add(pcm)
    chunked = LoudnessMeter()
    for piece in np.split(pcm, [cut for cut in np.cumsum(sizes) if cut < len(pcm)]):
        chunked.add(piece)
    assert chunked.samples == len(pcm)
    assert chunked.integrated == whole.integrated
    assert chunked.true_peak == pytest.approx(whole.true_peak, abs=1e-9)


def test_meter_memory_is_one_float_per_hop():
    meter = LoudnessMeter()
    for _ in range(30):
        meter.add(noise(1.0))
    assert len(meter._energies) == 300 and len(meter._pending) < RATE // 10


# -- limiter ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["noise", "square", "clicks", "high sine"])
def test_limiter_keeps_true_peak_under_ceiling(kind):
    rng = np.random.default_rng(7)
    pcm = {
        "noise": noise(2.0, 1.0),
        "square": np.sign(tone(220, 2.0)) * 2.0,
        "clicks": np.where(rng.random(2 * RATE) > 0.999, 6.0, 0.0) * rng.choice([-1, 1], 2 * RATE),
        "high sine": tone(9000, 2.0, 3.0, phase=0.3),
    }[kind].astype(np.float32)
    assert true_peak(pcm) > 3.0
    assert true_peak(limit(pcm, Limiter(-2.0))) <= -2.0


def test_limiter_leaves_quiet_input_unchanged():
    pcm = np.concatenate([tone(300, 1.0, 0.3), noise(1.0, 0.05)])
    assert np.array_equal(limit(pcm), pcm)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 3000), max_size=12), st.floats(0.001, 0.02), st.floats(0.01, 0.2))
def test_limiter_length_and_chunking(sizes, lookahead, release):
    pcm = (noise(0.5, 0.8, seed=len(sizes)) * np.linspace(0.1, 2.0, RATE // 2)).astype(np.float32)[: sum(sizes)]
    limiter = Limiter(-3.0, lookahead, release)
    pieces, start = [], 0
    for size in sizes:
        pieces.append(limiter.process(pcm[start : start + size]))
        start += size
        assert sum(map(len, pieces)) <= start
    pieces.append(limiter.flush())
    out = np.concatenate(pieces)
    assert len(out) == len(pcm)
    assert np.array_equal(out, limit(pcm, Limiter(-3.0, lookahead, release)))


# -- MP3 -------------------------------------------------------------------------------------


def test_mp3_writer_round_trip_and_reproducible(tmp_path, speech):
    paths = [tmp_path / "a.mp3", tmp_path / "b.mp3"]
    for path, chunk in zip(paths, (4800, 1000), strict=False):
        with Mp3Writer(path) as writer:
            for start in range(0, len(speech), chunk):
                writer.write(speech[start : start + chunk])
        assert writer.samples == len(speech)
    assert paths[0].read_bytes() == paths[1].read_bytes()
    decoded = read_mp3(paths[0])
    assert duration(decoded) == pytest.approx(duration(speech), abs=0.1)
    assert integrated(decoded) == pytest.approx(integrated(speech), abs=0.1)  # LAME's 0.95 is undone


def test_full_chain_reaches_minus_16_lufs(tmp_path, speech):
    # one gain alone would end ~1 LU low: limiting espeak's peaks lowers the loudness, which
    # normalise() measures and makes up for
    assert integrated(speech) < -17.5 and true_peak(speech) > -1.5
    path = tmp_path / "edition.mp3"
    with Mp3Writer(path) as writer:
        writer.write(normalise(speech, target=-16.0))
    result = measure(path)
    assert result.integrated == pytest.approx(-16.0, abs=0.5)
    assert result.true_peak <= -1.5
    assert result.duration == pytest.approx(duration(speech), abs=0.1)
