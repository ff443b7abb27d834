"""An article's chapters (its spoken sections on the article file's timeline) in the forms
players read: ID3 CHAP frames (edition.py), Podcasting 2.0 JSON chapters, a WebVTT chapters
track, and Podlove Simple Chapters inside a feed (feed.py). One list makes all of them."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from .subtitles import _clock, _vtt_text

JSON_VERSION = "1.2.0"  # Podcasting 2.0 JSON chapters, version 1.2
JSON_TYPE = "application/json+chapters"  # the type `podcast:chapters` names


class Section(Protocol):
    title: str
    start: float  # seconds into the article file
    duration: float


@dataclass(frozen=True)
class Chapter:
    """A chapter: its title and where it starts and ends in the article file (seconds)."""

    title: str
    start: float
    end: float


def timeline(sections: Iterable[Section]) -> list[Chapter]:
    """Each section as a chapter ending where the next begins; the last ends with its own
    frames (the end of the article file)."""
    listed = list(sections)
    ends = [s.start for s in listed[1:]] + ([listed[-1].start + listed[-1].duration] if listed else [])
    return [Chapter(s.title, round(s.start, 3), round(end, 3)) for s, end in zip(listed, ends, strict=True)]


def chapters_json(chapters: list[Chapter], title: str = "", author: str = "") -> str:
    """Podcasting 2.0 JSON chapters: `version`, the episode's title and author, and the chapters
    in ascending `startTime` (seconds, float), each with its title and `endTime`."""
    data: dict = {"version": JSON_VERSION}
    if author:
        data["author"] = author
    if title:
        data["title"] = title
    data["chapters"] = [{"startTime": c.start, "endTime": c.end, "title": c.title} for c in chapters]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def chapters_vtt(chapters: list[Chapter], title: str = "") -> str:
    """A WebVTT chapters track (`<track kind="chapters">`): one cue per chapter, `c1`, `c2` …"""
    head = f"WEBVTT - {_vtt_text(title)}\n" if title.strip() else "WEBVTT\n"
    blocks = [
        f"c{n}\n{_clock(c.start, '.')} --> {_clock(max(c.end, c.start), '.')}\n{_vtt_text(c.title)}\n"
        for n, c in enumerate(chapters, 1)
    ]
    return "\n".join([head, *blocks])


def npt(seconds: float) -> str:
    """`HH:MM:SS.mmm`, the normal play time Podlove Simple Chapters' `start` takes."""
    return _clock(seconds, ".")
