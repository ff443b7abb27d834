"""The e-paper dump form: masthead lines, headline, byline, paragraphs, and a Founder ENP trailer.

The trailer is what tag stripping left of ``<!--enpproperty <date>…</date>…/enpproperty-->``.
Empty tags vanish, so it is parsed by token shape, never by position; an unstripped
comment (with its tags) is read tag by tag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...article import Article, Paper, Span
from ...errors import FormatError, InputError
from ..assemble import Found, build_article
from ..bylines import looks_like_name, parse_byline
from ..chars import match_key
from ..document import Document
from ..facts import facts_from_url, is_paper_name, parse_date, parse_page_label
from ..lines import check_line_lengths, header_and_body, nothing_left, paragraphs, split_text, take_meta_lines
from ..normalize import clean_line, fold

_TAG = re.compile(r"<(?P<key>[a-zA-Z][\w-]{0,40})>(?P<value>.*?)</(?P=key)>", re.DOTALL)
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?$")
_URL = re.compile(r"^(?:\S*/)?(?:c\d+|content_\d+|[\w.-]+)\.s?html?$", re.IGNORECASE)
_NUMBER = re.compile(r"^\d+$")
_PAGE = re.compile(r"^[A-Z]\d{1,3}$")
_HAN = r"[\u4e00-\u9fff]"  # compiled by `re` on first use (an ENP trailer): a Han class costs 1 ms to compile
_MARK = re.compile(r"<!--|-->|/?enpproperty|&nbsp;?", re.IGNORECASE)
_TAG_KEYS = {
    "date": "date",
    "founder-date": "date",
    "author": "author",
    "founder-author": "author",
    "title": "title",
    "founder-title": "title",
    "subtitle": "subtitle",
    "introtitle": "kicker",
    "founder-papername": "paper",
    "sourcename": "paper",
    "nodename": "node",
    "url": "url",
    "id": "id",
    "articleid": "id",
    "founder-pagenum": "page",
    "keyword": "keyword",
    "founder-keyword": "keyword",
}


@dataclass
class Trailer:
    """Facts recovered from an ENP trailer."""

    text: str
    date: str | None = None
    paper: str | None = None
    url: str | None = None
    id: str | None = None
    title: str | None = None
    page: str | None = None
    author: str | None = None
    kicker: str | None = None  # only a tagged trailer says which text is which
    subtitle: str | None = None
    texts: list[str] = field(default_factory=list)  # other text tokens: kicker, subtitle, keywords

    def mentions(self, line: str) -> bool:
        """True when a headline line also stands in the trailer (as 引题 or 副题)."""
        key = fold(line)
        return bool(key) and key in fold("".join(self.texts))


def parse_trailer(text: str) -> Trailer:
    """Read a trailer, tagged or tag-stripped."""
    trailer = Trailer(text=text.strip())
    tags = {m.group("key").lower(): m.group("value").strip() for m in _TAG.finditer(text)}
    if tags:
        return _from_tags(trailer, tags)
    tokens = clean_line(_MARK.sub(" ", text)).split()
    url_at = next((i for i, t in enumerate(tokens) if _URL.match(t) and not _NUMBER.match(t)), None)
    date_at = next((i for i, t in enumerate(tokens) if _DATE.match(t)), None)
    if date_at is not None:
        trailer.date = tokens[date_at]
    web_family = date_at is not None and date_at > 0 and bool(_NUMBER.match(tokens[0]))  # articleid first
    if url_at is not None:
        trailer.url = tokens[url_at]
        after = tokens[url_at + 1 :]
        while after and _NUMBER.match(after[0]):
            after = after[1:]
        if web_family:  # url, sourcename, abstract: the title sits before, among the texts
            if after and _is_paper(after[0]):
                trailer.paper = after[0]
            trailer.texts.extend(t for t in after[1:] if re.search(_HAN, t))
        else:
            trailer.title = " ".join(after) or None
        before = tokens[url_at - 1] if url_at > 0 else ""
        if trailer.paper is None and (_is_paper(before) or (not web_family and _in_nodename_slot(tokens, url_at))):
            trailer.paper = before
    middle = tokens[(date_at + 1 if date_at is not None else 0) : url_at if url_at is not None else len(tokens)]
    for token in middle:
        if _TIME.match(token) or _NUMBER.match(token) or token == trailer.paper:
            continue
        if _PAGE.match(token) and trailer.page is None:
            trailer.page = token
        elif re.search(_HAN, token):
            trailer.texts.append(token)
    if trailer.paper is None:
        trailer.paper = next((t for t in trailer.texts if _is_paper(t)), None)
    trailer.texts = [t for t in trailer.texts if t != trailer.paper]
    trailer.author = "、".join(t for t in trailer.texts if _is_author(t)) or None
    return trailer


_NODENAME = r"[\u4e00-\u9fff]{2,12}"


def _in_nodename_slot(tokens: list[str], url_at: int) -> bool:
    """The Chinese token between the node id and the url: ``<nodeid>… <nodename> <url>``, which
    the Founder ENP trailer fills with the paper's name, whatever the name ends in."""
    return url_at >= 2 and bool(_NUMBER.match(tokens[url_at - 2])) and bool(re.fullmatch(_NODENAME, tokens[url_at - 1]))


