"""Audio plumbing for the editions: decoding engine clips, trimming, loudness (ITU-R BS.1770-4),
a true-peak limiter and streaming MP3 encoding.

Everything inside publish runs at `RATE` Hz, mono, float32 samples in [-1, 1]: the edge
service's native rate, so its clips need no resampling.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import lameenc
import miniaudio
import numpy as np
from scipy.ndimage import minimum_filter1d
from scipy.signal import firwin, resample_poly, sosfilt

from ...errors import SpeechError
from .engines.base import Clip

RATE = 24000
BLOCK = 0.4  # BS.1770 gating block, seconds
HOP = 0.1  # 75 % overlap: a new block every 100 ms
ABSOLUTE_GATE = -70.0  # LUFS
RELATIVE_GATE = -10.0  # LU below the absolutely gated loudness
OVERSAMPLE = 4  # true peak: 4× oversampling as BS.1770-4 Annex 2
TAPS_PER_PHASE = 16  # interpolation filter length per phase (65 taps at 4×)
SAFETY_DB = 0.05  # the limiter aims this far under its ceiling
# Limiter ceiling: 64 kbps MP3 encoding raised espeak speech's true peak by 0.27-0.60 dB, so
# -2.5 dBTP before encoding keeps the file under -1.5 dBTP.
CEILING_DB = -2.5


# -- small helpers ---------------------------------------------------------------------------


def db_to_gain(db: float) -> float:
    """Decibels → linear amplitude factor."""
    return 10.0 ** (db / 20.0)


def gain_to_db(gain: float) -> float:
    """Linear amplitude factor → decibels (-inf for 0)."""
    return 20.0 * math.log10(gain) if gain > 0 else -math.inf


def silence(seconds: float) -> np.ndarray:
    """`seconds` of digital silence at RATE."""
    return np.zeros(max(0, round(seconds * RATE)), dtype=np.float32)


def duration(pcm: np.ndarray) -> float:
    """Seconds of audio in `pcm` (at RATE)."""
    return len(pcm) / RATE


def resample(pcm: np.ndarray, rate: int, to: int = RATE) -> np.ndarray:
    """`pcm` at `rate` Hz → `to` Hz with a polyphase filter (22,050 → 24,000 is ×160/147)."""
    pcm = np.asarray(pcm, dtype=np.float32)
    if rate == to or len(pcm) == 0:
        return pcm
    g = math.gcd(rate, to)
    return resample_poly(pcm, to // g, rate // g).astype(np.float32)


def to_pcm16(pcm: np.ndarray) -> bytes:
    """float samples → signed 16-bit little-endian bytes (clipped, rounded: deterministic)."""
    scaled = np.clip(np.asarray(pcm, dtype=np.float64) * 32767.0, -32768.0, 32767.0)
    return np.rint(scaled).astype("<i2").tobytes()


# -- decoding --------------------------------------------------------------------------------


def decode_mp3(data: bytes) -> np.ndarray:
    """MP3 bytes → float32 mono at RATE (channels averaged). Includes the codec's delay and
    padding (about 70 ms for our own files): lameenc writes no gapless header."""
    try:
        sound = miniaudio.mp3_read_f32(bytes(data))
    except miniaudio.DecodeError as exc:
        raise SpeechError(f"cannot decode MP3 audio: {exc}") from exc
    pcm = np.frombuffer(sound.samples, dtype=np.float32)
    if sound.nchannels > 1:
        pcm = pcm.reshape(-1, sound.nchannels).mean(axis=1)
    return resample(pcm, sound.sample_rate)


def read_mp3(path: str | Path) -> np.ndarray:
    """An MP3 file → float32 mono at RATE."""
    return decode_mp3(Path(path).read_bytes())


def clip_pcm(clip: Clip) -> np.ndarray:
    """An engine's Clip (MP3, or pcm16 at any rate) → float32 mono at RATE."""
    if clip.format == "mp3":
        return decode_mp3(clip.data)
    if clip.format == "pcm16":
        pcm = np.frombuffer(clip.data, dtype="<i2").astype(np.float32) / 32768.0
        return resample(pcm, clip.sample_rate)
    raise SpeechError(f"unknown clip format {clip.format!r} (expected mp3 or pcm16)")


def voiced(pcm: np.ndarray, threshold_db: float = -45.0, pad: float = 0.03) -> tuple[int, int]:
    """First and last (exclusive) sample of the sound in `pcm`: samples louder than
    `threshold_db` dBFS, with `pad` seconds kept on each side; (0, 0) for silence."""
    loud = np.flatnonzero(np.abs(pcm) > db_to_gain(threshold_db))
    if len(loud) == 0:
        return 0, 0
    keep = round(pad * RATE)
    return max(0, int(loud[0]) - keep), min(len(pcm), int(loud[-1]) + 1 + keep)


