"""The article model every stage reads: paper facts, headline block, bylines, body blocks.

Readers in `publish.ingest` build these objects; layout and speech only read them.
`Article.to_dict()` is the public JSON form documented in the README.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BlockKind(StrEnum):
    """What a body block is; print and narration treat each kind differently."""

    LEAD = "lead"  # 提要: a summary set before the body
    EDITOR_NOTE = "editor_note"  # 编者按 and its ——编者 signature
    PARAGRAPH = "paragraph"
    HEADING = "heading"  # 小标题
    LIST_ITEM = "list_item"  # ●主办：… ①… （一）…
    CAPTION = "caption"  # photo caption, with its credit when one follows
    CREDIT = "credit"  # a photo credit with no caption before it
    QA = "qa"  # one turn of an interview: speaker + text
    NOTE = "note"  # （作者单位：…）, 本版制图：…, （本报某地电）
    JUMP = "jump"  # （下转第3版） （上接第1版） >>>详见…
    BYLINE = "byline"  # a byline printed inside or at the end of the body
    SIGNATURE = "signature"  # ——source lines under quotes and epigraphs
    VERSE = "verse"  # one line of a poem


class Role(StrEnum):
    """The part a person had in an article, as bylines name it."""

    REPORTER = "记者"
    CORRESPONDENT = "通讯员"
    PHOTOGRAPHER = "摄影"
    AUTHOR = "作者"
    EDITOR = "编辑"
    INTERN = "实习生"


@dataclass(frozen=True)
class Span:
    """First and last source line (1-based, inclusive) a piece of the model came from."""

    first: int
    last: int

    def to_list(self) -> list[int]:
        return [self.first, self.last]


@dataclass
class Block:
    """One body element in reading order."""

    kind: BlockKind
    text: str
    lines: Span | None = None
    marker: str | None = None  # list or lead marker as printed: ●, ①, （一）, ■
    speaker: str | None = None  # for QA turns: 记者, 问, 陈建国
    credit: str | None = None  # for captions: 本报记者 许晴 摄
    image: str | None = None  # for captions: the photo file the source names

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": str(self.kind), "text": self.text}
        for name in ("marker", "speaker", "credit", "image"):
            value = getattr(self, name)
            if value:
                data[name] = value
        data["lines"] = self.lines.to_list() if self.lines else None
        return data


@dataclass(frozen=True)
class Person:
    """Someone a byline or dateline names, with the role it gives them."""

    name: str
    role: Role

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "role": str(self.role)}


@dataclass
class Byline:
    """A byline as printed (``本报记者 周明远 通讯员 林小溪``) and the people in it."""

    text: str
    people: list[Person]
    position: str = "head"  # head | body | dateline
    lines: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "position": self.position,
            "people": [p.to_dict() for p in self.people],
            "lines": self.lines.to_list() if self.lines else None,
        }


@dataclass
class Dateline:
    """The 电头 at the start of the first paragraph: ``本报堪培拉3月24日电``, ``本报讯``."""

    text: str
    agency: str | None = None  # 本报, 新华社
    place: str | None = None  # 堪培拉
    date: str | None = None  # 3月24日, as printed

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "agency": self.agency, "place": self.place, "date": self.date}


@dataclass
class Paper:
    """Facts about the paper and page an article was printed in."""

    name: str | None = None  # 黔东南日报
    cn: str | None = None  # 国内统一刊号 CN52-0017
    publisher: str | None = None  # 黔东南日报社出版
    date: dt.date | None = None  # issue date
    page: str | None = None  # 版次: 1, A01, 6/7
    page_name: str | None = None  # 版名: 要闻
    post_code: str | None = None  # 邮发代号

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "cn": self.cn,
            "publisher": self.publisher,
            "date": self.date.isoformat() if self.date else None,
            "page": self.page,
            "page_name": self.page_name,
            "post_code": self.post_code,
        }

    def fill_from(self, other: Paper) -> None:
        """Take every fact this paper lacks from `other` (what a sidecar or config adds)."""
        for name in ("name", "cn", "publisher", "date", "page", "page_name", "post_code"):
            if getattr(self, name) is None and getattr(other, name) is not None:
                setattr(self, name, getattr(other, name))


@dataclass
class Headline:
    """The headline block: 引题 above, 主题, 副题 below, and a column tag such as （夜语）."""

    title: str
    kicker: str | None = None
    subtitle: str | None = None
    column: str | None = None  # 栏目 tag printed in brackets after the title
    lines: Span | None = None

    @property
    def printed_title(self) -> str:
        """The title as the source printed it, column tag included."""
        return f"{self.title}（{self.column}）" if self.column else self.title


@dataclass
class Source:
    """Where an article came from: file, reader, encoding and the lines it spans."""

    file: str
    format: str
    encoding: str
    lines: Span | None = None
    record: int | None = None  # 1-based record number in a JSON/JSONL/CSV file
    furniture: list[str] = field(default_factory=list)  # masthead lines and trailer, as read

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "encoding": self.encoding,
            "lines": self.lines.to_list() if self.lines else None,
            "record": self.record,
        }


@dataclass
class Section:
    """What narration splits on: the blocks under one run of headings (title None for the intro)."""

    title: str | None
    headings: list[Block]
    blocks: list[Block]

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "blocks": [b.to_dict() for b in self.blocks]}


@dataclass
class Photo:
    """A photo (or graphic) an article carries: the file as the source names it, where it was
    found (None when missing, refused or unreadable, then the article prints without it), its
    size in pixels as it displays (EXIF orientation applied), its 图片说明 and credit, and the
    index in `Article.blocks` of the caption block that prints under it (None: no caption block)."""

    src: str
    caption: str = ""
    credit: str = ""
    file: str | None = None
    width: int = 0
    height: int = 0
    block: int | None = None
    lines: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "src": self.src,
            "caption": self.caption,
            "credit": self.credit,
            "file": self.file,
            "width": self.width,
            "height": self.height,
            "block": self.block,
            "lines": self.lines.to_list() if self.lines else None,
        }


@dataclass
class Article:
    """One article: the hub every later stage (print, audio, batch) reads."""

    headline: Headline
    paper: Paper = field(default_factory=Paper)
    id: str | None = None
    url: str | None = None
    bylines: list[Byline] = field(default_factory=list)
    dateline: Dateline | None = None
    blocks: list[Block] = field(default_factory=list)
    source: Source | None = None
    photos: list[Photo] = field(default_factory=list)
    lead_story: bool = False  # the input marks it as its page's 头条 (`lead: true`); `lead` is the 提要 blocks
    priority: float | None = None  # editorial weight from the input or publish.toml: higher is heavier

    @property
    def title(self) -> str:
        return self.headline.title

    @property
    def kicker(self) -> str | None:
        return self.headline.kicker

    @property
    def subtitle(self) -> str | None:
        return self.headline.subtitle

    @property
    def headline_block(self) -> list[tuple[str, str]]:
        """(part, text) of what stands above the body, in order: kicker, title (with its
        column tag), subtitle, then each head byline as printed; empty parts left out."""
        head = self.headline
        parts = [("kicker", head.kicker), ("title", head.printed_title), ("subtitle", head.subtitle)]
        parts += [("byline", b.text) for b in self.bylines if b.position == "head"]
        return [(part, text) for part, text in parts if text]

    @property
    def people(self) -> list[Person]:
        """Everyone the bylines and dateline name, each once, in order of first mention."""
        seen: dict[tuple[str, Role], Person] = {}
        for byline in self.bylines:
            for person in byline.people:
                seen.setdefault((person.name, person.role), person)
        return list(seen.values())

    @property
    def lead(self) -> list[Block]:
        """The 提要 and 编者按 blocks."""
        return [b for b in self.blocks if b.kind in (BlockKind.LEAD, BlockKind.EDITOR_NOTE)]

    @property
    def sections(self) -> list[Section]:
        return split_sections(self.blocks)

    def to_dict(self) -> dict[str, Any]:
        """The public JSON form (see README, "JSON output")."""
        return {
            "paper": self.paper.to_dict(),
            "id": self.id,
            "url": self.url,
            "kicker": self.headline.kicker,
            "title": self.headline.title,
            "subtitle": self.headline.subtitle,
            "column": self.headline.column,
            "lead_story": self.lead_story,
            "priority": self.priority,
            "bylines": [p.to_dict() for p in self.people],
            "byline_lines": [b.to_dict() for b in self.bylines],
            "dateline": self.dateline.to_dict() if self.dateline else None,
            "blocks": [b.to_dict() for b in self.blocks],
            "sections": [s.to_dict() for s in self.sections],
            "photos": [p.to_dict() for p in self.photos],
            "source": self.source.to_dict() if self.source else None,
        }

    def content_digest(self) -> str:
        """A digest of the article as the stages read it (where it was read from aside): the
        same text and facts give the same digest, wherever the file lies. A photo counts by its
        file's content, not by where it lies (a photo changed makes the page again)."""
        from pathlib import Path

        from .digest import digest, file_digest

        data = self.to_dict()
        data.pop("source", None)
        for photo, entry in zip(self.photos, data["photos"], strict=True):
            entry["file"] = file_digest(Path(photo.file)) if photo.file else None
        return digest(data)


def split_sections(blocks: list[Block]) -> list[Section]:
    """Group blocks under headings; a run of adjacent headings titles one section."""
    sections: list[Section] = []
    current = Section(None, [], [])
    for block in blocks:
        if block.kind is BlockKind.HEADING:
            if current.blocks:
                sections.append(current)
                current = Section(None, [], [])
            current.headings.append(block)
            current.title = " ".join(h.text for h in current.headings)
        else:
            current.blocks.append(block)
    if current.blocks or current.headings:
        sections.append(current)
    return sections
