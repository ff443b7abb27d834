"""Find the headline block (引题 / 主题 / 副题) and the byline at the top of an article."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from ..article import Byline, Headline, Span
from .bylines import names_look_real, parse_byline, parse_dateline
from .chars import DECORATION, HAN, ends_sentence
from .facts import parse_meta_line
from .normalize import fold, normalize_text, squeeze_spaces
from .structure import Para

_COLUMN = re.compile(r"^(?P<title>.*?\S)\s*[（(](?P<column>[^（）()]{2,24})[）)]$")
HEADLINE_MAX = 80


def split_column(title: str) -> tuple[str, str | None]:
    """``守住初心 办好小事（街谈）`` → (``守住初心 办好小事``, ``街谈``)."""
    m = _COLUMN.match(title)
    if not m or len(HAN.findall(m.group("title"))) < 2 or m.group("column").strip().isdigit():
        return title, None
    return m.group("title"), m.group("column").strip()


def make_headline(kicker: str | None, title: str, subtitle: str | None, lines: Span | None = None) -> Headline:
    """A Headline from raw lines: spaces squeezed, punctuation restored, column tag split off."""
    title_text, column = split_column(normalize_text(title))
    return Headline(
        title=title_text,
        kicker=normalize_text(kicker) or None if kicker else None,
        subtitle=normalize_text(subtitle) or None if subtitle else None,
        column=column,
        lines=lines,
    )


def assign_two(first: str, second: str) -> tuple[str | None, str, str | None]:
    """Two headline lines: 主题+副题 when the second opens with —— or the first has a column tag."""
    if second.lstrip().startswith("——") or (split_column(first)[1] and not split_column(second)[1]):
        return None, first, second
    return first, second, None


def assign_lines(lines: list[str]) -> tuple[str | None, str, str | None]:
    """Roles of 1–3 headline lines in print order (引题 above, 副题 below)."""
    if len(lines) == 1:
        return None, lines[0], None
    if len(lines) == 2:
        return assign_two(*lines)
    return " ".join(lines[:-2]), lines[-2], lines[-1]


@dataclass
class Header:
    headline: Headline | None
    bylines: list[Byline] = field(default_factory=list)
    consumed: int = 0  # how many paras the header used


def header_byline(para: Para) -> Byline | None:
    """A byline line under a headline: role words, or names behind □/■, or plain names."""
    parsed = parse_byline(para.text)
    if parsed is None:
        return None
    if parsed.bare and not (parsed.photo or names_look_real(parsed)):
        return None
    return Byline(squeeze_spaces(normalize_text(para.text).lstrip("".join(DECORATION) + " ")), parsed.people, "head", para.lines)


def _headline_like(para: Para, first: bool) -> bool:
    """Could this line be part of a headline? The first line may even look like a name."""
    text = normalize_text(para.text)
    if not text or len(text) > HEADLINE_MAX or not HAN.search(text):
        return False
    if text.endswith(("。", "；", "：", "，", "、")) or parse_dateline(text) or parse_meta_line(text):
        return False
    byline = header_byline(para)
    if byline is None:
        return True
    parsed = parse_byline(para.text)
    decorated = para.text.lstrip()[:1] in DECORATION
    return first and parsed is not None and parsed.bare and not decorated and not parsed.photo


def read_header(paras: list[Para], title_hint: str | None = None, mentioned: Callable[[str], bool] | None = None) -> Header:
    """Split the leading paragraphs into a headline and bylines.

    `title_hint` is the title a trailer or record names; `mentioned` says whether a line
    also appears in the trailer (so it is a headline line, not body).
    """
    candidates: list[Para] = []
    for para in paras[:5]:
        if not _headline_like(para, first=not candidates):
            break
        candidates.append(para)
    if not candidates:
        return Header(None)
    title_index = _find_title(candidates, title_hint)
    if title_index is not None:
        used = title_index + 1
        while used < len(candidates) and used - title_index <= 2:
            nxt = candidates[used]
            after = paras[used + 1] if used + 1 < len(paras) else None
            is_sub = normalize_text(nxt.text).startswith("——") or (mentioned and mentioned(nxt.text))
            last_before_text = used == len(candidates) - 1 and _body_text(after)
            if is_sub or last_before_text or (after is not None and header_byline(after) is not None):
                used += 1
            else:
                break
        lines = [p.text for p in candidates[:used]]
        kicker = " ".join(squeeze_spaces(x) for x in lines[:title_index]) or None
        subtitle = " ".join(squeeze_spaces(x) for x in lines[title_index + 1 :]) or None
        roles = (kicker, lines[title_index], subtitle)
    else:
        used = _header_length(candidates, paras)
        roles = assign_lines([p.text for p in candidates[:used]])
    bylines: list[Byline] = []
    while used + len(bylines) < len(paras) and len(bylines) < 2:
        byline = header_byline(paras[used + len(bylines)])
        if byline is None:
            break
        bylines.append(byline)
    span = Span(candidates[0].lines.first, candidates[used - 1].lines.last)
    return Header(make_headline(*roles, lines=span), bylines, used + len(bylines))


def _find_title(candidates: list[Para], hint: str | None) -> int | None:
    if not hint:
        return None
    want = fold(hint)
    for i, para in enumerate(candidates):
        if fold(para.text) == want:
            return i
    return None


def _header_length(candidates: list[Para], paras: list[Para]) -> int:
    """How many leading candidate lines form the headline when nothing names the title.

    Up to three short lines stacked above a byline, or above the first real paragraph,
    are the headline block (引题, 主题, 副题 need no byline under them).
    """
    for n in (3, 2):
        if len(candidates) >= n and n < len(paras) and header_byline(paras[n]) is not None:
            return n
    if len(candidates) in (2, 3) and len(candidates) < len(paras) and _body_text(paras[len(candidates)]):
        return len(candidates)
    if len(candidates) >= 2 and normalize_text(candidates[1].text).startswith("——"):
        return 2
    return 1


def _body_text(para: Para | None) -> bool:
    """A paragraph of running text: long, ending a sentence, or opening with a dateline."""
    if para is None:
        return False
    text = normalize_text(para.text)
    return parse_dateline(text) is not None or (len(text) >= 12 and ends_sentence(text))
