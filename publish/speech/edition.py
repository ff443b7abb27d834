"""Clips → the files of an audio edition: per article one MP3 per section, the whole article
as one tagged MP3 with chapters, and subtitles; per issue a playlist, a feed and a manifest.

Audio is streamed: each section's speech goes to a scratch file of raw samples while the
loudness meter listens, then one gain (to −16 LUFS) and the limiter are applied on the way
to the encoders. Memory does not grow with the length of an article. Every file is made in
a scratch folder and renamed into place, so a failed run leaves the previous edition whole.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from ..article import Article
from . import audio, subtitles
from .engines.base import Clip, SpeechError
from .script import Script, Utterance
from .subtitles import Timed

BLOCK = 1 << 16  # samples streamed at a time between the scratch files and the encoders
SETTLE_STRIDE = 3  # loudness passes meter every third block of a long article
SILENCE_DB = -45.0  # engines' leading and trailing silence below this level is trimmed


@dataclass(frozen=True)
class Settings:
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
    authors: list[str] = field(default_factory=list)
    id: str = ""
    summary: str = ""
    skipped: list[str] = field(default_factory=list)
    pronunciation: dict = field(default_factory=dict)
    digest: str = ""  # of everything its files were made from: a later run with the same one reuses them  # the fixes sent: engine, each fix, what could not be fixed


def article_folder(number: int, article: Article) -> str:
    """`NN` or `NN-<id>` (the id's file-name-safe characters)."""
    ident = re.sub(r"\.s?html?$", "", article.id or "", flags=re.I)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "", ident)[:40].strip(".")
    return f"{number:02d}-{safe}" if safe else f"{number:02d}"


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

    def __init__(self, folder: Path, clip: Callable[[str], Clip], settings: Settings | None = None):
        self.folder = folder
        self.clip = clip
        self.settings = settings or Settings()

    def stage_article(self, number: int, article: Article, script: Script) -> tuple[ArticleEdition, Path]:
        """Make the article's files in a scratch folder inside the issue folder (same file
        system, so `commit` is renames); returns the edition and that folder."""
        name = article_folder(number, article)
        self.folder.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=f"{SCRATCH_PREFIX}{name}.", dir=self.folder))
        try:
            return self._render(name, article, script, scratch), scratch
        except BaseException:
            shutil.rmtree(scratch, ignore_errors=True)
            raise

    def _render(self, name: str, article: Article, script: Script, scratch: Path) -> ArticleEdition:
        meter = audio.LoudnessMeter(true_peak=False)
        raw: list[tuple[Path, int]] = []  # (scratch file, samples) per section
        section_cues: list[list[Timed]] = []  # times from each section's first sample
        for section in script.sections:
            path = scratch / f"{section.stem}.f32"
            samples = 0
            cues: list[Timed] = []
            with path.open("wb") as sink:
                for utterance in section.utterances:
                    if not utterance.speakable:
                        continue
                    clip = self.clip(utterance.request)
                    pcm = audio.clip_pcm(clip)
                    first, last = audio.voiced(pcm, SILENCE_DB)
                    pcm = np.ascontiguousarray(pcm[first:last], dtype=np.float32)
                    cues += cue_times(utterance, clip, first, pcm.size, samples / audio.RATE)
                    pause = np.zeros(round(utterance.pause * audio.RATE), dtype=np.float32)
                    for piece in (pcm, pause):
                        meter.add(piece)
                        sink.write(piece.tobytes())
                        samples += piece.size
            raw.append((path, samples))
            section_cues.append(cues)
        final = scratch / "final"
        mp3 = final / "article.mp3"
        ceiling = self.settings.ceiling
        for _attempt in range(3):
            # the encoder's overshoot depends on the audio: when the file's true peak is over
            # the limit, limit lower and encode again
            gain = self._settle_gain(raw, meter.integrated, ceiling)
            shutil.rmtree(final, ignore_errors=True)
            final.mkdir()
            sections = self._encode(name, script, raw, gain, ceiling, final)
            measured = audio.measure(mp3)
            if measured.true_peak <= self.settings.true_peak - 0.05:
                break
            ceiling -= measured.true_peak - self.settings.true_peak + 0.2
        else:
            raise SpeechError(
                f"{name}: true peak {measured.true_peak:.2f} dBTP stays over {self.settings.true_peak} dBTP after limiting "
                f"at {ceiling:.1f} dBTP: please report this article"
            )
        # each section's speech starts one encoder delay into its frames
        shift = audio.ENCODER_DELAY / audio.RATE
        cues = [
            Timed(c.start + made.start + shift, c.end + made.start + shift, c.text)
            for made, timed in zip(sections, section_cues, strict=True)
            for c in timed
        ]
        self._tag_article(mp3, article, script, sections)
        for index, section in enumerate(script.sections):
            self._tag_section(final / f"{section.stem}.mp3", article, section.title, index + 1, len(script.sections))
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
        return ArticleEdition(
            title=title,
            folder=name,
            mp3=f"{name}/article.mp3",
            duration=round(measured.duration, 3),
            loudness=round(measured.integrated, 2),
            true_peak=round(measured.true_peak, 2),
            bytes=mp3.stat().st_size,
            sections=sections,
            subtitles={suffix: f"{name}/article.{suffix}" for suffix in files},
            authors=[p.name for p in article.people],
            id=stable_id(article),
            summary=_summary(article, script),
            pronunciation=_pronunciation(script),
            skipped=[text for s in script.sections for text in s.skipped],
        )

    def _settle_gain(self, raw: list[tuple[Path, int]], loudness: float, ceiling: float, passes: int = 2) -> float:
        """The gain that puts the limited article at the target loudness (`audio.settle_gain`),
        metered from the scratch files."""
        if not np.isfinite(loudness):
            return 1.0
        # a long article is metered on every third block: speech is steady enough that the
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

    def _encode(
        self, name: str, script: Script, raw: list[tuple[Path, int]], gain: float, ceiling: float, final: Path
    ) -> list[SectionFile]:
        """Gain and limiter on the way from the scratch files to the section MP3s; the article
        MP3 is the sections' frames with encoded gaps between them (MP3 frames concatenate),
        so every sample is encoded once and chapter times are exact frame counts."""
        made: list[SectionFile] = []
        gap_bytes = b""
        if self.settings.gap > 0:
            gap = final.parent / "gap.mp3"
            with audio.Mp3Writer(gap, bitrate=self.settings.bitrate) as writer:
                writer.write(audio.silence(self.settings.gap))
            gap_bytes = gap.read_bytes()
        at = 0.0
        with (final / "article.mp3").open("wb") as whole:
            for index, (section, (path, _samples)) in enumerate(zip(script.sections, raw, strict=True)):
                target = final / f"{section.stem}.mp3"
                with audio.Mp3Writer(target, bitrate=self.settings.bitrate) as part:
                    for out in self._limited(path, gain, ceiling):
                        part.write(out)
                data = target.read_bytes()
                seconds = audio.mp3_seconds(data)
                made.append(SectionFile(section.title, f"{name}/{section.stem}.mp3", round(at, 3), round(seconds, 3)))
                whole.write(data)
                at += seconds
                if index < len(raw) - 1 and gap_bytes:
                    whole.write(gap_bytes)
                    at += audio.mp3_seconds(gap_bytes)
        return made

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
        ends = [s.start for s in sections[1:]] + [sections[-1].start + sections[-1].duration] if sections else []
        # chapter times in whole milliseconds, each chapter ending where the next begins
        for chapter, section, end in zip(ids, sections, ends, strict=True):
            tags.add(
                CHAP(
                    element_id=chapter,
                    start_time=round(section.start * 1000),
                    end_time=round(end * 1000),
                    start_offset=0xFFFFFFFF,
                    end_offset=0xFFFFFFFF,
                    sub_frames=[TIT2(encoding=3, text=[section.title])],
                )
            )
        tags.save(path, v2_version=4)

    def _tag_section(self, path: Path, article: Article, title: str, number: int, count: int) -> None:
        from mutagen.id3 import TIT2, TRCK

        tags = self._common_tags(article)
        tags.add(TIT2(encoding=3, text=[f"{article.headline.printed_title}：{title}" if number > 1 else title]))
        tags.add(TRCK(encoding=3, text=[f"{number}/{count}"]))
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


def commit(staged: Path, target: Path) -> None:
    """Move every file `stage_article` made into `target` by rename (each appears whole),
    remove files of an earlier edition there that this one no longer has, then the scratch."""
    final = staged / "final"
    target.mkdir(parents=True, exist_ok=True)
    keep = set()
    for path in sorted(final.iterdir()):
        path.replace(target / path.name)
        keep.add(path.name)
    for stale in target.iterdir():
        if stale.is_file() and stale.name not in keep and re.fullmatch(r"\d\d-.*\.mp3|article\.\w+", stale.name):
            stale.unlink()
    shutil.rmtree(staged, ignore_errors=True)


def stable_id(article: Article) -> str:
    """An article's id, else a digest of its paper, date and title: a feed guid that stays
    the same when the article moves in the issue or its body is corrected."""
    if article.id:
        return article.id
    facts = [article.paper.name or "", article.paper.date.isoformat() if article.paper.date else "", article.title]
    return hashlib.sha256("\x1f".join(facts).encode("utf-8")).hexdigest()[:16]
