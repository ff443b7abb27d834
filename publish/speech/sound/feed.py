"""Per issue: an M3U8 playlist, a podcast RSS feed (iTunes tags) and a JSON manifest."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict
from email.utils import format_datetime
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from .edition import ArticleEdition

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
# Issues appear in the morning: a fixed hour keeps the feed the same from run to run.
PUBLISHED_AT = dt.time(6, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _url(base: str, relative: str) -> str:
    path = quote(relative)
    return f"{base.rstrip('/')}/{path}" if base else path


def _hms(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def playlist(articles: list[ArticleEdition], base_url: str = "") -> str:
    """Extended M3U (UTF-8, .m3u8): one entry per article file."""
    lines = ["#EXTM3U"]
    for article in articles:
        artist = "、".join(article.authors)
        lines.append(f"#EXTINF:{round(article.duration)},{artist + ' - ' if artist else ''}{article.title}")
        lines.append(_url(base_url, article.mp3))
    return "\n".join(lines) + "\n"


def feed(
    articles: list[ArticleEdition],
    *,
    title: str,
    date: dt.date | None,
    author: str = "",
    base_url: str = "",
    cover: str = "",
    guid_prefix: str = "",
) -> str:
    """A podcast RSS 2.0 feed with iTunes tags: one item per article, enclosures with length,
    durations, episode numbers."""
    published = format_datetime(dt.datetime.combine(date, PUBLISHED_AT)) if date else ""
    link = base_url or "./"
    channel = [
        f"<title>{escape(title)}</title>",
        f"<link>{escape(link)}</link>",
        "<language>zh-cn</language>",
        f"<description>{escape(title)}：{len(articles)} 篇文章的朗读</description>",
        f"<itunes:author>{escape(author)}</itunes:author>" if author else "",
        '<itunes:category text="News"/>',
        "<itunes:explicit>false</itunes:explicit>",
        "<itunes:type>episodic</itunes:type>",
        f"<itunes:image href={quoteattr(_url(base_url, cover))}/>" if cover else "",
        f"<pubDate>{published}</pubDate>" if published else "",
    ]
    items = []
    for number, article in enumerate(articles, 1):
        guid = f"{guid_prefix}{article.id or article.folder}"
        fields = [
            f"<title>{escape(article.title)}</title>",
            f"<description>{escape(article.summary)}</description>",
            f'<enclosure url={quoteattr(_url(base_url, article.mp3))} length="{article.bytes}" type="audio/mpeg"/>',
            f'<guid isPermaLink="false">{escape(guid)}</guid>',
            f"<pubDate>{published}</pubDate>" if published else "",
            f"<itunes:duration>{_hms(article.duration)}</itunes:duration>",
            f"<itunes:episode>{number}</itunes:episode>",
            f"<itunes:author>{escape('、'.join(article.authors))}</itunes:author>" if article.authors else "",
            "<itunes:explicit>false</itunes:explicit>",
        ]
        items.append("    <item>\n" + "".join(f"      {f}\n" for f in fields if f) + "    </item>\n")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:itunes="{ITUNES}">\n'
        "  <channel>\n" + "".join(f"    {c}\n" for c in channel if c) + "".join(items) + "  </channel>\n</rss>\n"
    )


def manifest(articles: list[ArticleEdition], **facts) -> str:
    """Everything written for an issue, as JSON (no timestamps: the same input, the same file)."""
    data = {**facts, "articles": [asdict(a) for a in articles]}
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