def _is_paper(token: str) -> bool:
    """A paper's name, traditional forms (日報, 晚報) included."""
    return is_paper_name(match_key(token))


def _is_author(token: str) -> bool:
    parsed = parse_byline(token)
    return parsed is not None and (not parsed.bare or all(looks_like_name(p.name) for p in parsed.people))


def _from_tags(trailer: Trailer, tags: dict[str, str]) -> Trailer:
    values = {name: tags[key] for key, name in _TAG_KEYS.items() if tags.get(key)}
    trailer.date = values.get("date")
    node = values.get("node")
    trailer.paper = values.get("paper") or (node if node and _is_paper(node) else None)
    trailer.url = values.get("url")
    trailer.id = values.get("id")
    trailer.title = re.sub(r"<[^>]+>", "", values.get("title", "")) or None
    trailer.page = values.get("page")
    trailer.author = values.get("author")
    trailer.kicker = values.get("kicker")
    trailer.subtitle = values.get("subtitle")
    trailer.texts = [v for k, v in values.items() if k in ("kicker", "subtitle")]
    return trailer


TRAILER_WINDOW = 25  # lines: how far from the end a trailer (and a footer after it) may sit


def find_trailer(lines: list[str]) -> tuple[int, int] | None:
    """(first, end) line indexes of the trailer near the end of the file, if there is one.

    The trailer may span lines (``<!--enpproperty`` … ``/enpproperty-->``) and a footer
    (责任编辑, copyright) may follow it; those lines stay article text.
    """
    low = max(0, len(lines) - TRAILER_WINDOW)
    last = next((i for i in range(len(lines) - 1, low - 1, -1) if _opens_or_closes(lines[i])), None)
    if last is None:
        return None
    first = last
    for k in range(last, max(-1, last - TRAILER_WINDOW), -1):
        if "<!--" in lines[k] or lines[k].lstrip().startswith("-->"):
            first = k
            break
    return first, last + 1


def _opens_or_closes(line: str) -> bool:
    return "enpproperty" in line.lower() or line.lstrip().startswith("-->")


def trailer_paper(trailer: Trailer) -> tuple[Paper, str | None]:
    """Paper facts and the article id a trailer gives."""
    paper, url_id = facts_from_url(trailer.url)
    if trailer.paper:
        paper.name = trailer.paper
    if trailer.date:
        paper.date = parse_date(trailer.date)
    if trailer.page:
        label = parse_page_label(f"{trailer.page}版")
        if label:
            paper.page = label[0]
    return paper, trailer.id or url_id


class EnpReader:
    name = "enp"
    aliases: tuple[str, ...] = ("founder", "dump", "seed")
    extensions: tuple[str, ...] = (".txt",)
    description = "e-paper article dump with masthead lines and a Founder ENP trailer (the seed form)"

    def sniff(self, doc: Document) -> float:
        tail = "\n".join(doc.lines[-TRAILER_WINDOW:]).lower()
        if "enpproperty" in tail:
            return 0.95
        head = "\n".join(doc.lines[:8])
        if re.search(r"国内统一刊号|CN\s*\d{2}\s*-\s*\d{4}", head):
            return 0.8
        return 0.0

    def read(self, doc: Document) -> list[Article | InputError]:
        check_line_lengths(doc)
        bounds = find_trailer(doc.lines)
        end = bounds[0] if bounds else len(doc.lines)
        trailer = parse_trailer("\n".join(doc.lines[bounds[0] : bounds[1]])) if bounds else None
        parts = split_text(doc, 0, end, use_front_matter=False)
        footer = paragraphs(list(enumerate(doc.lines[bounds[1] :], bounds[1] + 1))) if bounds else []
        if not parts.paras:
            what = "only an ENP trailer, no article text" if trailer and not parts.furniture else nothing_left(parts)
            raise FormatError(what, file=doc.name, line=bounds[0] + 1 if bounds else None)
        paper, article_id = trailer_paper(trailer) if trailer else (Paper(), None)
        parts.paper.fill_from(paper)
        if trailer:
            parts.furniture.append(trailer.text)
        header, body = header_and_body(parts, trailer.title if trailer else None, trailer.mentions if trailer else None)
        body, meta_author = take_meta_lines(parts, body)
        if trailer and header.headline:
            header.headline.kicker = header.headline.kicker or trailer.kicker
            header.headline.subtitle = header.headline.subtitle or trailer.subtitle
        found = Found(
            header=header,
            body=body,
            paper=parts.paper,
            id=article_id,
            url=trailer.url if trailer else None,
            author=(trailer.author if trailer else None) or meta_author,
            furniture=parts.furniture,
            lines=Span(1, len(doc.lines)),
        )
        found.body.extend(footer)
        return [build_article(doc, self.name, found)]
