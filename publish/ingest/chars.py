"""Character classes for Chinese text: what counts as Han, CJK punctuation, Latin or digit."""

from __future__ import annotations

import re

HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RANGES = HAN_RANGES + "\u3000-\u303f\u3040-\u30ff\u3100-\u312f\ufe30-\ufe4f\uff00-\uffef"

HAN = re.compile(f"[{HAN_RANGES}]")
HAN_RUN = re.compile(f"[{HAN_RANGES}]+")
CJK = re.compile(f"[{CJK_RANGES}]")

# Marks shared by Chinese and Western text: they take the side of their neighbours.
AMBIGUOUS = frozenset("“”‘’…—·•")

# Marks that end a sentence or clause in Chinese; a line ending in one is not a heading.
SENTENCE_END = frozenset("。！？!?…；;：:，,、")
CLOSERS = frozenset("”’」』）)》〉】〕")

# Decoration printed before bylines and leads; it carries no text.
DECORATION = frozenset("□■●◆◇○◎▲△▼▽★☆•▪▫")

SPACES = " \t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


def char_class(ch: str) -> str:
    """H (Han, kana, CJK punctuation), Q (shared marks), D (digit), A (Latin), S (space), O (other)."""
    if not ch:
        return "O"
    if ch in AMBIGUOUS:
        return "Q"
    if CJK.match(ch):
        return "H"
    if ch.isdigit() and ch.isascii():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "A"
    if ch.isspace():
        return "S"
    if ch.isalpha():
        return "A"  # other alphabets (Greek, accented Latin) behave as Latin
    return "O"


def han_count(text: str) -> int:
    return sum(len(m) for m in HAN_RUN.findall(text))


def ends_sentence(text: str) -> bool:
    """True when text ends with a mark that closes a sentence or clause (after closing quotes)."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
        if stripped and stripped[-1] in SENTENCE_END:
            return True
    return bool(stripped) and stripped[-1] in SENTENCE_END
