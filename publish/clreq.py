"""The clreq rules (W3C, Requirements for Chinese Text Layout) that both the line composer and
the preflight check hold: punctuation classes, line-edge prohibitions and spacing limits.
Kept free of font and PDF imports, so `publish check` starts without them."""

from __future__ import annotations

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
