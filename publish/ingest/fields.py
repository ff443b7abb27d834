"""Metadata fields as crawlers and authors name them: ``special_title``, ``ban``, ``引题``, ``publish``…

One mapping serves JSON/JSONL/CSV records, Markdown front matter and sidecar records.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..article import Paper, Photo
from .facts import canonical_cn, facts_from_url, parse_compact_date, parse_date, parse_page_label

ALIASES: dict[str, tuple[str, ...]] = {
    "kicker": (
        "kicker",
        "special_title",
        "specialtitle",
        "introtitle",
        "intro_title",
        "pretitle",
        "pre_title",
        "shoulder",
        "yinti",
        "引题",
        "肩题",
    ),
    "title": ("title", "headline", "main_title", "maintitle", "标题", "主题", "题目", "founder-title"),
    "subtitle": ("subtitle", "sub_title", "subheadline", "sub_headline", "deck", "副题", "副标题"),
    "body": ("content", "text", "body", "article", "contents", "正文", "内容", "content_text", "maintext"),
    "author": ("author", "authors", "byline", "reporter", "writer", "作者", "记者", "founder-author"),
    "date": (
        "date",
        "publish",
        "pubdate",
        "pub_date",
        "publish_date",
        "publishdate",
        "published",
        "publish_time",
        "pubtime",
        "time",
        "datetime",
        "issue_date",
        "日期",
        "出版日期",
        "founder-date",
    ),
    "paper": (
        "paper",
        "newspaper",
        "paper_name",
        "papername",
        "source",
        "sourcename",
        "source_name",
        "media",
        "报纸",
        "报名",
        "founder-papername",
        "nodename",
    ),
    "cn": ("cn", "cn_number", "kanhao", "刊号", "国内统一刊号"),
    "publisher": ("publisher", "出版", "出版单位"),
    "page": ("page", "page_no", "pageno", "pagenum", "page_number", "ban", "banci", "版次", "版面", "founder-pagenum"),
    "page_name": ("page_name", "pagename", "page_title", "section", "版名", "栏目版"),
    "url": ("url", "link", "href", "source_url", "sourceurl", "article_url", "链接", "网址"),
    "id": ("id", "article_id", "articleid", "aid", "guid", "uuid", "doc_id", "docid", "编号"),
    "lead": ("lead", "is_lead", "headline_lead", "lead_story", "toutiao", "头条"),
    "priority": ("priority", "weight", "importance", "权重"),
    "rank": ("rank", "排序"),  # lower is heavier: read as priority −rank
}
_LOOKUP = {alias.lower(): key for key, aliases in ALIASES.items() for alias in aliases}


@dataclass
class Fields:
    """What one record says about an article, with field names made canonical."""

    kicker: str | None = None
    title: str | None = None
    subtitle: str | None = None
    body: str | list[str] | None = None
    author: str | None = None
    paper: Paper | None = None
    url: str | None = None
    id: str | None = None
    photos: list[Photo] = field(default_factory=list)  # `images` and its crawler spellings, files not yet found
    lead: bool = False  # the page's 头条
    priority: float | None = None  # editorial weight, higher is heavier
    doubts: list[str] = field(default_factory=list)  # values read with a doubt: `field 'value': why` (ignored)


def canonical_fields(record: dict[str, Any]) -> dict[str, Any]:
    """Record keys mapped to canonical names (first alias present wins); unknown keys dropped."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        name = _LOOKUP.get(str(key).strip().lower())
        if name and name not in out and value not in (None, "", []):
            out[name] = value
    return out


def unwrap(record: dict[str, Any]) -> dict[str, Any]:
    """A record nested as {"record": {...}} or {"article": {...}} (with provenance beside it)."""
    for key in ("record", "article", "item", "data"):
        inner = record.get(key)
        if isinstance(inner, dict) and any(k.lower() in _LOOKUP for k in inner):
            return inner
    return record


def read_fields(record: dict[str, Any]) -> Fields:
    data = canonical_fields(unwrap(record))
    fields = Fields(
        kicker=_text(data.get("kicker")),
        title=_text(data.get("title")),
        subtitle=_text(data.get("subtitle")),
        body=data.get("body") if isinstance(data.get("body"), (str, list)) else _text(data.get("body")),
        author=_author(data.get("author")),
        url=_text(data.get("url")),
        id=_text(data.get("id")),
    )
    fields.photos = read_photos(unwrap(record))
    fields.paper = _paper(data, fields.url)
    url_paper, url_id = facts_from_url(fields.url)
    fields.paper.fill_from(url_paper)
    fields.id = fields.id or url_id
    _weight(data, fields)
    return fields