def trim(pcm: np.ndarray, threshold_db: float = -45.0, pad: float = 0.03) -> np.ndarray:
    """Strip leading and trailing silence (see `voiced`). Engines add uneven silence; the
    edition adds its own pauses. All-silent input gives an empty array."""
    pcm = np.asarray(pcm, dtype=np.float32)
    first, last = voiced(pcm, threshold_db, pad)
    return pcm[first:last]


# -- loudness --------------------------------------------------------------------------------


# The shelf at 24 kHz, least-squares fitted to the standard's 48 kHz response from 20 Hz to
# 11 kHz (max error 0.0002 dB; the bilinear formula below is off by up to 0.025 dB at 24 kHz).
SHELF_24K = (1.48695234, -2.24997436, 0.90617564, 1.0, -1.39337427, 0.53652784)


def k_weighting(rate: int = RATE) -> np.ndarray:
    """BS.1770 K-weighting (high shelf + RLB high-pass) as second-order sections for any rate:
    the standard's 48 kHz coefficients exactly, and the same response (±0.001 dB) at RATE."""
    shelf, highpass = _shelf(rate), _highpass(rate)
    return np.array([shelf, highpass])


def _shelf(rate: int) -> list[float]:
    if rate == 24000:
        return list(SHELF_24K)
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * f0 / rate)
    vh = 10.0 ** (gain_db / 20.0)
    vb = vh**0.4996667741545416
    a0 = 1.0 + k / q + k * k
    shelf = [(vh + vb * k / q + k * k) / a0, 2.0 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0,
             1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0]  # fmt: skip
    return shelf


def _highpass(rate: int) -> list[float]:
    """The RLB high-pass. The standard's numerator [1, -2, 1] is unnormalised: its passband
    gain depends on the rate, so it is scaled to the 48 kHz filter's gain."""

    def denominator(rate: int) -> tuple[float, float]:
        f0, q = 38.13547087602444, 0.5003270373238773
        k = math.tan(math.pi * f0 / rate)
        a0 = 1.0 + k / q + k * k
        return 2.0 * (k * k - 1.0) / a0, (1.0 - k / q + k * k) / a0

    a1, a2 = denominator(rate)
    ref1, ref2 = denominator(48000)
    b = (1.0 - a1 + a2) / (1.0 - ref1 + ref2)  # passband gain 4 / (1 - a1 + a2), at Nyquist
    return [b, -2.0 * b, b, 1.0, a1, a2]


def interpolator(factor: int = OVERSAMPLE, taps: int = TAPS_PER_PHASE) -> np.ndarray:
    """Polyphase low-pass for true-peak oversampling: row p gives the samples at +p/factor,
    each row a causal FIR of taps+1 coefficients with a delay of taps/2 input samples."""
    h = firwin(factor * taps + 1, 1.0 / factor, window=("kaiser", 5.0)) * factor
    h = np.concatenate([h, np.zeros(factor - 1)])
    return h.reshape(-1, factor).T.copy()


class TruePeak:
    """Streaming oversampled peak detector: `add(pcm)` returns, per input sample, the largest
    absolute value of the 4× oversampled signal over [t, t + 1) at t = input index - delay."""

    def __init__(self) -> None:
        self.phases = interpolator()
        self.delay = TAPS_PER_PHASE // 2
        self._history = np.zeros(TAPS_PER_PHASE)

    def add(self, pcm: np.ndarray) -> np.ndarray:
        pcm = np.asarray(pcm, dtype=np.float64)
        ext = np.concatenate([self._history, pcm])
        self._history = ext[len(ext) - TAPS_PER_PHASE :]
        rows = np.empty((len(self.phases), len(ext) - self.phases.shape[1] + 1))
        for row, phase in zip(rows, self.phases, strict=True):
            row[:] = np.convolve(ext, phase, mode="valid")
        return np.abs(rows, out=rows).max(axis=0)


