"""Podcast feeds, playlists and manifests: per issue an M3U8 playlist, a podcast RSS feed and a
JSON manifest (`write_issue`); per paper a feed of its latest episodes over the issues' manifests
(the web edition's `feeds/<paper>.xml`). Both feeds write their items the same way: iTunes tags,
Podcasting 2.0 chapters and transcripts, Podlove Simple Chapters inline, the same guids."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from ...errors import SpeechError
from .chapters import JSON_TYPE, npt, timeline
from .edition import ArticleEdition

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"  # Podcasting 2.0: podcast:chapters, podcast:transcript
PSC = "http://podlove.org/simple-chapters"  # Podlove Simple Chapters
LANGUAGE = "zh-cn"
MANIFEST = "manifest.json"  # an issue's audio manifest (`manifest`, written by editions.write_issue)
# Issues appear in the morning: a fixed hour keeps the feed the same from run to run.
PUBLISHED_AT = dt.time(6, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # no XML 1.0 document may hold them


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


@dataclass(frozen=True)
class Episode:
    """One article's audio as a feed item: its edition, the issue it was read from, and where
    that issue's folder is from where the feed's URLs start (the edition's paths are relative to it)."""

    edition: ArticleEdition
    issue: str = ""  # the issue key (its folder's name): guids start with it
    date: dt.date | None = None  # the issue's date (pubDate)
    prefix: str = ""  # the issue folder's path in the feed's URLs: "" in the issue's own feed, "<issue>/" from the site root
    number: int = 0  # its place in the issue's feed (itunes:episode there)

    @property
    def guid(self) -> str:
        """`<issue>/<article id or folder>`: the one guid of an article in every feed, so a podcast
        app subscribed to both the issue's feed and the paper's sees one episode."""
        ident = self.edition.id or self.edition.folder
        return f"{self.issue}/{ident}" if self.issue else ident


def feed(
    articles: list[ArticleEdition],
    *,
    title: str,
    date: dt.date | None,
    issue: str = "",
    author: str = "",
    base_url: str = "",
    cover: str = "",
) -> str:
    """An issue's podcast RSS 2.0 feed: one item per article in issue order, numbered
    (itunes:episode). `base_url`: where the issue folder is served ("": URLs relative to it)."""
    episodes = [Episode(article, issue, date, "", number) for number, article in enumerate(articles, 1)]
    description = f"{title}：{len(articles)} 篇文章的朗读"
    return _rss(_channel(title, description, author, base_url, cover, date), episodes, base_url, numbered=True)


def paper_feed(
    episodes: list[Episode], *, title: str, author: str = "", base_url: str = "", cover: str = "", limit: int = 100
) -> str:
    """A whole paper's podcast feed: its latest `limit` episodes over all its issues, newest issue
    first (articles in issue order within an issue; undated issues last), the channel dated by the
    newest. `base_url`: where the episodes' prefixes start (the site root's URL, or a relative path
    to it such as ".." for a feed in `feeds/`); `cover` is relative to it too."""
    latest = newest_first(episodes)[:limit]
    date = next((e.date for e in latest if e.date), None)
    description = f"{title}：最近 {len(latest)} 篇文章的朗读"
    return _rss(_channel(title, description, author, base_url, cover, date), latest, base_url, numbered=False)


def newest_first(episodes: list[Episode]) -> list[Episode]:
    """Episodes by issue date, newest first, then by issue key (reversed) and place in the issue;
    undated issues after the dated ones."""
    in_issue = sorted(episodes, key=lambda e: e.number)
    return sorted(in_issue, key=lambda e: (e.date is not None, e.date or dt.date.min, e.issue), reverse=True)


def _text(value: str) -> str:
    """Element text: escaped, without the characters XML cannot hold."""
    return escape(_NOT_XML.sub("", value))


def _attr(value: str) -> str:
    """A quoted attribute value, escaped (quotes, &, <, line breaks), without the characters XML cannot hold."""
    return quoteattr(_NOT_XML.sub("", value))


def _published(date: dt.date | None) -> str:
    return format_datetime(dt.datetime.combine(date, PUBLISHED_AT)) if date else ""


def _channel(title: str, description: str, author: str, base_url: str, cover: str, date: dt.date | None) -> list[str]:
    """The channel's own elements (before its items)."""
    published = _published(date)
    return [
        f"<title>{_text(title)}</title>",
        f"<link>{_text(base_url or './')}</link>",
        f"<language>{LANGUAGE}</language>",
        f"<description>{_text(description)}</description>",
        f"<itunes:author>{_text(author)}</itunes:author>" if author else "",
        '<itunes:category text="News"/>',
        "<itunes:explicit>false</itunes:explicit>",
        "<itunes:type>episodic</itunes:type>",
        f"<itunes:image href={_attr(_url(base_url, cover))}/>" if cover else "",
        f"<pubDate>{published}</pubDate>" if published else "",
    ]


def _rss(channel: list[str], episodes: list[Episode], base_url: str, *, numbered: bool) -> str:
    items = "".join(_item(e, base_url, numbered) for e in episodes)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:itunes="{ITUNES}" xmlns:podcast="{PODCAST}" xmlns:psc="{PSC}">\n'
        "  <channel>\n" + "".join(f"    {c}\n" for c in channel if c) + items + "  </channel>\n</rss>\n"
    )