YES = frozenset({"true", "yes", "y", "1", "on", "是", "对", "头条"})
NO = frozenset({"false", "no", "n", "0", "off", "否", "不是", ""})
FLAG_TEXT = 8  # characters: a `lead` text longer than this is the article's 导语, not a yes or no


def _weight(data: dict[str, Any], fields: Fields) -> None:
    """`lead` (a yes or no) and `priority` (a number; `rank` counts as priority −rank) onto
    `fields`; a value that is neither is a doubt, and ignored."""
    lead = data.get("lead")
    if isinstance(lead, bool) or (isinstance(lead, (int, float)) and lead in (0, 1)):
        fields.lead = bool(lead)
    elif isinstance(lead, str) and lead.strip().lower() in YES | NO:
        fields.lead = lead.strip().lower() in YES
    elif lead is not None and not (isinstance(lead, str) and len(lead) > FLAG_TEXT):  # a longer text is a summary (导语)
        fields.doubts.append(f"lead {lead!r} is not true or false")
    for key, sign in (("priority", 1), ("rank", -1)):
        value = data.get(key)
        if value is None or fields.priority is not None:
            continue
        number = _number(value)
        if number is None:
            fields.doubts.append(f"{key} {value!r} is not a number")
        else:
            fields.priority = sign * number


def _number(value: Any) -> float | None:
    """A finite number given as a number or as text ("3", "2.5"), else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        text = html_to_text(value).strip()
        return text or None
    return None


def _author(value: Any) -> str | None:
    if isinstance(value, list):
        names = [_text(v.get("name") if isinstance(v, dict) else v) for v in value]
        return "、".join(n for n in names if n) or None
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _paper(data: dict[str, Any], url: str | None) -> Paper:
    paper = Paper()
    name = _text(data.get("paper"))
    if name and len(name) <= 30:
        paper.name = name
    if cn := _text(data.get("cn")):
        paper.cn = canonical_cn(cn)
    paper.publisher = _text(data.get("publisher"))
    if date := _text(data.get("date")):
        paper.date = parse_date(date) or parse_compact_date(date)
    page = _text(data.get("page"))
    if page:
        label = parse_page_label(page) or parse_page_label(f"{page}版")
        if label:
            paper.page, paper.page_name = label
    if page_name := _text(data.get("page_name")):
        paper.page_name = page_name
    return paper


# ---- photos: `images: [{src, caption, credit}]` and the names crawlers give them ----------------

PHOTO_KEYS = (
    "images",
    "image",
    "imgs",
    "img",
    "pics",
    "pic",
    "pictures",
    "picture",
    "photos",
    "photo",
    "image_urls",
    "image_url",
    "image_links",
    "image_link",
    "img_urls",
    "img_url",
    "imgurl",
    "pic_urls",
    "pic_url",
    "photo_urls",
    "photo_url",
    "图片",
    "配图",
)
COVER_KEYS = (
    "thumbnail",
    "thumbnails",
    "thumb",
    "cover",
    "cover_image",
    "cover_url",
    "封面",
)  # only when nothing else names a photo
PHOTO_SRC = ("src", "url", "href", "path", "file", "filename", "image", "img", "uri", "link", "local_path", "地址", "文件")
PHOTO_CAPTION = ("caption", "desc", "description", "alt", "title", "text", "说明", "图片说明", "图注", "题注")
PHOTO_CREDIT = ("credit", "author", "photographer", "by", "摄影", "摄", "source", "来源", "作者", "署名")
PHOTO_CAPTIONS = (
    "images_desc",
    "image_desc",
    "imgs_desc",
    "img_desc",
    "pic_desc",
    "image_captions",
    "images_captions",
    "image_caption",
    "img_caption",
    "photo_caption",
    "image_alt",
    "captions",
    "图片说明",
)
PHOTO_CREDITS = ("image_credits", "images_credits", "image_credit", "photo_credits", "photo_credit", "credits", "摄影")
SIDECAR_CAPTION = ("caption", "photo_caption", "image_caption", "图片说明", "图注")  # a single photo's, in a sidecar record
SIDECAR_CREDIT = ("credit", "photo_credit", "image_credit", "photographer", "摄影")
_PHOTO_LIST_SPLIT = re.compile(r"\s*[\n;|；]\s*")
_IMAGE_NAME = re.compile(r"\.(?:jpe?g|png|webp|gif|tiff?|bmp)(?:[?#].*)?$", re.IGNORECASE)
_MAX_PHOTOS = 200  # a record naming more is not a newspaper article's


def read_photos(record: dict[str, Any]) -> list[Photo]:
    """The photos a record names, in order, each once: items are file names or objects with
    src/url/path…, caption/desc/alt… and credit/author/摄影…; parallel lists such as
    `images_desc` give captions. A value of any other shape gives no photo (and no error):
    what a caption says is kept as long as the item carries one."""
    keys = {str(k).strip().lower(): v for k, v in record.items()}
    found: list[Photo] = []
    for group in (PHOTO_KEYS, COVER_KEYS):
        for key in group:
            found += _photo_items(keys.get(key.lower()))
        if found:
            break
    captions = _texts(next((keys[k] for k in PHOTO_CAPTIONS if k in keys and k not in PHOTO_KEYS), None))
    credits = _texts(next((keys[k] for k in PHOTO_CREDITS if k in keys), None))
    for photo, caption in zip(found, captions, strict=False):
        photo.caption = photo.caption or caption
    for photo, credit in zip(found, credits, strict=False):
        photo.credit = photo.credit or credit
    unique: dict[object, Photo] = {}
    for index, photo in enumerate(found[:_MAX_PHOTOS]):
        first = unique.setdefault(photo.src or index, photo)  # the same file named twice (image and images) is one photo
        first.caption, first.credit = first.caption or photo.caption, first.credit or photo.credit
    return [p for p in unique.values() if p.src or p.caption or p.credit]


def sidecar_photo_text(record: dict[str, Any]) -> tuple[str, str]:
    """The caption and credit a sidecar record gives its article's one photo (``{"caption": …, "credit": …}``)."""
    keys = {str(k).strip().lower(): v for k, v in unwrap(record).items()}
    caption = next((t for k in SIDECAR_CAPTION if (t := _text(keys.get(k)))), "")
    credit = next((t for k in SIDECAR_CREDIT if (t := _text(keys.get(k)))), "")
    return caption, credit


