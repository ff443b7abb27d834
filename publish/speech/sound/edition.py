"""Clips → the files of an audio edition: per article one MP3 per section, the whole article
as one tagged MP3 with chapters, its subtitles and chapter files (JSON, WebVTT); per issue a
playlist, a feed and a manifest.

Audio is streamed: each section's speech goes to a scratch file of raw samples, then the
section's gain (to −16 LUFS) and the limiter are applied on the way to the encoder. Memory
does not grow with the length of an article. The article file is its sections' frames with
encoded gaps between them, so a section made before from the same speech is taken over as
it is (an edit re-encodes only the sections it touched). Every file is made in
a scratch folder and renamed into place, so a failed run leaves the previous edition whole.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

import numpy as np

from ...article import Article
from ...digest import digest, fields_digest
from ...errors import SpeechError
from ...issue import article_folder
from ..text.script import Script, SpokenSection, Utterance
from . import audio, subtitles
from .chapters import chapters_json, chapters_vtt, timeline
from .engines.base import Clip
from .subtitles import Timed

FILES = 2  # what an article's audio folder holds; raised when that changes (2: chapter files, cue ids), so builds remake it
BLOCK = 1 << 16  # samples streamed at a time between the scratch files and the encoders
SETTLE_STRIDE = 3  # loudness passes meter every third block of a long article
SILENCE_DB = -45.0  # engines' leading and trailing silence below this level is trimmed


@dataclass(frozen=True)
class EditionSettings:
    """How an edition sounds and where its feed points."""

    gap: float = 1.5  # seconds of silence between sections in the article file
    bitrate: int = 64  # kbit/s, mono
    loudness: float = -16.0  # LUFS integrated
    true_peak: float = -1.5  # dBTP, the most the MP3 file may reach
    ceiling: float = -2.5  # the limiter's first ceiling (dBTP): MP3 at 64 kbit/s usually adds up to
    # 0.6 dB; a file still over `true_peak` is limited lower and encoded again
    cover: Path | None = None  # cover art for the tags and the feed
    base_url: str = ""  # where the edition will be served: the feed's enclosures start with it


@dataclass
class SectionFile:
    title: str
    file: str  # relative to the issue folder
    start: float  # seconds into the article file
    duration: float


@dataclass
class ArticleEdition:
    """What was written for one article (paths relative to the issue folder)."""

    title: str
    folder: str
    mp3: str
    duration: float
    loudness: float
    true_peak: float
    bytes: int
    sections: list[SectionFile] = field(default_factory=list)
    subtitles: dict[str, str] = field(default_factory=dict)
    chapters: dict[str, str] = field(default_factory=dict)  # "json", "vtt": chapter files ({} in older manifests)
    authors: list[str] = field(default_factory=list)
    id: str = ""
    summary: str = ""
    skipped: list[str] = field(default_factory=list)
    pronunciation: dict = field(default_factory=dict)  # the fixes sent: engine, each fix, what could not be fixed
    digest: str = ""  # of everything its files were made from: a later run with the same one reuses them

    @classmethod
    def from_dict(cls, data: dict) -> ArticleEdition:
        """An edition as a manifest records it (`dataclasses.asdict`); keys it does not know are
        left out, fields a manifest does not have yet (written by an earlier version) are empty."""
        known = {f.name for f in fields(cls)} - {"sections"}
        return cls(**{k: v for k, v in data.items() if k in known}, sections=[SectionFile(**s) for s in data["sections"]])


def cue_times(utterance: Utterance, clip: Clip, start: int, length: int, at: float) -> list[Timed]:
    """Subtitle lines of one request on the article timeline. Sentence starts come from the
    engine when it reported one per sentence, else from each sentence's share of the text."""
    rate = audio.RATE
    duration = length / rate
    count = len(utterance.sentences)
    weights = [sum(c.weight for c in utterance.cues if c.sentence == i) for i in range(count)]
    reported = [max(0.0, s - start / rate) for s in clip.sentences]
    if len(reported) == count and all(b > a for a, b in zip(reported, reported[1:], strict=False)) and reported[-1] < duration:
        starts = [0.0, *reported[1:]]
    else:
        total = sum(weights) or 1
        starts, acc = [], 0.0
        for weight in weights:
            starts.append(duration * acc / total)
            acc += weight
    ends = [*starts[1:], duration]
    timed = []
    for index in range(count):
        cues = [c for c in utterance.cues if c.sentence == index]
        span, begin = ends[index] - starts[index], starts[index]
        total = sum(c.weight for c in cues) or 1
        for cue in cues:
            length_s = span * cue.weight / total
            timed.append(Timed(at + begin, at + begin + length_s, cue.text))
            begin += length_s
    return timed


