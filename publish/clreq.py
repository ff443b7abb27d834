"""The clreq rules (W3C, Requirements for Chinese Text Layout) that both the line composer and
the preflight check hold: punctuation classes, line-edge prohibitions and spacing limits.
Kept free of font and PDF imports, so `publish check` starts without them."""

from __future__ import annotations

import re

OPENING = frozenset("“‘（〔［｛〈《「『【〖〘〚")
CLOSING = frozenset("”’）〕］｝〉》」』】〗〙〛")
PAUSES = frozenset("，、；：")  # compressed with brackets (clreq order)
STOPS = frozenset("。？！．")  # compressed last
MIDDLE = frozenset("·・")
DASHES = frozenset("—―")
ELLIPSES = frozenset("…⋯")

# Line-start prohibition, GB level: closing marks, pauses, stops, interpuncts, iteration marks
# and units that follow numbers. Line-end: opening marks (and a solidus).
NO_START_BASIC = CLOSING | PAUSES | STOPS | MIDDLE | frozenset("々〻ゝゞヽヾー℃℉％‰′″")
NO_END_GB = OPENING | frozenset("／")

# Spacing limits, in ems of the body size.
MAX_EXPANSION = 0.25  # between characters of a justified line; more only where the rules leave no choice
HAN_LATIN_MIN, HAN_LATIN_MAX = 1 / 8, 1 / 3  # the Han–Latin gap (¼ em when natural)
WORD_SPACE_MIN, WORD_SPACE_MAX = 0.25, 0.5  # a Western word space

# What the composer sets and the check reads back, besides the rules.
MISSING_MARK = "\u3013"  # 〓 (geta mark): printed for a character no font has
# Unicode's default-ignorable code points (variation selectors, zero-width joiners, bidi
# controls, tags…): the composer leaves them out of the line, never 〓 (reportlab cannot select
# a variant: the base character prints in its standard form), and the check's text comparison
# leaves them out too.
IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


# The Chinese type sizes (号), from 初号 down: the headline ladder the layout keeps and the check
# measures.
HAO_NAMES = (
    "初号",
    "小初",
    "一号",
    "小一",
    "二号",
    "小二",
    "三号",
    "小三",
    "四号",
    "小四",
    "五号",
    "小五",
    "六号",
    "小六",
    "七号",
)
HAO_SIZES = (42.0, 36.0, 26.0, 24.0, 22.0, 18.0, 16.0, 15.0, 14.0, 12.0, 10.5, 9.0, 7.5, 6.5, 5.5)  # pt


def hao_step(size: float) -> int:
    """The index on the 号 ladder (0 is 初号) of the size nearest `size` (a tie: the larger)."""
    return min(range(len(HAO_SIZES)), key=lambda i: (abs(HAO_SIZES[i] - size), i))