def _photo_items(value: Any, depth: int = 0) -> list[Photo]:
    if value is None or isinstance(value, bool) or depth > 2:
        return []
    if isinstance(value, str):
        text = value.strip()
        if text.startswith(("[", "{")):  # a JSON list in a CSV cell
            try:
                return _photo_items(json.loads(text), depth + 1)
            except (ValueError, RecursionError):
                pass
        pieces = [p for p in _PHOTO_LIST_SPLIT.split(text) if p]
        if len(pieces) == 1 and "," in text and all(_IMAGE_NAME.search(p.strip()) for p in text.split(",")):
            pieces = [p.strip() for p in text.split(",")]
        return [Photo(src=p) for p in pieces]
    if isinstance(value, (int, float)):
        return [Photo(src=str(value))]
    if isinstance(value, dict):
        return [_photo_object(value)]
    if isinstance(value, list):
        return [photo for item in value[: _MAX_PHOTOS * 2] for photo in _photo_items(item, depth + 1)]
    return []


def _photo_object(item: dict[Any, Any]) -> Photo:
    keys = {str(k).strip().lower(): v for k, v in item.items()}
    src = next((keys[k] for k in PHOTO_SRC if keys.get(k) not in (None, "", [])), None)
    if isinstance(src, dict):  # {"image": {"url": …}}
        src = next((src.get(k) for k in PHOTO_SRC if isinstance(src.get(k), str)), None)
    caption = next((t for k in PHOTO_CAPTION if (t := _text(keys.get(k)))), "")
    credit = next((t for k in PHOTO_CREDIT if (t := _author(keys.get(k)))), "")
    text = (
        src.strip() if isinstance(src, str) else str(src) if isinstance(src, (int, float)) and not isinstance(src, bool) else ""
    )
    return Photo(src=text, caption=caption, credit=credit)


def _texts(value: Any) -> list[str]:
    """A parallel list of captions or credits (a list, or one text for one photo)."""
    if isinstance(value, list):
        return [_text(v) or "" for v in value]
    return [t] if (t := _text(value)) else []


_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_BLOCK_END = re.compile(
    r"<\s*/\s*(?:p|div|h[1-6]|li|tr|section)\s*>|<\s*(?:p|div|h[1-6]|li|tr|section)(?:\s[^>]*)?>", re.IGNORECASE
)
_TAG = re.compile(r"<[^<>]{1,400}>")
_INVISIBLE_HTML = re.compile(
    r"<\s*(script|style|noscript|template)\b[^>]*>.*?<\s*/\s*\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL
)
_CELL_END = re.compile(r"<\s*/\s*t[dh]\s*>", re.IGNORECASE)


def html_to_text(value: str, break_as: str = " ") -> str:
    """Strip HTML a crawler left in a field: <br> becomes `break_as`, block tags newlines."""
    if "<" not in value:
        return value
    value = _INVISIBLE_HTML.sub("", value)
    value = _CELL_END.sub(" ", value)
    value = _BREAK.sub(break_as, value)
    value = _BLOCK_END.sub("\n", value)
    value = _TAG.sub("", value)
    return html.unescape(value) if "&" in value else value