def _item(episode: Episode, base_url: str, numbered: bool) -> str:
    """One episode: enclosure (length, type), guid, date, duration, authors, the chapters (JSON
    file and Podlove inline) and the subtitles as transcripts. The same in every feed but for
    the URLs' start and the episode number."""
    article = episode.edition

    def url(path: str) -> str:
        return _attr(_url(base_url, episode.prefix + path))

    published = _published(episode.date)
    fields = [
        f"<title>{_text(article.title)}</title>",
        f"<description>{_text(article.summary)}</description>",
        f'<enclosure url={url(article.mp3)} length="{article.bytes}" type="audio/mpeg"/>',
        f'<guid isPermaLink="false">{_text(episode.guid)}</guid>',
        f"<pubDate>{published}</pubDate>" if published else "",
        f"<itunes:duration>{_hms(article.duration)}</itunes:duration>",
        f"<itunes:episode>{episode.number}</itunes:episode>" if numbered and episode.number else "",
        f"<itunes:author>{_text('、'.join(article.authors))}</itunes:author>" if article.authors else "",
        "<itunes:explicit>false</itunes:explicit>",
        f'<podcast:chapters url={url(article.chapters["json"])} type="{JSON_TYPE}"/>' if "json" in article.chapters else "",
        *(
            f'<podcast:transcript url={url(article.subtitles[kind])} type="{mime}" language="{LANGUAGE}" rel="captions"/>'
            for kind, mime in (("vtt", "text/vtt"), ("srt", "application/x-subrip"))
            if kind in article.subtitles
        ),
        _podlove(article),
    ]
    return "    <item>\n" + "".join(f"      {f}\n" for f in fields if f) + "    </item>\n"


def _podlove(article: ArticleEdition) -> str:
    """Podlove Simple Chapters: the article's chapters inline (start as `HH:MM:SS.mmm`)."""
    if not article.sections:
        return ""
    marks = [f'<psc:chapter start="{npt(c.start)}" title={_attr(c.title)}/>' for c in timeline(article.sections)]
    return '<psc:chapters version="1.2">\n' + "".join(f"        {m}\n" for m in marks) + "      </psc:chapters>"


def manifest(articles: list[ArticleEdition], **facts) -> str:
    """Everything written for an issue, as JSON (no timestamps: the same input, the same file)."""
    data = {**facts, "articles": [asdict(a) for a in articles]}
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def issue_episodes(data: dict[str, Any], prefix: str | None = None, source: str | Path = "manifest.json") -> list[Episode]:
    """An issue's episodes as its manifest.json records them (`manifest`, written by
    `write_issue`: the editions in its feed, in issue order). `prefix`: the issue folder's path
    in the feed's URLs, by default `<issue>/` (a feed at the site root). `source` names the file
    in the error when the data is not an audio manifest."""
    try:
        issue = str(data["issue"])
        date = dt.date.fromisoformat(data["date"]) if data.get("date") else None
        editions = [ArticleEdition.from_dict(entry) for entry in data["articles"]]
    except (KeyError, TypeError, ValueError, AttributeError) as problem:
        reason = f"no {problem} field" if isinstance(problem, KeyError) else str(problem)
        raise SpeechError(f"not an audio edition's manifest ({reason})", file=source) from None
    start = f"{issue}/" if prefix is None else prefix
    return [Episode(edition, issue, date, start, number) for number, edition in enumerate(editions, 1)]


def read_episodes(folder: Path, prefix: str | None = None) -> list[Episode]:
    """The episodes of an issue folder (its manifest.json, `issue_episodes`); [] when it has no
    audio edition. An unreadable manifest is a SpeechError naming it."""
    path = folder / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as problem:
        raise SpeechError(f"cannot read the audio manifest: {problem.strerror or problem}", file=path) from None
    try:
        data = json.loads(text)
    except ValueError as problem:
        raise SpeechError(f"not JSON: {problem}", file=path) from None
    if not isinstance(data, dict):
        raise SpeechError("not an audio edition's manifest (not a JSON object)", file=path)
    return issue_episodes(data, prefix, path)
