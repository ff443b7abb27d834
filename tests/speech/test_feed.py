"""Subtitles, playlist, feed and manifest formats (independent of any engine)."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

from publish.speech.sound.edition import ArticleEdition, SectionFile
from publish.speech.sound.feed import ITUNES, feed, manifest, playlist
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
        guid_prefix="青梧日报-2026-11-20/",
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