class EditionWriter:
    """Writes articles of one issue into `folder` (the issue folder), then its playlist,
    feed and manifest. `clip(text)` gives the synthesised clip of a spoken text."""

    def __init__(self, folder: Path, clip: Callable[[str], Clip], settings: EditionSettings | None = None, reuse: bool = True):
        self.folder = folder
        self.clip = clip
        self.settings = settings or EditionSettings()
        self.reuse = reuse  # take over unchanged section files (False: make every one again)
        self.redone = 0  # sections the last `stage_article` made anew (the others were taken over)

    def stage_article(self, number: int, article: Article, script: Script) -> tuple[ArticleEdition, Path]:
        """Make the article's files in a scratch folder inside the issue folder (same file
        system, so `commit` is renames); returns the edition and that folder.

        A section whose speech and sound settings are those of a section file already in the
        article's folder (its digest is in the file's tags) is not limited and encoded again:
        its frames are taken over, and the file is left untouched when its tags agree too."""
        name = article_folder(number, article)
        self.folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{name}.", dir=self.folder))
        try:
            earlier = _section_files(self.folder / name) if self.reuse else {}
            return self._render(name, article, script, scratch, earlier), scratch
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise

    def _render(
        self, name: str, article: Article, script: Script, scratch: Path, earlier: dict[str, dict[str, tuple[Path, float]]]
    ) -> ArticleEdition:
        final = scratch / "final"
        final.mkdir()
        gap = self._gap(scratch)
        made: list[SectionFile] = []
        cues: list[Timed] = []
        self.redone = 0
        peaks: list[float] = []  # each section file's true peak (the article's is the largest)
        at = 0.0
        # each section's speech starts one encoder delay into its frames
        shift = audio.ENCODER_DELAY / audio.RATE
        with (final / "article.mp3").open("wb") as whole:
            for index, section in enumerate(script.sections):
                digest = self._section_digest(section)
                target = final / f"{section.stem}.mp3"
                found = earlier.get(digest, {}) if digest else {}
                before = found.get(target.name) or next(iter(found.values()), None)  # the same name first
                raw = None if before else scratch / f"{section.stem}.f32"
                timed = self._speech(section, raw)
                earlier_file = before[0].read_bytes() if before is not None else b""
                if before is not None:
                    frames = audio.mp3_payload(earlier_file)
                    target.write_bytes(frames)
                    peaks.append(before[1])
                else:
                    assert raw is not None
                    frames, peak = self._encode(name, raw, target)
                    peaks.append(peak)
                    self.redone += 1
                seconds = audio.mp3_seconds(frames)
                made.append(SectionFile(section.title, f"{name}/{section.stem}.mp3", round(at, 3), round(seconds, 3)))
                cues += [Timed(c.start + at + shift, c.end + at + shift, c.text) for c in timed]
                whole.write(frames)
                at += seconds
                if index < len(script.sections) - 1 and gap:
                    whole.write(gap)
                    at += audio.mp3_seconds(gap)
                self._tag_section(target, article, section.title, index + 1, len(script.sections), digest, peaks[-1])
                if before is not None and before[0].name == target.name and earlier_file == target.read_bytes():
                    target.unlink()  # the same file as before: leave that one alone
        mp3 = final / "article.mp3"
        # the article's true peak is its sections' (measured: within 0.005 dB on the corpus; the
        # frames are the same and silence surrounds each join), so only its loudness is metered
        measured = audio.measure(mp3, true_peak=False)
        self._tag_article(mp3, article, script, made)
        title = script.title
        artist = "、".join(p.name for p in article.people)
        album = _album(article)
        files = {
            "srt": subtitles.srt(cues),
            "vtt": subtitles.vtt(cues, title),
            "lrc": subtitles.lrc(cues, title=title, artist=artist, album=album),
        }
        for suffix, text in files.items():
            (final / f"article.{suffix}").write_text(text, encoding="utf-8")
        chapters = timeline(made)  # the ID3 CHAP frames' chapters, as files for the web and feeds
        marks = {"json": chapters_json(chapters, title, artist), "vtt": chapters_vtt(chapters, title)}
        for suffix, text in marks.items():
            (final / f"chapters.{suffix}").write_text(text, encoding="utf-8")
        return ArticleEdition(
            title=title,
            folder=name,
            mp3=f"{name}/article.mp3",
            duration=round(measured.duration, 3),
            loudness=round(measured.integrated, 2),
            true_peak=round(max(peaks, default=float("-inf")), 2),
            bytes=mp3.stat().st_size,
            sections=made,
            subtitles={suffix: f"{name}/article.{suffix}" for suffix in files},
            chapters={suffix: f"{name}/chapters.{suffix}" for suffix in marks},
            authors=[p.name for p in article.people],
            id=stable_id(article),
            summary=_summary(article, script),
            pronunciation=_pronunciation(script),
            skipped=[text for s in script.sections for text in s.skipped],
        )

    def _speech(self, section: SpokenSection, raw: Path | None) -> list[Timed]:
        """The section's subtitle cues from its first sample; with `raw`, its speech (each clip's
        silence trimmed, then its pause) is written there as float samples."""
        cues: list[Timed] = []
        samples = 0
        with raw.open("wb") if raw else contextlib.nullcontext() as sink:
            for utterance in section.utterances:
                if not utterance.speakable:
                    continue
                clip = self.clip(utterance.request)
                pcm = audio.clip_pcm(clip)
                first, last = audio.voiced(pcm, SILENCE_DB)
                pcm = np.ascontiguousarray(pcm[first:last], dtype=np.float32)
                cues += cue_times(utterance, clip, first, pcm.size, samples / audio.RATE)
                pause = np.zeros(round(utterance.pause * audio.RATE), dtype=np.float32)
                if sink is not None:
                    sink.write(pcm.tobytes())
                    sink.write(pause.tobytes())
                samples += pcm.size + pause.size
        return cues

    def _encode(self, name: str, raw: Path, target: Path) -> tuple[bytes, float]:
        """A section's MP3 frames at the target loudness: one gain (metered over the section)
        and the limiter on the way from the scratch samples to the encoder. The encoder's
        overshoot depends on the audio: when the file's true peak is over the limit, it is
        limited lower and encoded again. Returns the frames and their true peak."""
        meter = audio.LoudnessMeter(true_peak=False)
        with raw.open("rb") as source:
            while block := source.read(BLOCK * 4):
                meter.add(np.frombuffer(block, dtype=np.float32))
        samples = raw.stat().st_size // 4
        ceiling = self.settings.ceiling
        for _attempt in range(3):
            gain = self._settle_gain([(raw, samples)], meter.integrated, ceiling)
            with audio.Mp3Writer(target, bitrate=self.settings.bitrate) as writer:
                for out in self._limited(raw, gain, ceiling):
                    writer.write(out)
            measured = audio.measure(target)
            if measured.true_peak <= self.settings.true_peak - 0.05:
                return target.read_bytes(), round(measured.true_peak, 3)  # as its tag keeps it
            ceiling -= measured.true_peak - self.settings.true_peak + 0.2
        raise SpeechError(
            f"{name}: true peak {measured.true_peak:.2f} dBTP stays over {self.settings.true_peak} dBTP after limiting "
            f"at {ceiling:.1f} dBTP: please report this article"
        )

    def _gap(self, scratch: Path) -> bytes:
        """The encoded silence between sections in the article file."""
        if self.settings.gap <= 0:
            return b""
        path = scratch / "gap.mp3"
        with audio.Mp3Writer(path, bitrate=self.settings.bitrate) as writer:
            writer.write(audio.silence(self.settings.gap))
        return path.read_bytes()

    def _section_digest(self, section: SpokenSection) -> str:
        """What a section's frames are made from: each clip (by its cache key: text, engine,
        version, voice, prosody) and pause, and the sound settings. "" when the clips cannot
        be named (a plain callable instead of a ClipSource): then nothing is reused."""
        key = getattr(self.clip, "key", None)
        if not callable(key):
            return ""
        from ... import __version__

        s = self.settings
        parts = [__version__, FORMAT, _codecs(), s.loudness, s.true_peak, s.ceiling, s.bitrate, SILENCE_DB]
        parts += [[key(u.request), u.pause] for u in section.utterances if u.speakable]
        return digest(parts, 20, ascii=True)

    def _settle_gain(self, raw: list[tuple[Path, int]], loudness: float, ceiling: float, passes: int = 2) -> float:
        """The gain that puts the limited section at the target loudness (`audio.settle_gain`),
        metered from the scratch files."""
        if not np.isfinite(loudness):
            return 1.0
        # a long section is metered on every third block: speech is steady enough that the
        # sample's loudness is the whole's to a few hundredths of a LU, at a third of the cost
        stride = SETTLE_STRIDE if sum(samples for _, samples in raw) > 12 * BLOCK else 1

        def measure(gain_db: float) -> float:
            meter = audio.LoudnessMeter(true_peak=False)
            for path, _samples in raw:
                for out in self._limited(path, audio.db_to_gain(gain_db), ceiling, stride):
                    meter.add(out)
            return meter.integrated

        return audio.db_to_gain(audio.settle_gain(measure, loudness, self.settings.loudness, passes, 0.1))

    def _limited(self, path: Path, gain: float, ceiling: float, stride: int = 1):
        """A section's scratch samples × gain through a fresh limiter, block by block (with
        `stride` n, only every n-th block)."""
        limiter = audio.Limiter(ceiling_db=ceiling)
        with path.open("rb") as source:
            index = 0
            while block := source.read(BLOCK * 4):
                if index % stride == 0:
                    yield limiter.process(np.frombuffer(block, dtype=np.float32) * np.float32(gain))
                index += 1
        yield limiter.flush()

    def _tag_article(self, path: Path, article: Article, script: Script, sections: list[SectionFile]) -> None:
        from mutagen.id3 import CHAP, CTOC, TIT2, CTOCFlags

        tags = self._common_tags(article)
        tags.add(TIT2(encoding=3, text=[script.title]))
        ids = [f"chp{n}" for n in range(len(sections))]
        tags.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=3, text=[script.title])],
            )
        )
        # chapter times in whole milliseconds, each chapter ending where the next begins
        for element, chapter in zip(ids, timeline(sections), strict=True):
            tags.add(
                CHAP(
                    element_id=element,
                    start_time=round(chapter.start * 1000),
                    end_time=round(chapter.end * 1000),
                    start_offset=0xFFFFFFFF,
                    end_offset=0xFFFFFFFF,
                    sub_frames=[TIT2(encoding=3, text=[chapter.title])],
                )
            )
        tags.save(path, v2_version=4)

    def _tag_section(
        self, path: Path, article: Article, title: str, number: int, count: int, digest: str = "", peak: float = 0.0
    ) -> None:
        from mutagen.id3 import TIT2, TRCK, TXXX

        tags = self._common_tags(article)
        tags.add(TIT2(encoding=3, text=[f"{article.headline.printed_title}：{title}" if number > 1 else title]))
        tags.add(TRCK(encoding=3, text=[f"{number}/{count}"]))
        if digest:
            tags.add(TXXX(encoding=3, desc=DIGEST_TAG, text=[digest, repr(peak)]))  # what it is made from, its true peak
        tags.save(path, v2_version=4)

    def _common_tags(self, article: Article):
        from mutagen.id3 import APIC, TALB, TCON, TDRC, TLAN, TPE1, TPUB

        tags = _ordered_id3_class()()
        album = _album(article)
        if album:
            tags.add(TALB(encoding=3, text=[album]))
        if article.paper.name:
            tags.add(TPUB(encoding=3, text=[article.paper.name]))
        people = [p.name for p in article.people]
        if people:
            tags.add(TPE1(encoding=3, text=people))
        if article.paper.date:
            tags.add(TDRC(encoding=3, text=[article.paper.date.isoformat()]))
        tags.add(TCON(encoding=3, text=["Speech"]))
        tags.add(TLAN(encoding=3, text=["chi"]))
        cover = self.settings.cover
        if cover is not None:
            mime = "image/png" if cover.suffix.lower() == ".png" else "image/jpeg"
            tags.add(APIC(encoding=3, mime=mime, type=3, desc="Cover", data=cover.read_bytes()))
        return tags