class LoudnessMeter:
    """BS.1770-4 integrated loudness and true peak, fed in chunks of any size.

    Memory stays constant except one float per 100 ms of audio (the energy of each hop; the
    400 ms gating blocks are sums of four hops). Feeding chunks gives the same result as one
    call: filtering carries its state and hops are summed only when complete.
    """

    def __init__(self, rate: int = RATE, true_peak: bool = True) -> None:
        """`true_peak=False` skips the oversampled peak (a third of the cost) when only the
        loudness is wanted."""
        self.rate = rate
        self._sos = k_weighting(rate)
        self._zi = np.zeros((self._sos.shape[0], 2))
        self._hop = round(HOP * rate)
        self._pending = np.zeros(0)  # K-weighted samples of the unfinished hop
        self._energies = array("d")  # sum of squares per complete hop
        self._peak = TruePeak() if true_peak else None
        self._max_peak = 0.0
        self.samples = 0

    def add(self, pcm: np.ndarray) -> None:
        """Feed the next samples (float, mono, at `rate`)."""
        pcm = np.asarray(pcm, dtype=np.float64)
        if len(pcm) == 0:
            return
        self.samples += len(pcm)
        weighted, self._zi = sosfilt(self._sos, pcm, zi=self._zi)
        pending = np.concatenate([self._pending, weighted])
        complete = len(pending) // self._hop * self._hop
        if complete:
            hops = pending[:complete].reshape(-1, self._hop)
            self._energies.extend(np.einsum("ij,ij->i", hops, hops))
        self._pending = pending[complete:]
        if self._peak is not None:
            peaks = self._peak.add(pcm)
            self._max_peak = max(self._max_peak, float(peaks.max()), float(np.abs(pcm).max()))

    @property
    def duration(self) -> float:
        return self.samples / self.rate

    def block_loudness(self) -> np.ndarray:
        """Mean square of each complete 400 ms block (hops i..i+3)."""
        energies = np.frombuffer(self._energies, dtype=np.float64) if self._energies else np.zeros(0)
        per_block = round(BLOCK / HOP)
        if len(energies) < per_block:
            return np.zeros(0)
        sums = np.convolve(energies, np.ones(per_block), mode="valid")
        return sums / (per_block * self._hop)

    @property
    def integrated(self) -> float:
        """Gated loudness in LUFS; -inf when no block passes the -70 LUFS absolute gate
        (silence, or less than 400 ms of audio): `loudness_gain` leaves such audio alone."""
        power = self.block_loudness()
        with np.errstate(divide="ignore"):
            loudness = -0.691 + 10.0 * np.log10(power)
        gated = power[loudness > ABSOLUTE_GATE]
        if len(gated) == 0:
            return -math.inf
        relative = -0.691 + 10.0 * math.log10(gated.mean()) + RELATIVE_GATE
        gated = power[(loudness > ABSOLUTE_GATE) & (loudness > relative)]
        return -0.691 + 10.0 * math.log10(gated.mean())

    @property
    def true_peak(self) -> float:
        """Largest absolute value of the 4× oversampled signal, in dBTP (-inf for silence)."""
        if self._peak is None:
            raise ValueError("this meter was made with true_peak=False")
        return gain_to_db(self._max_peak)


def loudness_gain(integrated: float, target: float = -16.0) -> float:
    """Linear gain taking audio at `integrated` LUFS to `target`; 1.0 for silence (-inf)."""
    if not math.isfinite(integrated):
        return 1.0
    return db_to_gain(target - integrated)


# -- limiter ---------------------------------------------------------------------------------


