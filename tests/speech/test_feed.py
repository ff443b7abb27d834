"""Subtitles, chapters, playlist, feeds and manifest formats (independent of any engine)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import asdict
from urllib.parse import quote

import pytest

from publish.speech.sound.chapters import Chapter, chapters_json, chapters_vtt, timeline
from publish.speech.sound.edition import ArticleEdition, SectionFile
from publish.speech.sound.feed import ITUNES, Episode, feed, issue_episodes, manifest, paper_feed, playlist, read_episodes
from publish.speech.sound.subtitles import Timed, lrc, srt, vtt

CUES = [Timed(0.0, 1.25, "青梧新城开通夜间公交"), Timed(1.25, 3661.5, "首月免费乘坐。")]


def edition(n: int = 1) -> ArticleEdition:
    return ArticleEdition(
        title="青梧新城开通夜间公交",
        folder=f"{n:02d}",
        mp3=f"{n:02d}/article.mp3",
        duration=125.4,
        loudness=-16.0,
        true_peak=-2.1,
        bytes=1_003_200,
        sections=[SectionFile("青梧新城开通夜间公交", f"{n:02d}/01-headline.mp3", 0.0, 4.0)],
        authors=["周明远", "林小溪"],
        summary="首月免费乘坐",
    )


def test_srt():
    assert srt(CUES) == (
        "1\n00:00:00,000 --> 00:00:01,250\n青梧新城开通夜间公交\n\n2\n00:00:01,250 --> 01:01:01,500\n首月免费乘坐。\n"
    )


def test_vtt_and_lrc():
    assert vtt(CUES, "夜间公交") == (
        "WEBVTT - 夜间公交\n\ns1\n00:00:00.000 --> 00:00:01.250\n青梧新城开通夜间公交\n\ns2\n00:00:01.250 --> 01:01:01.500\n首月免费乘坐。\n"
    )
    text = lrc(CUES, title="夜间公交", artist="周明远")
    assert text.splitlines() == ["[ti:夜间公交]", "[ar:周明远]", "[00:00.00]青梧新城开通夜间公交", "[00:01.25]首月免费乘坐。"]


def test_playlist():
    assert playlist([edition(1), edition(2)], "https://example.org/audio/") == (
        "#EXTM3U\n#EXTINF:125,周明远、林小溪 - 青梧新城开通夜间公交\nhttps://example.org/audio/01/article.mp3\n"
        "#EXTINF:125,周明远、林小溪 - 青梧新城开通夜间公交\nhttps://example.org/audio/02/article.mp3\n"
    )


def test_feed_is_valid_rss_with_itunes_tags():
    xml = feed(
        [edition(1), edition(2)],
        title="青梧日报 听报",
        date=dt.date(2026, 11, 20),
        author="青梧日报",
        base_url="https://example.org/a b",
        cover="cover.png",
        issue="青梧日报-2026-11-20",
    )
    root = ET.fromstring(xml)
    channel = root.find("channel")
    items = channel.findall("item")
    assert len(items) == 2
    enclosure = items[0].find("enclosure").attrib
    assert enclosure == {"url": "https://example.org/a b/01/article.mp3", "length": "1003200", "type": "audio/mpeg"}
    assert items[0].find(f"{{{ITUNES}}}duration").text == "00:02:05"
    assert items[1].find(f"{{{ITUNES}}}episode").text == "2"
    assert items[0].find("pubDate").text == "Fri, 20 Nov 2026 06:00:00 +0800"
    assert channel.find(f"{{{ITUNES}}}image").attrib["href"] == "https://example.org/a b/cover.png"
    assert items[0].find("guid").text == "青梧日报-2026-11-20/01"


def test_manifest_lists_sections():
    data = json.loads(manifest([edition()], issue="青梧日报-2026-11-20", engine="offline"))
    assert data["issue"] == "青梧日报-2026-11-20"
    assert data["articles"][0]["sections"][0]["file"] == "01/01-headline.mp3"


# ---- chapters, transcripts, the whole paper's feed ------------------------------------------------

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"
HOSTILE = '<script>alert("&")</script> & "引号"'


def full(n: int = 1, title: str = "青梧新城开通夜间公交", folder: str = "") -> ArticleEdition:
    """An edition as the writer makes it now: three sections, subtitles and chapter files."""
    name = folder or f"{n:02d}"
    return ArticleEdition(
        title=title,
        folder=name,
        mp3=f"{name}/article.mp3",
        duration=125.4,
        loudness=-16.0,
        true_peak=-2.1,
        bytes=1_003_200 + n,
        sections=[
            SectionFile(title, f"{name}/01-headline.mp3", 0.0, 4.0),
            SectionFile("一、线路", f"{name}/02-body.mp3", 5.5, 60.25),
            SectionFile("二、票价", f"{name}/03-body.mp3", 67.25, 58.15),
        ],
        subtitles={s: f"{name}/article.{s}" for s in ("srt", "vtt", "lrc")},
        chapters={"json": f"{name}/chapters.json", "vtt": f"{name}/chapters.vtt"},
        authors=["周明远"],
        id=f"30010{n}",
        summary="首月免费乘坐",
    )


def items_of(xml: str) -> list[ET.Element]:
    return ET.fromstring(xml).find("channel").findall("item")


def test_feed_items_link_chapters_and_transcripts_and_carry_podlove_chapters():
    xml = feed(
        [full(1)], title="青梧日报 听报", date=dt.date(2026, 11, 20), issue="青梧日报-2026-11-20", base_url="https://x.org/a"
    )
    assert (
        'xmlns:podcast="https://podcastindex.org/namespace/1.0"' in xml
        and 'xmlns:psc="http://podlove.org/simple-chapters"' in xml
    )
    (item,) = items_of(xml)
    assert item.find("enclosure").attrib == {"url": "https://x.org/a/01/article.mp3", "length": "1003201", "type": "audio/mpeg"}
    assert item.find(f"{{{PODCAST_NS}}}chapters").attrib == {
        "url": "https://x.org/a/01/chapters.json",
        "type": "application/json+chapters",
    }
    transcripts = [t.attrib for t in item.findall(f"{{{PODCAST_NS}}}transcript")]
    assert transcripts == [
        {"url": "https://x.org/a/01/article.vtt", "type": "text/vtt", "language": "zh-cn", "rel": "captions"},
        {"url": "https://x.org/a/01/article.srt", "type": "application/x-subrip", "language": "zh-cn", "rel": "captions"},
    ]
    chapters = item.find(f"{{{PSC_NS}}}chapters")
    assert chapters.attrib == {"version": "1.2"}
    assert [c.attrib for c in chapters] == [
        {"start": "00:00:00.000", "title": "青梧新城开通夜间公交"},
        {"start": "00:00:05.500", "title": "一、线路"},
        {"start": "00:01:07.250", "title": "二、票价"},
    ]
    assert item.find("guid").text == "青梧日报-2026-11-20/300101"


def test_hostile_titles_stay_well_formed_and_read_back_as_written():
    article = full(1, title=HOSTILE + "\x01")  # a control character no XML may hold is dropped
    article.sections[1].title = '"&<章节>'
    article.summary = "</description><x>"
    article.authors = ["<b>周</b>"]
    for xml in (
        feed([article], title=HOSTILE, date=None, issue="<k&>", author="&报"),
        paper_feed([Episode(article, "<k&>", None, "<k&>/")], title=HOSTILE, author="&报"),
    ):
        root = ET.fromstring(xml)  # well-formed
        assert root.find("channel/title").text == HOSTILE
        (item,) = root.find("channel").findall("item")
        assert item.find("title").text == HOSTILE
        assert item.find("description").text == "</description><x>"
        assert [c.attrib["title"] for c in item.find(f"{{{PSC_NS}}}chapters")] == [HOSTILE, '"&<章节>', "二、票价"]
        assert item.find("guid").text == "<k&>/300101"
        assert "<script>" not in xml


def test_an_edition_from_an_older_manifest_has_no_chapter_link_but_its_chapters_inline():
    data = asdict(full(1))
    del data["chapters"]
    old = ArticleEdition.from_dict({**data, "a_field_of_a_later_version": 1})
    assert old.chapters == {} and old.subtitles["vtt"] == "01/article.vtt"
    (item,) = items_of(feed([old], title="t", date=None))
    assert item.find(f"{{{PODCAST_NS}}}chapters") is None
    assert len(item.find(f"{{{PSC_NS}}}chapters")) == 3 and item.find(f"{{{PODCAST_NS}}}transcript") is not None


def episodes_of(key: str, date: dt.date | None, count: int) -> list[Episode]:
    data = json.loads(manifest([full(n) for n in range(1, count + 1)], issue=key, date=date.isoformat() if date else None))
    return issue_episodes(data)


def test_paper_feed_newest_first_latest_only_same_guids_as_the_issue_feeds():
    first = episodes_of("青梧日报-2026-11-19", dt.date(2026, 11, 19), 3)
    second = episodes_of("青梧日报-2026-11-20", dt.date(2026, 11, 20), 2)
    undated = episodes_of("articles-undated", None, 1)
    xml = paper_feed(undated + first + second, title="青梧日报 听报", author="青梧日报", base_url="https://x.org/site/", limit=4)
    channel = ET.fromstring(xml).find("channel")
    items = channel.findall("item")
    assert [i.find("guid").text for i in items] == [
        "青梧日报-2026-11-20/300101",
        "青梧日报-2026-11-20/300102",
        "青梧日报-2026-11-19/300101",
        "青梧日报-2026-11-19/300102",
    ]
    assert channel.find("pubDate").text == "Fri, 20 Nov 2026 06:00:00 +0800"
    assert items[2].find("pubDate").text == "Thu, 19 Nov 2026 06:00:00 +0800"
    issue = quote("青梧日报-2026-11-20")
    assert items[0].find("enclosure").attrib["url"] == f"https://x.org/site/{issue}/01/article.mp3"
    assert items[0].find(f"{{{PODCAST_NS}}}chapters").attrib["url"] == f"https://x.org/site/{issue}/01/chapters.json"
    assert items[0].find(f"{{{ITUNES}}}episode") is None  # numbers repeat from issue to issue: not in the paper's feed
    # the issue's own feed: the same guids, URLs from the issue folder, numbered
    own = feed([e.edition for e in second], title="t", date=dt.date(2026, 11, 20), issue="青梧日报-2026-11-20")
    assert [i.find("guid").text for i in items_of(own)] == [i.find("guid").text for i in items[:2]]
    assert items_of(own)[0].find("enclosure").attrib["url"] == "01/article.mp3"
    everything = items_of(paper_feed(undated + first + second, title="t", base_url=".."))
    assert len(everything) == 6 and everything[-1].find("guid").text == "articles-undated/300101"  # undated last
    assert everything[0].find("enclosure").attrib["url"] == f"../{issue}/01/article.mp3"
    assert everything[-1].find("pubDate") is None


def test_read_episodes_of_issue_folders(tmp_path):
    from publish.errors import SpeechError

    folder = tmp_path / "青梧日报-2026-11-20"
    folder.mkdir()
    assert read_episodes(folder) == []  # no audio edition
    (folder / "manifest.json").write_text(manifest([full(1), full(2)], issue=folder.name, date="2026-11-20"), encoding="utf-8")
    episodes = read_episodes(folder)
    assert [(e.issue, e.date, e.prefix, e.number, e.edition) for e in episodes] == [
        (folder.name, dt.date(2026, 11, 20), f"{folder.name}/", 1, full(1)),
        (folder.name, dt.date(2026, 11, 20), f"{folder.name}/", 2, full(2)),
    ]
    assert read_episodes(folder, prefix="../x/")[0].prefix == "../x/"
    (folder / "manifest.json").write_text('{"issue": "k", "articles": [{"title": "t"}]}', encoding="utf-8")
    with pytest.raises(SpeechError) as bad:
        read_episodes(folder)
    assert str(bad.value).startswith(f"{folder / 'manifest.json'}: not an audio edition's manifest (")
    (folder / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(SpeechError, match=r"manifest\.json: not JSON: "):
        read_episodes(folder)


def test_chapter_files_are_json_chapters_and_a_webvtt_chapters_track():
    chapters = timeline(full(1).sections)
    assert chapters[-1].end == 125.4 and [c.end for c in chapters[:-1]] == [5.5, 67.25]
    data = json.loads(chapters_json(chapters, title=HOSTILE, author="周明远"))
    check_json_chapters(data)
    assert [(c["startTime"], c["title"]) for c in data["chapters"]] == [
        (0.0, "青梧新城开通夜间公交"),
        (5.5, "一、线路"),
        (67.25, "二、票价"),
    ]
    text = chapters_vtt([*chapters[:-1], Chapter("a --> b <i>", 67.25, 125.4)], title="标题 --> 箭头")
    cues = check_vtt(text)
    assert cues == [
        ("c1", "00:00:00.000", "00:00:05.500", "青梧新城开通夜间公交"),
        ("c2", "00:00:05.500", "00:01:07.250", "一、线路"),
        ("c3", "00:01:07.250", "00:02:05.400", "a --&gt; b &lt;i&gt;"),
    ]


def check_json_chapters(data: dict) -> None:
    """The Podcasting 2.0 JSON chapters shape: a version string, chapters in ascending
    startTime, numbers for times, strings for titles."""
    assert isinstance(data["version"], str) and data["version"].startswith("1.2")
    starts = [c["startTime"] for c in data["chapters"]]
    assert starts == sorted(starts) and all(isinstance(s, int | float) and s >= 0 for s in starts)
    for chapter in data["chapters"]:
        assert isinstance(chapter.get("title", ""), str)
        assert chapter.get("endTime", chapter["startTime"]) >= chapter["startTime"]
        assert set(chapter) <= {"startTime", "endTime", "title", "img", "url", "toc", "location"}


def check_vtt(text: str) -> list[tuple[str, str, str, str]]:
    """A WebVTT file's cues (id, start, end, text), checked: the header, no `-->` outside timing
    lines, cues in order with start ≤ end."""
    head, *blocks = text.rstrip("\n").split("\n\n")
    assert head.startswith("WEBVTT") and "-->" not in head and "\n" not in head
    cues = []
    for block in blocks:
        ident, timing, *lines = block.split("\n")
        start, end = timing.split(" --> ")
        assert "-->" not in ident and all("-->" not in line for line in lines) and lines
        cues.append((ident, start, end, "\n".join(lines)))
    assert all(a[1] <= a[2] <= b[1] <= b[2] for a, b in zip(cues, cues[1:], strict=False))
    return cues