@lru_cache(maxsize=1)
def _ordered_id3_class():
    """An ID3 tag class that writes its frames in the order they were added. mutagen sorts
    frames by size, which puts chapters out of order; players and ffprobe list CHAP frames as
    stored."""
    from mutagen.id3 import ID3
    from mutagen.id3._tags import save_frame

    class OrderedID3(ID3):
        def _write(self, config):
            return bytearray().join(save_frame(frame, config=config) for frame in self.values())

    return OrderedID3


def _album(article: Article) -> str:
    """`黔东南日报 2022-04-27` (the issue an article was printed in)."""
    parts = [article.paper.name or "", article.paper.date.isoformat() if article.paper.date else ""]
    return " ".join(p for p in parts if p)


def _summary(article: Article, script: Script) -> str:
    """A line for feeds: the 副题, else the first sentence of the lead."""
    if article.headline.subtitle:
        return article.headline.subtitle
    for section in script.sections[1:]:
        for utterance in section.utterances:
            if utterance.sentences:
                return utterance.sentences[0].strip()
    return script.title


SCRATCH_PREFIX = ".publish-"
DIGEST_TAG = "publish-section"  # the ID3 TXXX frame with a section file's digest
FORMAT = 2  # how sections are made: change it when that changes, so no earlier file is reused