class Limiter:
    """A deterministic streaming lookahead limiter keeping the true peak at or under `ceiling_db`.

    The gain needed at each sample comes from the oversampled peak around it; a running
    minimum over the lookahead window, a linear release (gain climbs back from 0 to 1 in
    `release` seconds) and a moving average of lookahead length give a smooth gain that is
    already down when the peak arrives. Output lags input internally by `delay` samples:
    `process` returns fewer samples at first and `flush` returns the rest, so the whole output
    is as long as the whole input and aligned with it; quiet input passes unchanged.
    """

    def __init__(self, ceiling_db: float = CEILING_DB, lookahead: float = 0.005, release: float = 0.05) -> None:
        # aim a little under: the gain changing within the interpolation kernel can overshoot
        # the per-sample target by ~0.01 dB on 25 dB of limiting
        self.ceiling = db_to_gain(ceiling_db - SAFETY_DB)
        self.window = max(1, round(lookahead * RATE))
        self.step = 1.0 / max(1.0, release * RATE)
        self.delay = TAPS_PER_PHASE // 2 + self.window
        self._reset()

    def _reset(self) -> None:
        self._peak = TruePeak()
        self._last_peak = 0.0  # peak over [t-1, t) for the first sample of the next chunk
        self._needs = np.ones(self.window)  # required gain of the last `window` times
        self._count = 0  # times processed so far (the release's clock)
        self._release_max = -math.inf
        self._sums = np.zeros(self.window + 1)  # running sums of attenuation, last window+1
        self._signal = np.zeros(self.delay)  # input waiting for its gain
        self._skip = self.delay

    def process(self, pcm: np.ndarray) -> np.ndarray:
        """Limit the next samples; returns the output that is ready (float32)."""
        pcm = np.asarray(pcm, dtype=np.float64)
        n = len(pcm)
        if n == 0:
            return np.zeros(0, dtype=np.float32)
        # peak over [t-1, t+1) for each time t = input index - taps/2
        forward = self._peak.add(pcm)
        both = np.maximum(forward, np.concatenate([[self._last_peak], forward[:-1]]))
        self._last_peak = float(forward[-1])
        with np.errstate(divide="ignore"):
            need = np.minimum(1.0, self.ceiling / both)
        # minimum over the last window+1 required gains
        ext = np.concatenate([self._needs, need])
        self._needs = ext[n:]
        size = self.window + 1
        floor = _window_min(ext, size)
        # release: attenuation u(t) = max(0, max over k <= t of (1 - floor(k) + k·step) - t·step)
        clock = np.arange(self._count, self._count + n, dtype=np.float64) * self.step
        rising = np.maximum.accumulate(np.concatenate([[self._release_max], 1.0 - floor + clock]))
        self._release_max = float(rising[-1])
        attenuation = np.maximum(0.0, rising[1:] - clock)
        attenuation = np.maximum(attenuation, 1.0 - floor)
        self._count += n
        # moving average of attenuation over window+1 times
        sums = np.cumsum(np.concatenate([self._sums[-1:], attenuation]))[1:]
        allsums = np.concatenate([self._sums, sums])
        self._sums = allsums[-(self.window + 1) :]
        gain = 1.0 - (allsums[size:] - allsums[:n]) / size
        # the signal delayed by `delay`
        signal = np.concatenate([self._signal, pcm])
        self._signal = signal[n:]
        out = (signal[:n] * gain).astype(np.float32)
        skip = min(self._skip, n)
        self._skip -= skip
        return out[skip:]

    def flush(self) -> np.ndarray:
        """The delayed tail; the limiter then starts afresh."""
        tail = self.process(np.zeros(self.delay))
        self._reset()
        return tail


def _window_min(values: np.ndarray, size: int) -> np.ndarray:
    """Minimum of each run of `size` consecutive values: len(values) - size + 1 results."""
    centre = size // 2
    return minimum_filter1d(values, size, mode="nearest")[centre : len(values) - (size - 1 - centre)]


def settle_gain(measure: Callable[[float], float], loudness: float, target: float, passes: int, tolerance: float) -> float:
    """The gain (dB) that brings limited audio measured at `loudness` LUFS (before gain and
    limiting) to `target`. Limiting lowers the loudness (about 1 LU on espeak's peaky speech),
    so each pass measures the limited result at the current gain (`measure(gain_db)`) and
    corrects it by a secant step (more gain, more limiting); returns the last correction."""
    gain_db, slope, last = target - loudness, 1.0, None
    for _ in range(passes):
        measured = measure(gain_db)
        if abs(target - measured) < tolerance:
            break
        if last is not None and gain_db != last[0]:
            slope = min(1.0, max(0.1, (measured - last[1]) / (gain_db - last[0])))
        last = (gain_db, measured)
        gain_db += (target - measured) / slope
    return gain_db


def normalise(pcm: np.ndarray, target: float = -16.0, ceiling_db: float = CEILING_DB, passes: int = 4) -> np.ndarray:
    """`pcm` at `target` LUFS (±0.05) with its true peak under `ceiling_db`, in memory."""
    pcm = np.asarray(pcm, dtype=np.float32)
    loudness = _integrated(pcm)
    if not math.isfinite(loudness):
        return pcm.copy()

    def limited(gain_db: float) -> np.ndarray:
        limiter = Limiter(ceiling_db)
        return np.concatenate([limiter.process(pcm * db_to_gain(gain_db)), limiter.flush()])

    gain_db = settle_gain(lambda g: _integrated(limited(g)), loudness, target, passes, 0.05)
    return limited(gain_db)


def _integrated(pcm: np.ndarray) -> float:
    meter = LoudnessMeter()
    meter.add(pcm)
    return meter.integrated


# -- MP3 -------------------------------------------------------------------------------------


# LAME's encoder delay (576 + 529 samples): decoders without a gapless header, which lameenc
# does not write, play this much silence before the first sample written
ENCODER_DELAY = 1105


