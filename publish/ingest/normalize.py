"""Repair text that upstream tools damaged: NFKC-flattened punctuation, entities, odd spaces.

`restore_punctuation` puts full-width ，：；！？（）“” back wherever the neighbours are Chinese
and leaves ASCII alone in Latin and numeric contexts (``3,000``, ``9:30``, ``CN52-0017``,
URLs). `clean_line` removes ``&nbsp;`` residue, zero-width characters and exotic spaces.
"""

from __future__ import annotations

import html
import re
import unicodedata

from .chars import CJK, DECORATION, SPACES, char_class, is_variation_selector

FULL_WIDTH = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
_TARGETS = re.compile(r'[,;:!?()"]|\.{3}')
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,9});")
_INVISIBLE = re.compile(
    "[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]"
)  # bidi embeddings, overrides, isolates: copy residue that can turn a title round
_SPACE_RUN = re.compile(f"[{SPACES}]+")
_SPACE_CHARS = re.compile(f"[{SPACES}]")


def clean_line(text: str) -> str:
    """Unescape entities, drop invisible characters, turn NBSP/U+3000/tabs into plain spaces.

    Runs of spaces are kept (bylines use their width); the ends are not stripped.
    """
    if "&" in text:
        text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = _INVISIBLE.sub("", text)
    return _SPACE_CHARS.sub(" ", text)


def squeeze_spaces(text: str) -> str:
    """Collapse runs of any kind of space to one ASCII space and strip the ends."""
    return _SPACE_RUN.sub(" ", text).strip()


def strip_decoration(text: str) -> str:
    """Remove leading decorative marks (□ ■ ● …) and the spaces after them."""
    i = 0
    while i < len(text) and (text[i] in DECORATION or text[i] in SPACES):
        i += 1
    return text[i:]


def join_wrapped(lines: list[str]) -> str:
    """Join soft-wrapped lines: no space between Chinese, one space between Latin words."""
    out: list[str] = []
    for line in lines:
        if out and out[-1][-1:].isascii() and out[-1][-1:].isalnum() and line[:1].isascii() and line[:1].isalnum():
            out.append(" ")
        out.append(line)
    return "".join(out)


def normalize_text(text: str) -> str:
    """clean_line + squeeze_spaces + restore_punctuation, and no spaces hugging Chinese marks:
    the form body text is stored in."""
    text = restore_punctuation(squeeze_spaces(clean_line(text)))
    return _HUGGING.sub("", text) if " " in text else text


_HUGGING = re.compile(r" +(?=[，。、；：？！）》」』】〕”’…])|(?<=[（《「『【〔“‘，。、；：？！]) +")


def restore_punctuation(text: str) -> str:
    """Turn ASCII , ; : ! ? ( ) " ... back into Chinese marks where their context is Chinese.

    Marks are settled left to right against already-restored neighbours, and passes repeat
    until nothing changes, so the result is a fixed point (restoring twice changes nothing).
    """
    for _ in range(6):
        if not CJK.search(text) or not _TARGETS.search(text):
            return text
        restored = _restore_pass(text)
        if restored == text:
            return text
        text = restored
    return text


def _restore_pass(text: str) -> str:
    if "..." in text:
        text = _ELLIPSIS.sub(_restore_ellipsis, text)
    chars = list(text)
    _restore_brackets(chars)
    _restore_quotes(chars)
    for i, ch in enumerate(chars):
        if ch in _SIMPLE and _wants_full_width(chars, i):
            chars[i] = FULL_WIDTH[ch]
    return "".join(chars)


_SIMPLE = frozenset(",;:!?")
_ELLIPSIS = re.compile(r"\.{3,}")


