"""Audio editions end to end: the files a listener and a podcast host get, checked as they
would check them (decoded durations, chapters read back, subtitle text, loudness)."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import miniaudio
import numpy as np
import pyloudnorm
import pytest
from mutagen.id3 import ID3
from mutagen.mp3 import MP3

from publish import load
from publish.errors import ServiceFailed
from publish.speech.sound.edition import EditionSettings
from publish.speech.sound.editions import audio_editions
from publish.speech.sound.engines.edge import RetryPolicy
from publish.speech.text.fixes import Pronunciations
from publish.speech.text.script import narration

from ..conftest import EXAMPLES, SEED

FAST = RetryPolicy(base_delay=0.01, max_delay=0.05, max_retry_after=0.2)
INTERVIEW = EXAMPLES / "qingwu-daily" / "2026-11-20-p02-1.txt"


def decode(path: Path) -> tuple[np.ndarray, int]:
    info = MP3(path).info
    assert (info.channels, info.sample_rate) == (1, 24000)
    sound = miniaudio.decode_file(str(path), output_format=miniaudio.SampleFormat.FLOAT32, nchannels=1, sample_rate=24000)
    return np.asarray(sound.samples, dtype=np.float32), sound.sample_rate


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def seed_edition(tmp_path_factory):
    """The seed read by the offline engine (built once for the tests below)."""
    from ..conftest import require_shared

    require_shared()
    out = tmp_path_factory.mktemp("seed")
    (article,) = load(SEED)
    run = audio_editions([article], out / "audio", engine="offline", cache=out / "cache")
    return article, run, out / "audio"


def test_seed_sections_decode_with_durations_in_proportion(seed_edition):
    article, run, out = seed_edition
    (issue,) = run.issues
    assert issue.key == "黔东南日报-2022-04-27"
    (edition,) = issue.articles
    folder = out / issue.key / edition.folder
    names = sorted(p.name for p in folder.glob("[0-9][0-9]-*.mp3"))
    assert names == ["01-headline.mp3", "02-lead.mp3", "03-part-1.mp3", "04-part-2.mp3", "05-part-3.mp3", "06-part-4.mp3"]
    script = narration(article)
    per_char = []
    for name, section in zip(names, script.sections, strict=True):
        samples, rate = decode(folder / name)
        assert rate == 24000
        assert np.sqrt(np.mean(samples**2)) > 0.01  # speech, not silence
        per_char.append(len(samples) / rate / len(section.text))
    # seconds per printed character: the same pace in every section, within a factor of two
    assert max(per_char) / min(per_char) < 2.0, per_char


def test_seed_chapters_and_tags_read_back(seed_edition):
    article, run, out = seed_edition
    edition = run.issues[0].articles[0]
    mp3 = out / run.issues[0].key / edition.mp3
    tags = ID3(mp3)
    assert tags["TIT2"].text == [article.title]
    assert tags["TALB"].text == ["黔东南日报 2022-04-27"]
    assert tags["TPE1"].text == ["刘俊明"]
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    stored = [key.split(":")[1] for key in tags if key.startswith("CHAP:")]
    assert stored == [c.element_id for c in chapters]  # players list chapters as stored
    script = narration(article)
    assert [c.sub_frames["TIT2"].text[0] for c in chapters] == [s.title for s in script.sections]
    toc = tags.getall("CTOC")[0]
    assert list(toc.child_element_ids) == [c.element_id for c in chapters]
    length = MP3(mp3).info.length
    assert chapters[0].start_time == 0 and abs(chapters[-1].end_time / 1000 - length) < 0.2
    # each chapter starts where that section's audio starts: section lengths add up with the gaps
    for chapter, section in zip(chapters, edition.sections, strict=True):
        assert chapter.start_time == round(section.start * 1000)
        assert (
            abs((chapter.end_time - chapter.start_time) / 1000 - section.duration) < EditionSettings().gap + 0.1
        )  # + the gap (its MP3 frames)


def test_seed_subtitles_carry_the_printed_text(seed_edition):
    article, run, out = seed_edition
    folder = out / run.issues[0].key / run.issues[0].articles[0].folder
    printed = "".join(u.text for u in narration(article).utterances if u.speakable)
    srt = (folder / "article.srt").read_text(encoding="utf-8")
    srt_text = "".join(block.split("\n", 2)[2].strip() for block in srt.strip().split("\n\n"))
    assert srt_text == printed
    vtt = (folder / "article.vtt").read_text(encoding="utf-8").split("\n\n")[1:]
    assert "".join(block.split("\n", 2)[2].strip() for block in vtt) == printed
    assert [block.split("\n", 1)[0] for block in vtt] == [f"s{n}" for n in range(1, len(vtt) + 1)]  # the article view's span ids
    lrc = (folder / "article.lrc").read_text(encoding="utf-8")
    assert "".join(re.sub(r"^\[\d\d:\d\d\.\d\d\]", "", line) for line in lrc.splitlines() if line[1:3].isdigit()) == printed
    starts = [float(m.group(1)) * 60 + float(m.group(2)) for m in re.finditer(r"^\[(\d\d):(\d\d\.\d\d)\]", lrc, re.M)]
    assert starts == sorted(starts) and starts[-1] < run.issues[0].articles[0].duration


def test_seed_loudness_is_broadcast_standard(seed_edition):
    _, run, out = seed_edition
    edition = run.issues[0].articles[0]
    samples, rate = decode(out / run.issues[0].key / edition.mp3)
    loudness = pyloudnorm.Meter(rate).integrated_loudness(samples.astype(np.float64))
    assert -17.0 <= loudness <= -15.0
    assert edition.true_peak <= -1.5
    assert abs(edition.loudness - loudness) < 0.3


def test_issue_playlist_feed_and_manifest(seed_edition):
    _, run, out = seed_edition
    folder = out / run.issues[0].key
    assert (folder / "playlist.m3u8").read_text(encoding="utf-8").splitlines()[2] == run.issues[0].articles[0].mp3
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["engine"] == "offline" and len(manifest["articles"][0]["sections"]) == 6
    assert "<enclosure url=" in (folder / "feed.xml").read_text(encoding="utf-8")
    assert not [p for p in folder.rglob("*") if p.name.startswith(".")]  # no scratch left behind


def test_same_input_same_bytes(tmp_path):
    articles = load(INTERVIEW)
    first = audio_editions(articles, tmp_path / "a", engine="offline", cache=tmp_path / "cache-a")
    audio_editions(articles, tmp_path / "b", engine="offline", cache=tmp_path / "cache-b")
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert len(first.synthesis.synthesised) == first.synthesis.requests > 0


def test_editing_one_paragraph_resynthesises_one_section(tmp_path):
    source = tmp_path / "in" / "article.txt"
    source.parent.mkdir()
    original = INTERVIEW.read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")
    cache = tmp_path / "cache"
    first = audio_editions(load(source), tmp_path / "out", engine="offline", cache=cache)
    again = audio_editions(load(source), tmp_path / "out", engine="offline", cache=cache)
    assert again.synthesis.synthesised == [] and again.reused == 1 and first.synthesis.requests > 0  # its files stand
    edited = original.replace("关键在长效管理。", "关键在建立长效管理机制。")
    assert edited != original
    source.write_text(edited, encoding="utf-8")
    (article,) = load(source)
    third = audio_editions([article], tmp_path / "out", engine="offline", cache=cache)
    assert len(third.synthesis.synthesised) == 1
    sent = Pronunciations().script(article, narration(article), "offline")  # as sent: with the offline fixes
    changed = {s.stem for s in sent.sections for u in s.utterances if u.request in third.synthesis.synthesised}
    assert len(changed) == 1


def test_edge_with_faults_equals_fault_free(edge_server, tmp_path):
    articles = load(INTERVIEW)
    clean = edge_server()
    audio_editions(articles, tmp_path / "clean", engine="edge", cache=tmp_path / "c1", edge_options={"retry": FAST})
    clean.stop()
    faulty = edge_server(fault_rate=0.2, seed=7, fault_kinds=["403", "429", "503", "drop", "noaudio", "slow"], slow_seconds=1.0)
    run = audio_editions(
        articles,
        tmp_path / "faulty",
        engine="edge",
        cache=tmp_path / "c2",
        requests=4,
        edge_options={"retry": FAST, "receive_timeout": 0.5},
    )
    assert sum(faulty.stats.failures.values()) > 0
    assert run.synthesis.engine == "edge"
    assert files(tmp_path / "clean") == files(tmp_path / "faulty")


def test_permanent_outage_stops_with_no_files(edge_server, tmp_path):
    edge_server(down="503")
    started = time.monotonic()
    with pytest.raises(ServiceFailed, match=r"in a row failed|failed 6 times"):
        audio_editions(load(INTERVIEW), tmp_path / "out", engine="edge", cache=tmp_path / "cache")
    assert time.monotonic() - started < 60
    assert not (tmp_path / "out").exists()


def test_auto_falls_back_to_offline_with_one_warning(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLISH_EDGE_ENDPOINT", "ws://127.0.0.1:9/edge/v1?TrustedClientToken=x")
    warnings: list[str] = []
    run = audio_editions(load(INTERVIEW)[:1], tmp_path / "out", engine="auto", cache=tmp_path / "cache", warn=warnings.append)
    assert run.synthesis.engine == "offline"
    assert len(warnings) == 1 and "cannot be reached" in warnings[0] and "offline" in warnings[0]


def test_interrupted_run_resumes_from_its_clips(edge_server, tmp_path):
    articles = load(INTERVIEW)
    texts = {u.spoken for a in articles for u in narration(a).utterances if u.speakable}
    outage = edge_server(faults={n: "503" for n in range(6, 500)})
    with pytest.raises(ServiceFailed):
        audio_editions(
            articles, tmp_path / "out", engine="edge", cache=tmp_path / "cache", requests=1, edge_options={"retry": FAST}
        )
    assert outage.stats.succeeded == 6
    assert not (tmp_path / "out").exists()
    outage.stop()
    edge_server()
    run = audio_editions(articles, tmp_path / "out", engine="edge", cache=tmp_path / "cache", edge_options={"retry": FAST})
    assert run.synthesis.cached == 6 and len(run.synthesis.synthesised) == len(texts) - 6


def srt_cues(path: Path) -> list[tuple[float, str]]:
    cues = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        _, times, text = block.split("\n", 2)
        h, m, rest = times.split(" --> ")[0].split(":")
        cues.append((int(h) * 3600 + int(m) * 60 + float(rest.replace(",", ".")), text))
    return cues


def test_seed_subtitles_start_with_their_chapters(seed_edition):
    _, run, out = seed_edition
    edition = run.issues[0].articles[0]
    cues = srt_cues(out / run.issues[0].key / edition.folder / "article.srt")
    for section in edition.sections[2:]:  # each headed section opens with its 小标题
        start = next(at for at, text in cues if text == section.title)
        assert section.start < start < section.start + 0.2, (section.title, section.start, start)


def test_no_gap_and_stale_folders(tmp_path):
    articles = load(EXAMPLES / "qingwu-daily")
    audio_editions(articles, tmp_path / "out", engine="offline", cache=tmp_path / "cache", settings=EditionSettings(gap=0))
    folder = tmp_path / "out" / "青梧日报-2026-11-20"
    assert len([p for p in folder.iterdir() if p.is_dir()]) == 7
    audio_editions(articles[:2], tmp_path / "out", engine="offline", cache=tmp_path / "cache", settings=EditionSettings(gap=0))
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == sorted(a["folder"] for a in manifest["articles"])
    assert len(manifest["articles"]) == 2 and manifest["gap"] == 0


def test_failed_run_leaves_the_previous_edition_whole(edge_server, tmp_path):
    source = tmp_path / "in" / "article.txt"
    source.parent.mkdir()
    source.write_text(INTERVIEW.read_text(encoding="utf-8"), encoding="utf-8")
    edge_server()
    audio_editions(load(source), tmp_path / "out", engine="edge", cache=tmp_path / "cache", edge_options={"retry": FAST})
    before = files(tmp_path / "out")
    source.write_text(
        source.read_text(encoding="utf-8").replace("关键在长效管理。", "关键在长效管理，也在居民参与。"), encoding="utf-8"
    )
    edge_server(down="503")
    with pytest.raises(ServiceFailed):
        audio_editions(load(source), tmp_path / "out", engine="edge", cache=tmp_path / "cache", edge_options={"retry": FAST})
    assert files(tmp_path / "out") == before


def test_an_unchanged_article_keeps_its_files_and_an_edited_one_alone_is_remade(tmp_path):
    source = tmp_path / "in"
    shutil.copytree(INTERVIEW.parent, source)
    out, cache = tmp_path / "out", tmp_path / "cache"
    audio_editions(load(source), out, engine="offline", cache=cache)
    made = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and p.parent.name[:2].isdigit()}
    manifest = next(out.glob("*/manifest.json")).read_bytes()
    again = audio_editions(load(source), out, engine="offline", cache=cache)
    assert again.reused == 7 and again.synthesis.requests == 0
    assert {p: p.stat().st_mtime_ns for p in made} == made  # not one article file rewritten
    assert next(out.glob("*/manifest.json")).read_bytes() == manifest
    edited = source / INTERVIEW.name
    edited.write_text(
        edited.read_text(encoding="utf-8").replace("关键在长效管理。", "关键在建立长效管理机制。"), encoding="utf-8"
    )
    third = audio_editions(load(source), out, engine="offline", cache=cache)
    assert third.reused == 6 and len(third.synthesis.synthesised) == 1
    changed = {p.parent.name for p in made if not p.exists() or p.stat().st_mtime_ns != made[p]}
    assert changed == {"04-300104"}  # only the edited article's folder


def test_chapter_files_match_the_id3_chapters_and_the_feed_links_them(tmp_path):
    import xml.etree.ElementTree as ET

    from .test_feed import PODCAST_NS, PSC_NS, check_json_chapters, check_vtt

    out = tmp_path / "out"
    run = audio_editions(load(INTERVIEW), out, engine="offline", cache=tmp_path / "cache")
    (issue,) = run.issues
    (edition,) = issue.articles
    assert edition.chapters == {"json": f"{edition.folder}/chapters.json", "vtt": f"{edition.folder}/chapters.vtt"}
    data = json.loads((issue.folder / edition.chapters["json"]).read_text(encoding="utf-8"))
    check_json_chapters(data)
    assert data["title"] == edition.title and len(data["chapters"]) == len(edition.sections) == 2
    chaps = ID3(issue.folder / edition.mp3).getall("CHAP")
    in_tags = [(c.start_time, c.end_time, c.sub_frames["TIT2"].text[0]) for c in chaps]
    assert in_tags == [(round(c["startTime"] * 1000), round(c["endTime"] * 1000), c["title"]) for c in data["chapters"]]
    cues = check_vtt((issue.folder / edition.chapters["vtt"]).read_text(encoding="utf-8"))
    assert [(c[0], c[3]) for c in cues] == [("c1", edition.sections[0].title), ("c2", edition.sections[1].title)]
    (item,) = ET.parse(issue.folder / "feed.xml").getroot().find("channel").findall("item")
    assert item.find(f"{{{PODCAST_NS}}}chapters").attrib["url"] == edition.chapters["json"]
    assert item.find(f"{{{PODCAST_NS}}}transcript").attrib["url"] == edition.subtitles["vtt"]
    assert len(item.find(f"{{{PSC_NS}}}chapters")) == 2
    # an edition whose manifest was written before chapter files: made again from its sections,
    # nothing synthesised, the same bytes as a fresh run
    before = files(out)
    manifest_path = issue.folder / "manifest.json"
    old = json.loads(manifest_path.read_text(encoding="utf-8"))
    for article in old["articles"]:
        del article["chapters"]
    manifest_path.write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    for path in edition.chapters.values():
        (issue.folder / path).unlink()
    again = audio_editions(load(INTERVIEW), out, engine="offline", cache=tmp_path / "cache")
    assert again.reused == 0 and again.synthesis.synthesised == []
    assert files(out) == before
