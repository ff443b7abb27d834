"""Character classes for Chinese text: what counts as Han, CJK punctuation, Latin or digit."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK_RANGES = HAN_RANGES + "\u3000-\u303f\u3040-\u30ff\u3100-\u312f\ufe30-\ufe4f\uff00-\uffef"

HAN = re.compile(f"[{HAN_RANGES}]")
CJK = re.compile(f"[{CJK_RANGES}]")

# Marks shared by Chinese and Western text: they take the side of their neighbours.
AMBIGUOUS = frozenset("“”‘’…—·•")

# Marks that end a sentence or clause in Chinese; a line ending in one is not a heading.
SENTENCE_END = frozenset("。！？!?…；;：:，,、")
CLOSERS = frozenset("”’」』）)》〉】〕")

# Decoration printed before bylines and leads; it carries no text.
DECORATION = frozenset("□■●◆◇○◎▲△▼▽★☆•▪▫")


def is_symbol_bullet(ch: str) -> bool:
    """A symbol that opens a list item (● ■ ◆ ★), as opposed to a number such as （一） or 1."""
    return unicodedata.category(ch) in ("So", "Sm")


SPACES = " \t\x85\u2028\u2029\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


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


def is_variation_selector(ch: str) -> bool:
    """VS1–16 and VS17–256 (ideographic variation sequences): they belong to the character
    before them, so rules looking at neighbours look through them."""
    return "\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef"


def ends_sentence(text: str) -> bool:
    """True when text ends with a mark that closes a sentence or clause (after closing quotes)."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        stripped = stripped[:-1]
        if stripped and stripped[-1] in SENTENCE_END:
            return True
    return bool(stripped) and stripped[-1] in SENTENCE_END


# Traditional forms of the characters that byline, dateline and structure rules look for
# (role words, agencies, common surnames, note and caption words). Rules match on
# `text.translate(T2S)`; the text itself is never changed. One character maps to one, so
# positions found in the key are positions in the text.
_TRADITIONAL = (
    "記報訊員習評論編輯責攝導華據電專約見駐體網臺視聞發圖單來譯轉載詳製設計對審劃統籌監數資時間權國內號續覺頭題書長實際為"
    "張陳楊黃趙吳孫馬羅鄭謝許韓馮鄧蕭葉蘇呂盧鍾鐘譚陸賈韋鄒閆龍賀顧龔萬錢嚴湯溫龐顏聶魯嶽歐關蘭紀畢塗駱藍鮑饒閔鄔邊師欒"
    "榮鞏遲鄺樂鬱儲勞諶藺樓滿厲區闞強帥樸練豐衛閻婁竇費簡車項連蘆麥喬莊劉蔣闕寧賴齊農應繆雲黨宮蓋談"
    "稱讀說話問答齡歲週匯總會議參與們個這條級層領導傳雙後聯結"
)
_SIMPLIFIED = (
    "记报讯员习评论编辑责摄导华据电专约见驻体网台视闻发图单来译转载详制设计对审划统筹监数资时间权国内号续觉头题书长实际为"
    "张陈杨黄赵吴孙马罗郑谢许韩冯邓萧叶苏吕卢钟钟谭陆贾韦邹闫龙贺顾龚万钱严汤温庞颜聂鲁岳欧关兰纪毕涂骆蓝鲍饶闵邬边师栾"
    "荣巩迟邝乐郁储劳谌蔺楼满厉区阚强帅朴练丰卫阎娄窦费简车项连芦麦乔庄刘蒋阙宁赖齐农应缪云党宫盖谈"
    "称读说话问答龄岁周汇总会议参与们个这条级层领导传双后联结"
)
T2S = str.maketrans(_TRADITIONAL, _SIMPLIFIED)
_ANY_TRADITIONAL = re.compile(f"[{_TRADITIONAL}]")


def match_key(text: str) -> str:
    """The text with traditional characters the rules care about in simplified form (same length)."""
    return text.translate(T2S) if _ANY_TRADITIONAL.search(text) else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(value: Any) -> tuple[Any, list[str]]:
    """A parsed value (JSON, YAML) with each lone surrogate in its strings (keys too) made U+FFFD, and the
    surrogates found. `\\ud800` escapes decode to one: half a character, which no file
    or font can hold; the replacement character keeps the place of the loss visible."""
    found: list[str] = []

    def clean(item: Any) -> Any:
        if isinstance(item, str):
            if _SURROGATE.search(item) is None:
                return item
            found.extend(_SURROGATE.findall(item))
            return _SURROGATE.sub("\ufffd", item)
        if isinstance(item, dict):
            return {clean(key): clean(part) for key, part in item.items()}
        if isinstance(item, list):
            return [clean(part) for part in item]
        return item

    return clean(value), found


def surrogates_said(found: list[str]) -> str:
    """The warning's words for the lone surrogates `without_surrogates` replaced."""
    said = ", ".join(f"\\u{ord(ch):04x}" for ch in dict.fromkeys(found))
    return f"lone surrogate {said} (half of a broken \\u escape) replaced by U+FFFD: the character is lost"