def _restore_ellipsis(match: re.Match[str]) -> str:
    text, (start, end) = match.string, match.span()
    around = (_neighbour(text, start - 1, -1), _neighbour(text, end, +1))
    if "H" in around or "Q" in around:
        run = match.group(0)
        return "…" * (len(run) // 3) + "." * (len(run) % 3)
    return match.group(0)


def _wants_full_width(chars: list[str], i: int) -> bool:
    mark = chars[i]
    left = _neighbour(chars, i - 1, -1)
    right = _neighbour(chars, i + 1, +1)
    if mark in ",;":
        if left == "D" and right == "D":
            if mark == "," and _is_digit_group(chars, i):
                return False
            return _number_in_chinese(chars, i)
        if "H" in (left, right):
            return True
        if "Q" in (left, right) and "H" in (_beyond_marks(chars, i - 1, -1), _beyond_marks(chars, i + 1, +1)):
            return True  # 质变”,2021年: a shared mark with Chinese behind it
        return (left == "Q" and right not in "AD") or (right == "Q" and left not in "AD")
    if mark == ":":
        if left == "D" and right == "D":
            return False  # 9:30, 3:1
        if i + 1 < len(chars) and chars[i + 1] == "/":
            return False  # a URL scheme
        return left in "HQ" or right == "H"
    # ! and ?
    if left in "HQ":
        return True
    return left == "D" and right in "HOS" and _number_in_chinese(chars, i)


def _neighbour(text: str | list[str], i: int, step: int) -> str:
    """Class of the nearest non-space character from index i in direction step ('O' at the ends);
    variation selectors are looked through (an ideographic variation sequence is its base)."""
    while 0 <= i < len(text):
        if is_variation_selector(text[i]):
            i += step
            continue
        cls = char_class(text[i])
        if cls != "S":
            return cls
        i += step
    return "O"


def _beyond_marks(text: str | list[str], i: int, step: int) -> str:
    """Class of the nearest character from index i that is neither a space nor a shared mark."""
    while 0 <= i < len(text):
        if is_variation_selector(text[i]):
            i += step
            continue
        cls = char_class(text[i])
        if cls not in "SQ":
            return cls
        i += step
    return "O"


def _is_digit_group(chars: list[str], comma: int) -> bool:
    """True for the comma in 3,000 or 12,345,678: exactly three digits follow, then no digit."""
    after = "".join(chars[comma + 1 : comma + 5])
    if len(after) < 3 or not (after[:3].isdigit() and after[:3].isascii()):
        return False
    if len(after) > 3 and after[3].isdigit():
        return False
    j = comma - 1
    while j >= 0 and chars[j].isdigit():
        j -= 1
    return 1 <= comma - 1 - j <= 3


def _number_in_chinese(chars: list[str], i: int) -> bool:
    """True when the number run around position i sits next to Chinese text on either side."""
    j = i - 1
    while j >= 0 and (chars[j].isdigit() or chars[j] in ".,"):
        j -= 1
    k = i + 1
    while k < len(chars) and (chars[k].isdigit() or chars[k] in ".,"):
        k += 1
    return _neighbour(chars, j, -1) == "H" or _neighbour(chars, k, +1) == "H"


def _restore_brackets(chars: list[str]) -> None:
    """Pair ( ) on the line; a pair becomes （ ） when its content or its outside is Chinese."""
    stack: list[int] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")":
            if stack:
                pairs.append((stack.pop(), i))
            else:
                _restore_lone_bracket(chars, i)
    for i in stack:
        _restore_lone_bracket(chars, i)
    text = "".join(chars)
    for open_i, close_i in pairs:
        inner = text[open_i + 1 : close_i]
        inner_chinese = bool(CJK.search(inner))
        glued_to_latin = open_i > 0 and char_class(text[open_i - 1]) in "AD"
        if not inner_chinese and glued_to_latin:
            continue  # f(x), MU5735(2)
        outside = (_neighbour(text, open_i - 1, -1), _neighbour(text, close_i + 1, +1))
        if inner_chinese or "H" in outside or "Q" in outside:
            chars[open_i], chars[close_i] = "（", "）"


def _restore_lone_bracket(chars: list[str], i: int) -> None:
    if "H" in (_neighbour(chars, i - 1, -1), _neighbour(chars, i + 1, +1)):
        chars[i] = FULL_WIDTH[chars[i]]


def _restore_quotes(chars: list[str]) -> None:
    """Pair ASCII double quotes in order; a pair around or beside Chinese becomes “ ”."""
    positions = [i for i, ch in enumerate(chars) if ch == '"']
    text = "".join(chars)
    for open_i, close_i in zip(positions[::2], positions[1::2], strict=False):  # an odd last quote stays
        inner = text[open_i + 1 : close_i]
        outside = (_neighbour(text, open_i - 1, -1), _neighbour(text, close_i + 1, +1))
        if CJK.search(inner) or "H" in outside:
            chars[open_i], chars[close_i] = "“", "”"


def fold(text: str) -> str:
    """A comparison key: NFKC, ASCII quotes, no spaces or decoration. Equal folds = same text."""
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_FOLD_TABLE)
    return "".join(ch for ch in text if not ch.isspace() and ch not in DECORATION)


_FOLD_TABLE = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "…": "..."})
