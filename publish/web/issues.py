"""The issues of a build folder as the site reads them: each issue folder's records (web/pages.json,
web/articles.json, the audio edition's manifest.json), checked field by field. A record that is
missing or does not have the expected shape leaves that part of the issue out, with a note; it
never stops the site."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from datetime import date as Date
from pathlib import Path
from typing import Any

PAGES = "web/pages.json"
ARTICLES = "web/articles.json"
AUDIO = "manifest.json"
MADE = "build.json"  # batch.records.MANIFEST: an issue folder publish made has one
_KEY = re.compile(r"^(?P<paper>.+)-(?P<date>\d{4}-\d{2}-\d{2})(?:-\d+)?$")


class RecordError(ValueError):
    """A record without the shape the site needs (the reason, in a few words)."""


@dataclass
class Page:
    number: int
    label: str
    name: str
    width: float
    height: float
    image: dict[str, Any] | None
    fallback: dict[str, Any] | None
    thumb: dict[str, Any] | None
    pdf: str | None
    areas: list[tuple[int, list[list[float]]]]  # (article index, rects in pt from the top-left)

    @property
    def file(self) -> str:
        return f"page-{self.number:02d}.html"

    @property
    def title(self) -> str:
        """第1版 要闻: how a reader names the page."""
        return f"第{self.label}版" + (f" {self.name}" if self.name else "")


@dataclass
class Issue:
    key: str
    folder: Path
    paper: str | None
    date: str | None  # ISO, None for an undated issue
    pages: list[Page] = field(default_factory=list)
    articles: list[dict[str, Any]] = field(default_factory=list)
    audio: dict[str, dict[str, Any]] = field(default_factory=dict)  # part -> its manifest entry
    pdf: str | None = None
    feed: bool = False
    playlist: bool = False
    notes: list[tuple[str, str]] = field(default_factory=list)  # (issue key, what is left out and why)
    raw: bytes = b""  # the records' bytes, for the site record's digest
    record: dict[str, Any] | None = None  # web/articles.json as read (when it passed the checks), for the search index
    manifest: dict[str, Any] | None = None  # the audio manifest as read (when it passed the checks), for the paper's feed
    broken: set[str] = field(default_factory=set)  # the records left out (PAGES, ARTICLES, AUDIO)

    @property
    def name(self) -> str:
        """The paper's name as the site shows it."""
        return self.paper or "新闻"

    def pages_of(self, index: int) -> list[Page]:
        """The pages the article `index` (0-based) is on: its areas, else its printed page label."""
        found = [p for p in self.pages if any(a == index for a, _ in p.areas)]
        if not found and index < len(self.articles) and self.articles[index].get("page"):
            found = [p for p in self.pages if p.label == self.articles[index]["page"]][:1]
        return found


def issue_folders(out: Path) -> list[Path]:
    """The issue folders publish made in `out` (those with a build.json), sorted by name."""
    if not out.is_dir():
        return []
    return sorted(p for p in out.iterdir() if p.is_dir() and (p / MADE).is_file())


def load_issue(folder: Path) -> Issue:
    """One issue as the site shows it, from its records; what cannot be read is noted."""
    key = folder.name
    match = _KEY.match(key)
    issue = Issue(key, folder, match["paper"] if match else None, match["date"] if match and _is_date(match["date"]) else None)
    raw = []
    for name, read in ((PAGES, _read_pages), (ARTICLES, _read_articles), (AUDIO, _read_audio)):
        path = folder / name
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            if name != AUDIO:
                issue.notes.append((key, f"no {name}: {_missing[name]}"))
            continue
        except OSError as error:
            issue.notes.append((key, f"{path}: cannot read it: {error.strerror or error}; {_missing[name]}"))
            continue
        raw.append(data)
        try:
            read(issue, json.loads(data))
        except (ValueError, RecordError) as error:
            reason = str(error) if isinstance(error, RecordError) else "not valid JSON"
            issue.notes.append((key, f"{path}: {reason}; {_missing[name]}"))
            issue.broken.add(name)
    issue.raw = b"\0".join(raw)
    pdf = f"{key}.pdf"
    issue.pdf = pdf if (folder / pdf).is_file() else None
    issue.feed, issue.playlist = (folder / "feed.xml").is_file(), (folder / "playlist.m3u8").is_file()
    return issue


_missing = {
    PAGES: "the issue is shown without its page views",
    ARTICLES: "the issue is shown without its articles",
    AUDIO: "the articles are shown without audio",
}


def _read_pages(issue: Issue, data: Any) -> None:
    pages = _get(data, "pages", list)
    issue.pages = [_page(p, n) for n, p in enumerate(pages, 1)]
    if isinstance(data.get("pdf"), str):
        issue.pdf = safe_path(data["pdf"], "pdf")