class Mp3Writer:
    """Streaming MP3 encoding (lameenc, mono, constant bitrate, fixed quality: the same samples
    give the same bytes). Writes exactly `path`; the caller arranges temp file + rename.

    LAME scales its input by 0.95 (-0.45 dB, its library default, which lameenc cannot change;
    mpg123 and miniaudio both decode it so): the writer pre-scales by 1/0.95, so the file
    decodes at the level written and loudness measured before encoding holds after it
    (samples above 0.95 clip: limit first).
    """

    QUALITY = 5  # LAME's default algorithm choice (2 "near best" is 2.7x as slow, no audible gain for
    # speech at 64 kbit/s); fixed so bytes are reproducible
    LAME_SCALE = 0.95

    def __init__(self, path: str | Path, bitrate: int = 64, rate: int = RATE) -> None:
        self.path = Path(path)
        self.rate = rate
        self.samples = 0
        self._encoder = lameenc.Encoder()
        self._encoder.set_bit_rate(bitrate)
        self._encoder.set_in_sample_rate(rate)
        self._encoder.set_out_sample_rate(rate)
        self._encoder.set_channels(1)
        self._encoder.set_quality(self.QUALITY)
        self._file = self.path.open("wb")

    def write(self, pcm: np.ndarray) -> None:
        """Encode the next samples (float, mono, at `rate`)."""
        if len(pcm):
            self.samples += len(pcm)
            pcm = np.asarray(pcm, dtype=np.float64) / self.LAME_SCALE
            self._file.write(self._encoder.encode(to_pcm16(pcm)))

    def close(self) -> None:
        """Flush the encoder and close the file (safe to call twice)."""
        if self._file.closed:
            return
        try:
            if self.samples:  # lameenc refuses to flush an encoder that was given nothing
                self._file.write(self._encoder.flush())
        finally:
            self._file.close()

    def __enter__(self) -> Mp3Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# MPEG audio: bit rates (kbit/s) by index for MPEG-1 and MPEG-2/2.5 Layer III, sample rates by version
_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def mp3_frames(data: bytes) -> int:
    """Layer III frames in `data` (ID3v2 tag skipped). Frames of one stream decode to 576
    (MPEG-2) or 1152 (MPEG-1) samples each, so this gives a file's decoded length exactly
    (`mp3_seconds`); files from `Mp3Writer` concatenate frame by frame."""
    at = 10 + _syncsafe(data[6:10]) if data[:3] == b"ID3" else 0
    count = 0
    while at + 4 <= len(data):
        header = int.from_bytes(data[at : at + 4], "big")
        if header >> 21 != 0x7FF:
            raise ValueError(f"no MPEG frame at byte {at}")
        version = (header >> 19) & 3
        bitrate = _BITRATES[3 if version == 3 else 2][(header >> 12) & 15] * 1000
        rate = _RATES[version][(header >> 10) & 3]
        padding = (header >> 9) & 1
        at += (144 if version == 3 else 72) * bitrate // rate + padding
        count += 1
    return count


def mp3_payload(data: bytes) -> bytes:
    """The frames of an MP3 file, without its ID3v2 tag (what files concatenate by)."""
    if data[:3] != b"ID3":
        return data
    return data[10 + _syncsafe(data[6:10]) + (10 if data[5] & 0x10 else 0) :]


def mp3_seconds(data: bytes, rate: int = RATE) -> float:
    """Decoded length of an MPEG-2 Layer III stream at `rate` (576 samples a frame)."""
    return mp3_frames(data) * 576 / rate


def _syncsafe(raw: bytes) -> int:
    return (raw[0] << 21) | (raw[1] << 14) | (raw[2] << 7) | raw[3]


# -- measuring files -------------------------------------------------------------------------


class Measurement(NamedTuple):
    duration: float  # seconds, as decoded (includes the codec's delay and padding)
    integrated: float  # LUFS
    true_peak: float  # dBTP


def measure(path: str | Path, true_peak: bool = True) -> Measurement:
    """Duration, integrated loudness and true peak of an MP3 file (decoded at RATE);
    `true_peak=False` skips the peak (nan), a third of the cost."""
    meter = LoudnessMeter(true_peak=true_peak)
    try:
        stream = miniaudio.stream_file(
            str(path), output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=RATE, frames_to_read=1 << 16
        )
        for block in stream:  # streamed: memory stays flat however long the file
            meter.add(np.frombuffer(block, dtype=np.float32))
    except miniaudio.DecodeError as exc:
        raise SpeechError(f"cannot decode MP3 audio: {exc}", file=path) from exc
    return Measurement(meter.duration, meter.integrated, meter.true_peak if true_peak else float("nan"))