@lru_cache(maxsize=1)
def _codecs() -> list[str]:
    """The encoder's and decoder's versions: a new one may make other frames or peaks."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("lameenc", "miniaudio"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(name)
    return found


def _section_files(folder: Path) -> dict[str, dict[str, tuple[Path, float]]]:
    """The section files of an earlier edition in an article folder and their true peaks, by
    their digest tag, then by name (two sections may have the same speech)."""
    from mutagen import MutagenError
    from mutagen.id3 import ID3

    found: dict[str, dict[str, tuple[Path, float]]] = {}
    for path in sorted(folder.glob("[0-9][0-9]-*.mp3")) if folder.is_dir() else []:
        try:
            frames = ID3(path).getall(f"TXXX:{DIGEST_TAG}")
        except (MutagenError, OSError):
            continue
        with contextlib.suppress(ValueError, IndexError):
            digest, peak = frames[0].text
            found.setdefault(str(digest), {})[path.name] = (path, float(peak))
    return found


def _pronunciation(script: Script) -> dict:
    """The manifest's record of the pronunciation fixes sent (empty when none were applied)."""
    if not script.engine:
        return {}
    fixes = [f for u in script.utterances if u.fixed is not None for f in u.fixed.fixes]
    return {
        "engine": script.engine,
        "fixed": [f.mark for f in fixes if f.sent is not None],
        "not_fixable": [f.mark for f in fixes if f.sent is None],
    }


def commit(staged: Path, target: Path, edition: ArticleEdition) -> None:
    """Move every file `stage_article` made into `target` by rename (each appears whole),
    remove files of an earlier edition there that this one no longer has, then the scratch.
    Section files it left in place (unchanged) are the edition's too."""
    final = staged / "final"
    target.mkdir(parents=True, exist_ok=True)
    keep = {Path(s.file).name for s in edition.sections}
    for path in sorted(final.iterdir()):
        path.replace(target / path.name)
        keep.add(path.name)
    for stale in target.iterdir():
        if stale.is_file() and stale.name not in keep and re.fullmatch(r"\d\d-.*\.mp3|(article|chapters)\.\w+", stale.name):
            stale.unlink()
    shutil.rmtree(staged, ignore_errors=True)


def stable_id(article: Article) -> str:
    """An article's id, else a digest of its paper, date and title: a feed guid that stays
    the same when the article moves in the issue or its body is corrected."""
    if article.id:
        return article.id
    facts = [article.paper.name or "", article.paper.date.isoformat() if article.paper.date else "", article.title]
    return fields_digest(*facts, length=16)