def _page(data: Any, n: int) -> Page:
    where = f"page {n}"
    number = _get(data, "number", int, where)
    if number < 1 or number > 999:
        raise RecordError(f"{where}: number {number} out of range")
    areas = []
    for area in _get(data, "areas", list, where):
        index = _get(area, "article", int, where)
        rects = _get(area, "rects", list, where)
        if not all(isinstance(r, list) and len(r) == 4 and all(_number(v) for v in r) for r in rects):
            raise RecordError(f"{where}: an area's rects are not [x, y, w, h] lists")
        areas.append((index, rects))
    return Page(
        number,
        str(_get(data, "label", (str, int), where)),
        _opt(data, "name", str) or "",
        float(_get(data, "width", (int, float), where)),
        float(_get(data, "height", (int, float), where)),
        _image(data.get("image"), where),
        _image(data.get("fallback"), where),
        _image(data.get("thumb"), where),
        safe_path(data["pdf"], where) if isinstance(data.get("pdf"), str) else None,
        areas,
    )


def _image(data: Any, where: str) -> dict[str, Any] | None:
    if data is None:
        return None
    src = safe_path(_get(data, "src", str, where), where)
    width, height = _get(data, "width", int, where), _get(data, "height", int, where)
    if width < 1 or height < 1:
        raise RecordError(f"{where}: image {src} has no size")
    return {"src": src, "width": width, "height": height}


def _read_articles(issue: Issue, data: Any) -> None:
    articles = _get(data, "articles", list)
    issue.paper = _opt(data, "paper", str) or issue.paper
    date = data.get("date") if data.get("date") != "" else None
    if date is not None and not (isinstance(date, str) and _is_date(date)):
        raise RecordError(f"date {date!r} is not a date (YYYY-MM-DD)")
    issue.articles = [_article(a, n) for n, a in enumerate(articles, 1)]
    if date or "date" in data:
        issue.date = date
    issue.record = {**data, "paper": _opt(data, "paper", str), "date": date}  # what search indexes: checked


def _article(data: Any, n: int) -> dict[str, Any]:
    where = f"article {n}"
    part = _get(data, "part", str, where)
    if data.get("number") is not None:
        _get(data, "number", int, where)
    if not re.fullmatch(r"[A-Za-z0-9._-]+", part) or part.startswith("."):
        raise RecordError(f"{where}: part {part!r} is not a folder name")
    blocks = []
    for block in _opt(data, "blocks", list) or []:
        blocks.append({"kind": _get(block, "kind", str, where), "text": _get(block, "text", str, where)})
    photos = []
    for photo in _opt(data, "photos", list) or []:
        image = _image(photo, where)
        photos.append({**image, "caption": _opt(photo, "caption", str) or "", "credit": _opt(photo, "credit", str) or "",
                       "block": _opt(photo, "block", int)})  # fmt: skip
    bylines = [b for b in _opt(data, "bylines", list) or [] if isinstance(b, str)]
    fields = {k: _opt(data, k, str) for k in ("kicker", "subtitle", "column", "page_name")}
    page = data.get("page")
    return {"part": part, "title": _get(data, "title", str, where) or "（无标题）", "blocks": blocks, "photos": photos,
            "bylines": bylines, "page": str(page) if isinstance(page, (str, int)) else None, **fields}  # fmt: skip


def _read_audio(issue: Issue, data: Any) -> None:
    for entry in _get(data, "articles", list, "audio"):
        folder = _opt(entry, "folder", str)
        if not folder:
            continue
        sections = []
        for section in _opt(entry, "sections", list) or []:
            start, title = _opt(section, "start", (int, float)), _opt(section, "title", str)
            if start is not None and title:
                sections.append({"title": title, "start": float(start)})
        issue.audio[folder] = {"sections": sections}
    issue.manifest = data


def safe_path(path: str, where: str) -> str:
    """A file name relative to its folder, as records hold them: never absolute, `..` or a URL."""
    parts = path.split("/")
    if not path or path.startswith("/") or ":" in path or "\\" in path or any(p in ("", ".", "..") for p in parts):
        raise RecordError(f"{where}: {path!r} is not a relative file name")
    return path


def _is_date(text: str) -> bool:
    """A real day written YYYY-MM-DD (2026-02-30 and 2026-13-01 are not)."""
    try:
        return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)) and Date.fromisoformat(text) is not None
    except ValueError:
        return False


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _get(data: Any, key: str, kind: type | tuple[type, ...], where: str = "") -> Any:
    if not isinstance(data, dict):
        raise RecordError(f"{where + ': ' if where else ''}not an object")
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise RecordError(f"{where + ': ' if where else ''}{key} missing or not {_kind(kind)}")
    return _finite(value, key, where)


def _opt(data: Any, key: str, kind: type | tuple[type, ...]) -> Any:
    value = data.get(key) if isinstance(data, dict) else None
    return _finite(value, key) if isinstance(value, kind) and not isinstance(value, bool) else None


def _finite(value: Any, key: str, where: str = "") -> Any:
    """The value, unless it is a float JSON lets through but no size or time can be (NaN, Infinity)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise RecordError(f"{where + ': ' if where else ''}{key} is {value}, not a finite number")
    return value


def _kind(kind: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a whole number", float: "a number", list: "a list", dict: "an object"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)
