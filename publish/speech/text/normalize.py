"""Text normalisation for speech (TN): the words a listener should hear for newspaper text.

spoken(text)          digits, dates, times, units and codes read out in Chinese; marks made pauses
speakable(text)       whether anything in the text would make a sound (never send silence to an engine)
read_number(digits)   cardinal reading: 12345 → 一万二千三百四十五, -8.5 → 负八点五
read_digits(digits)   one digit at a time: 0851 → 零八五一 (phone=True: 零八五幺)
unified(text)         characters as read: compatibility ideographs → unified, variation selectors dropped

Choices (deterministic, as newspapers are read aloud):
* 两 vs 二: 两 only where speech says it: at the head before 千/万/亿 (2000 → 两千, 2万 → 两万,
  2亿 → 两亿, 22000 → 两万二千) and for a lone 2 before a measure word (2个 → 两个, 2km → 两公里,
  2:00 → 两点); otherwise 二 (200 → 二百, 12000 → 一万二千, 第2个 → 第二个, 2月 → 二月).
* Latin letters with digits: digits leading a token are a number (5G → 五G, 128GB → 一百二十八GB);
  after letters, up to two digits are a number (G20 → G二十, F1 → F一, N95 → N九十五) and three
  or more are a model/flight code read digit by digit (C919 → C九一九, MU5735 → MU五七三五). Two
  digits after two or more capitals (or with capitals after them) are a code's figures (IP57 →
  IP五七, KN95 → KN九五, ARJ21 → ARJ二一), unless round or after a counting word (TOP10, COP28,
  CCTV13); video lines too (1080P → 一零八零P).
* Web addresses are read as the site's name: the host as printed, without scheme, port and path
  (https://www.gov.cn/zhengce/… → www点gov点cn); e-mail addresses whole (@ → 艾特, _ → 下划线).
* Slashes: numbers after 第 or before a word numbering things in order are a list (第2/3季度 →
  第二、三季度, 2/3号线 → 二、三号线); other a/b are fractions (3/4 → 四分之三); after a Chinese
  word a slash is 每 before a unit (元/吨 → 元每吨), else a pause (poem lines: 是/家人 → 是，家人).
* List items: a marker at the head of a line (Markdown `- `, `* `, `+ `, a bullet glued to its
  item) is silent; an item number (`1. `, `2）`, `：1.加强…`) is read 一、.
* Units: ℃ → 摄氏度 (below zero 零下), % → 百分之…, km → 公里, kg → 千克, m² → 平方米,
  kWh → 千瓦时, h → 小时 …; GB/MB/TB stay Latin (read by the voice). Ranges read 到 (至 if printed).
* Codes (CN/ISSN/邮发代号/邮编, phones after 电话/热线/拨打…, 11-digit mobiles, 0xxx-xxxxxxx,
  400-xxx-xxxx, room numbers, 80后/95后, 4·23-style day names, bare runs of 7+ digits unless a
  counted word follows) are read digit by digit with 零; phones say 1 as 幺; a hyphen inside a code
  is 杠 (hyphenated digits that are not an ascending range are codes: 5-3-201, 65-24, 1234-5678).
  Years before 年 (1500–2199, not a duration like 近2000年) use 〇: 2022年 → 二〇二二年.
* A dash or tilde between two quantities is a range (到; 至/到 stay as printed): 3-5 → 三到五,
  10-20% → 百分之十到百分之二十, -3~12℃ → 零下三到十二摄氏度; a leading minus is 负 (零下 for
  temperatures), a leading plus 正; a:b that is no clock time is a ratio (3:1 → 三比一).

Droppable marks (never text): decorative symbols (□ ■ ● ◆ ★ ※ → >>> …), quotes “” ‘’ 「」 《》
(adjacent titles 》《 become 、), tildes not between numbers, zero-width characters, parentheses
inside phone numbers, a hyphen joining a Latin word to a number, Markdown's * and # (emphasis,
topics), variation selectors. Brackets （）()〔〕[]【】, vertical
bars, dashes —— and ellipses …… become the pause ，; line breaks too. Every other character is kept
or read out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = ["read_digits", "read_number", "speakable", "spoken", "unified"]

_DIGIT = "零一二三四五六七八九"
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_PAUSES = "，、；：。！？"
_STRENGTH = {"、": 0, "，": 1, "：": 2, "；": 3, "。": 4, "！": 4, "？": 4}


# --- characters as they are read ----------------------------------------------------------------

_VARIATION_SELECTORS = re.compile("[\u180b-\u180d\u180f\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def unified(text: str) -> str:
    """The characters a reader says: a CJK compatibility ideograph (U+F900–U+FAFF, U+2F800–U+2FA1F)
    as its unified character (its canonical decomposition: 﨟 → 隷), variation selectors (VS1–VS16,
    the ideographic VS17–VS256, Mongolian FVS) dropped, so 葛󠄀 reads as 葛. Print keeps both as
    they are; speech and pinyin read through this. Safe on a single character (a selector → "")."""
    if not _VARIATION_SELECTORS.search(text) and not re.search("[\uf900-\ufaff\U0002f800-\U0002fa1f]", text):
        return text
    out = []
    for ch in _VARIATION_SELECTORS.sub("", text):
        code = ord(ch)
        out.append(unicodedata.normalize("NFC", ch) if 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F else ch)
    return "".join(out)


# --- numbers -------------------------------------------------------------------------------------


def read_digits(digits: str, phone: bool = False) -> str:
    """Digits one at a time (0851 → 零八五一); phone=True says 1 as 幺. A hyphen is 杠; other
    characters are kept as they are."""
    out = []
    for ch in digits:
        if "0" <= ch <= "9":
            out.append("幺" if phone and ch == "1" else _DIGIT[int(ch)])
        elif ch in "-－":
            out.append("杠")
        else:
            out.append(ch)
    return "".join(out)


def _four(n: int) -> str:
    """1..9999 with 千百十 and one 零 for each run of inner zeros (1005 → 一千零五)."""
    out: list[str] = []
    zero = False
    for unit, d in zip(("千", "百", "十", ""), f"{n:04d}", strict=True):
        if d == "0":
            zero = bool(out)
            continue
        if zero:
            out.append("零")
            zero = False
        out.append(_DIGIT[int(d)] + unit)
    return "".join(out) or "零"


def _cardinal_inner(n: int) -> str:
    if n >= 10**8:
        high, low = divmod(n, 10**8)
        tail = ("零" if low < 10**7 else "") + _cardinal_inner(low) if low else ""
        return _cardinal_inner(high) + "亿" + tail
    if n >= 10**4:
        high, low = divmod(n, 10**4)
        tail = ("零" if low < 1000 else "") + _four(low) if low else ""
        return _four(high) + "万" + tail
    return _four(n)


def _cardinal(n: int) -> str:
    """A whole number read as newspapers read it: 10 → 十, 2000 → 两千 (see the module notes)."""
    if n >= 10**16:
        return read_digits(str(n))
    text = _cardinal_inner(n)
    if text.startswith("一十"):
        text = text[1:]
    if text[:2] in ("二千", "二万", "二亿"):
        text = "两" + text[1:]
    return text


def read_number(digits: str) -> str:
    """Cardinal reading of an ASCII number with optional sign, thousands commas and decimals:
    12345 → 一万二千三百四十五, 1,005 → 一千零五, -3 → 负三, 8.50 → 八点五零."""
    s = digits.strip().replace(",", "")
    sign = ""
    if s[:1] in ("-", "−"):
        sign, s = "负", s[1:]
    elif s[:1] == "+":
        sign, s = "正", s[1:]
    whole, dot, frac = s.partition(".")
    if not re.fullmatch(r"[0-9]*", whole) or not re.fullmatch(r"[0-9]*", frac) or not (whole or frac):
        raise ValueError(f"not a number: {digits!r}")
    reading = _cardinal(int(whole)) if whole else "零"
    if dot:
        reading += "点" + read_digits(frac)
    return sign + reading


def _year(digits: str) -> str:
    """A year digit by digit with 〇: 2022 → 二〇二二."""
    return read_digits(digits).replace("零", "〇")


# 两 rather than 二 before these (a lone 2 only); 年 not in 年级/年代, 点 only as a time/score.
_LIANG = re.compile(
    r"(?:小时|分钟|公里|公斤|公顷|平方|立方|千米|千克|千瓦|美元|欧元|英镑|港元|日元|年(?!级|代)"
    r"|[个名人位次天岁块元种家件只条本张台辆架座所项支场部批户头匹颗棵株朵篇首册套间栋幢亩斤吨米克升倍份双对艘枚门周秒点万亿千])"
)
# A bare digit string of 7+ digits is a quantity (not an ID) when one of these follows.
_COUNTED = re.compile(r"[多余来万亿元个名人位次天年岁块种家件只条本张台辆所项场部批户头亩斤吨米克升倍份股字册]")
_NOT_LIANG_BEFORE = ("第", "初", "周", "星期", "礼拜", "每周")


def _liang(reading: str, before: str, after: str) -> str:
    """二 → 两 for a lone 2 counting something (2个, 2万, 2公里), not for ordinals (第2个)."""
    if reading == "二" and not before.endswith(_NOT_LIANG_BEFORE) and _LIANG.match(after):
        return "两"
    return reading


def _plain(num: str, before: str = "", after: str = "") -> str:
    """A number as printed: leading-zero or long bare digit strings are codes, the rest cardinal."""
    whole = num.split(".")[0]
    if "," not in num and "." not in num and len(num) > 1 and num[0] == "0":
        return read_digits(num)
    if "," not in num and "." not in num and len(whole) >= 7 and not _COUNTED.match(after) and not before.endswith("第"):
        return read_digits(num)
    return _liang(read_number(num), before, after)


# --- units and quantities ------------------------------------------------------------------------

_PREFIX_UNITS = {"%": "百分之", "％": "百分之", "‰": "千分之", "‱": "万分之"}
_COLD = ("℃", "°C", "°F", "°")
_SYMBOL_UNITS = {
    "℃": "摄氏度", "°C": "摄氏度", "°F": "华氏度", "°": "度", "′": "分", "″": "秒",
    "㎡": "平方米", "㎥": "立方米", "㎞": "公里", "㎏": "千克", "㎝": "厘米", "㎜": "毫米", "㏊": "公顷", "㎢": "平方公里",
}  # fmt: skip
_LATIN_UNITS = {
    "km/h": "公里每小时", "m/s": "米每秒",
    "km²": "平方公里", "km2": "平方公里", "m²": "平方米", "m2": "平方米", "cm²": "平方厘米", "m³": "立方米", "m3": "立方米",
    "kW·h": "千瓦时", "kWh": "千瓦时", "kW": "千瓦", "MW": "兆瓦", "GW": "吉瓦", "kV": "千伏", "mAh": "毫安时",
    "GHz": "吉赫", "MHz": "兆赫", "kHz": "千赫", "Hz": "赫兹", "dB": "分贝",
    "km": "公里", "cm": "厘米", "mm": "毫米", "nm": "纳米", "μm": "微米", "µm": "微米",
    "kg": "千克", "mg": "毫克", "mL": "毫升", "ml": "毫升", "ha": "公顷", "min": "分钟", "ms": "毫秒",
}  # fmt: skip
_LETTER_UNITS = {"m": "米", "g": "克", "t": "吨", "L": "升", "h": "小时", "s": "秒"}
_CURRENCY = {"US$": "美元", "HK$": "港元", "$": "美元", "¥": "元", "￥": "元", "€": "欧元", "£": "英镑"}


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?"
_TIME = r"(?:[01]?[0-9]|2[0-4])[:：][0-5][0-9](?:[:：][0-5][0-9])?(?![0-9])"


def _quantity(tag: str) -> str:
    """Regex for one quantity (groups suffixed by tag): sign, currency, time or number+magnitude+unit."""
    symbols = _alt([*_PREFIX_UNITS, *_SYMBOL_UNITS])
    latin = _alt(_LATIN_UNITS)
    letters = _alt(_LETTER_UNITS)
    return (
        rf"(?P<sign{tag}>[-+])?(?P<cur{tag}>{_alt(_CURRENCY)})?"
        rf"(?:(?P<time{tag}>{_TIME})|(?P<num{tag}>{_NUM})(?P<mag{tag}>万亿|千万|百万|亿|万)?"
        rf"(?:[ ]?(?P<unit{tag}>{symbols}|(?:{latin})(?![A-Za-z0-9]))|(?P<letter{tag}>{letters})(?![A-Za-z0-9]))?)"
    )


def _say_time(text: str) -> str:
    """9:30 → 九点三十分, 9:05 → 九点零五分, 11:00 → 十一点, 2:00 → 两点."""
    h, m, *rest = (int(p) for p in re.split("[:：]", text))
    s = rest[0] if rest else 0
    out = ("两" if h == 2 else _cardinal(h)) + "点"
    if m or s:
        out += ("零" if m < 10 and m else "") + _cardinal(m) + "分"
    if s:
        out += ("零" if s < 10 else "") + _cardinal(s) + "秒"
    return out


def _unit_of(m: re.Match, tag: str) -> str | None:
    return m[f"unit{tag}"] or m[f"letter{tag}"]


def _tail(m: re.Match, tag: str, unit: str | None = None) -> str:
    """The words after a quantity's number: magnitude, unit word, currency (3.5万千瓦, 5美元)."""
    unit = _unit_of(m, tag) or unit or ""
    word = _SYMBOL_UNITS.get(unit) or _LATIN_UNITS.get(unit) or _LETTER_UNITS.get(unit, "")
    return (m[f"mag{tag}"] or "") + word + _CURRENCY.get(m[f"cur{tag}"] or "", "")


def _say_quantity(m: re.Match, tag: str, after: str, unit: str | None = None, cold: bool = False) -> str:
    """Speak one quantity matched by _quantity(tag); `after` is the text that follows it (for 两),
    `unit` and `cold` carry a range's shared percentage or below-zero unit."""
    before = m.string[max(0, m.start() - 2) : m.start()]
    sign = m[f"sign{tag}"] or ""
    if m[f"time{tag}"]:
        return ("负" if sign == "-" else "") + _say_time(m[f"time{tag}"])
    unit = _unit_of(m, tag) or unit
    tail = _tail(m, tag, unit)
    num = m[f"num{tag}"]
    if unit in _PREFIX_UNITS:
        reading = read_number(num)
    elif tail:
        reading = _liang(read_number(num), before, tail)
    else:
        reading = _plain(num, before, after)
    if sign == "-":
        sign = "零下" if unit in _COLD or cold else "负"
    elif sign == "+":
        sign = "正"
    return sign + _PREFIX_UNITS.get(unit or "", "") + reading + tail


_Q = _quantity("")
_QA, _QB = _quantity("a"), _quantity("b")
_RANGE = re.compile(rf"(?<![A-Za-z0-9.])(?:{_QA})[ ]?(?P<sep>[-~～〜—–―至到])[ ]?(?:{_QB})(?![0-9])")
_SINGLE = re.compile(rf"(?<![A-Za-z0-9.])(?<![A-Za-z0-9]-)(?:{_Q})(?![0-9])")


def _range(m: re.Match) -> str:
    """A—B between quantities → A到B (至/到 kept as printed); B's percentage applies to A too,
    B's temperature unit makes a negative A 零下, and A counts what B counts (2-3名 → 两到三名)."""
    after = m.string[m.end() : m.end() + 3]
    unit_a, unit_b = _unit_of(m, "a"), _unit_of(m, "b")
    if not unit_b and not m["timeb"] and re.match("[A-Za-z]", after):
        return m[0]
    shared = unit_b if unit_b in _PREFIX_UNITS and not unit_a else None
    left = _say_quantity(m, "a", _tail(m, "b") or after, shared, cold=unit_b in _COLD)
    right = _say_quantity(m, "b", after)
    return left + (m["sep"] if m["sep"] in "至到" else "到") + right


def _single(m: re.Match) -> str:
    after = m.string[m.end() : m.end() + 3]
    if not (m["unit"] or m["letter"] or m["time"]) and re.match("[A-Za-z]", after):
        return m[0]
    return _say_quantity(m, "", after)


# --- passes --------------------------------------------------------------------------------------

Pass = tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]

_SPACES = re.compile(r"[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_HYPHENS = str.maketrans({"−": "-", "‐": "-", "‑": "-", "﹣": "-", "－": "-"})


# A list item's marker at the head of a line (Markdown's `- `, `* `, `+ `, `1. `, `2)`; a bullet
# glued to its text, as a reader joins marker and item: `-每周二`, but not the sign of `-3℃`), or a
# number with a full stop after a pause mark inside a paragraph (`：1.加强…；2.完善…`).
_ITEM = re.compile(
    r"(?m)^[ \t\u3000]*(?:[-*+•‣◦▪]+(?:[ \t\u3000]+|(?=[^\s0-9.,+\-*]))"
    r"|(?P<number>[0-9]{1,2})[.．)）](?:[ \t\u3000]+(?=\S)|(?=[^\s0-9.．])))"
    r"|(?<=[：:；;。，！？])[ \t\u3000]*(?P<inline>[0-9]{1,2})[.．](?=[\u4e00-\u9fff])"
)


def _item(m: re.Match) -> str:
    """A bullet is silent; an item number is read as a list number: 1. → 一、."""
    number = m["number"] or m["inline"]
    return _cardinal(int(number)) + "、" if number else ""


def _prepare(text: str) -> str:
    """Characters as read (`unified`); fold widths of digits/letters/symbols; list markers as read
    (`_ITEM`); unify spaces, hyphens and line breaks (→ pause)."""
    out = []
    for ch in unified(text):
        o = ord(ch)
        if 0xFF10 <= o <= 0xFF19 or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A or ch in "％＋＝＜＞＄＠＃＆＊":
            out.append(chr(o - 0xFEE0))
        elif ch in _LINE_BREAKS:
            out.append("\n")
        elif unicodedata.category(ch) in ("Cc", "Cf") and ch != "\t":
            continue  # control and format characters (zero-width spaces, soft hyphens) are silent
        elif not ("0" <= ch <= "9") and unicodedata.category(ch) == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    text = _ITEM.sub(_item, "".join(out).translate(_HYPHENS))
    text = re.sub(" {2,}", " ", _SPACES.sub(" ", text))
    text = re.sub(r" *\n[ \n]*", "，", text)
    text = re.sub(r"(?<=[0-9])．(?=[0-9])", ".", text)
    text = re.sub(r"(?<=[0-9])／(?=[0-9])", "/", text)
    return re.sub(rf"(?<=[0-9]) +(?=[{_HAN}])|(?<=[{_HAN}]) +(?=[0-9])", "", text)


def _digits_of(m: re.Match) -> str:
    return read_digits(m[0])


_PHONE = r"(?:[(（][0-9]{3,4}[)）] ?)?[0-9](?:[0-9]|[- ](?=[0-9]))*[0-9]"
# a further number of the list has 3 digits or more and no Han character after it: in 热线12345，
# 24小时有人接听 the clause after the comma is a quantity, not a second number
_PHONES = rf"{_PHONE}(?: *[、/,，或] *(?=[(（]|[0-9][- ]?[0-9][- ]?[0-9]){_PHONE}(?![0-9\u4e00-\u9fff]))*"


def _phone_list(m: re.Match) -> str:
    """Labelled phone numbers: each digit (1 as 幺), hyphens 杠, parentheses and spaces dropped."""
    numbers = m["numbers"]
    if sum(ch.isdigit() for ch in numbers) < 3:
        return m[0]
    said = read_digits(re.sub(r"[()（） ]", "", numbers), phone=True).replace("/", "、").replace(",", "，")
    return m["label"] + m["colon"] + said


def _generic_code(m: re.Match) -> str:
    """Hyphenated digits that are not an ascending range (leading zeros, descending, 3+ parts,
    two long non-round parts: 5-3-201, 0851-866, 65-24, 1234-5678) are codes read with 杠."""
    parts = m[0].split("-")
    a, b = parts[0], parts[1]
    code = (
        len(parts) > 2
        or any(len(p) > 1 and p[0] == "0" for p in parts)
        or any(len(p) >= 5 for p in parts)
        or int(a) >= int(b)
        or (len(a) >= 4 and len(b) >= 4 and not (a.endswith("00") and b.endswith("00")))
    )
    return read_digits(m[0]) if code else m[0]


_YEAR_HINT = ("近", "约", "长达", "历时", "超过", "逾", "达", "共", "整整", "仅", "才", "上")


def _year_word(m: re.Match) -> str:
    """A 4-digit year before 年, unless it is a duration: after 近/约/长达…, or a round number
    before 年历史/年来/年之久 (1500年历史, but 1949年以来 is a year)."""
    before = m.string[max(0, m.start() - 2) : m.start()]
    after = m.string[m.end() : m.end() + 5]
    if before.endswith(_YEAR_HINT) or (m[0].endswith("0") and re.match(r" ?年(?:的?历史|来|之久|左右|以上)", after)):
        return m[0]
    return _year(m[0])


def _iso_date(m: re.Match) -> str:
    y, mo, d = m["y"], int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return m[0]
    return f"{_year(y)}年{_cardinal(mo)}月{_cardinal(d)}日"


def _year_range(m: re.Match) -> str:
    a, b = m["a"], m["b"]
    if int(b) <= int(a):
        return m[0]
    return _year(a) + (m["sep"] if m["sep"] in "至到" else "到") + _year(b)


def _season(m: re.Match) -> str:
    a, b = m["a"], m["b"]
    if int(b) != (int(a) + 1) % 100:
        return m[0]
    return _year(a) + "到" + _year(a[:2] + b)


# Words that number things in order (a 2/3 before them lists numbers, not a fraction): 2/3号线.
_ORDINAL_NOUN = re.compile(r"季度|号线|号楼|号馆|号院|号|日|月|版|届|期|赛季|年级|单元|层|楼|栋|幢|站台|车道|排")
_ENUMERATION = re.compile(r"(?<![0-9A-Za-z./])(?P<first>第?)(?P<numbers>[0-9]{1,3}(?:/[0-9]{1,3})+)(?![0-9/]|\.[0-9])")


def _enumeration(m: re.Match) -> str:
    """Numbers joined by a slash after 第 or before a word that numbers things in order are a
    list, read with 、 (第2/3季度 → 第二、三季度, 1/2号线 → 一、二号线); others are fractions (3/4的人)."""
    if not m["first"] and not _ORDINAL_NOUN.match(m.string, m.end()):
        return m[0]
    return m["first"] + "、".join(_plain(n, "第") for n in m["numbers"].split("/"))


def _circled(m: re.Match) -> str:
    """①②, ⑴, ㈠, ❶, Ⅱ: a number; a circled one at the head of an item (start or after a pause)
    with text after is a list marker 一、 (图① stays 图一)."""
    value = int(unicodedata.numeric(m[0]))
    start = m.start() == 0 or m.string[m.start() - 1] in _PAUSES + " 。"
    nxt = m.string[m.end() : m.end() + 1]
    roman = "\u2160" <= m[0] <= "\u217f"  # Ⅱ期 is a number, not a list marker
    listed = start and not roman and nxt and nxt not in _PAUSES + "）)」”’》" and not _is_circled(nxt) and not nxt.isspace()
    return _cardinal(value) + ("、" if listed else "")


_CIRCLED_RANGES = (
    (0x2460, 0x2473), (0x2474, 0x2487), (0x2488, 0x249B), (0x24EA, 0x24EA), (0x24EB, 0x24F4), (0x24F5, 0x24FE),
    (0x2776, 0x2793), (0x3220, 0x3229), (0x3251, 0x325F), (0x3280, 0x3289), (0x32B1, 0x32BF), (0x2160, 0x216B), (0x2170, 0x217B),
)  # fmt: skip
_CIRCLED = "[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in _CIRCLED_RANGES) + "]"


def _is_circled(ch: str) -> bool:
    return bool(re.fullmatch(_CIRCLED, ch))


# Letters before a number that counts or ranks (TOP10, COP28, CCTV13): the number is a cardinal.
_COUNTING = {"TOP", "NO", "COP", "CCTV", "VOL", "EP", "LV", "LEVEL", "PAGE"}
_RESOLUTION = re.compile(r"[0-9]{3,4}[Ppi]")  # video lines: 1080P → 一零八零P


def _is_code(letters: str, digits: str, after: str) -> bool:
    """Two digits after capitals are figures of a code, read one by one (IP57 → IP五七, KN95,
    AK47, ARJ21), when the capitals are two or more, or capitals follow the digits (X12S); not a
    round number (G20, TOP10 → 二十) nor after a counting word (COP28, CCTV13)."""
    if not (letters.isascii() and letters.isupper()) or digits.endswith("0") or letters in _COUNTING:
        return False
    return len(letters) >= 2 or (bool(after) and after.isascii() and after.isupper())


def _mixed(m: re.Match) -> str:
    """A Latin/digit token: leading digits are a number (5G), ≤2 digits after letters a number
    (G20) unless they are a code's figures (IP57, `_is_code`), 3+ a code (C919); '.' before digits
    is 点, '-' between digits 杠, '-' letter-digit dropped."""
    token = m[0]
    if not re.search("[0-9]", token):
        return token
    pieces = re.findall(r"[0-9]+(?:\.[0-9]+)?|[A-Za-z]+|[^A-Za-z0-9]", token)
    out = []
    for i, piece in enumerate(pieces):
        prev = pieces[i - 1] if i else ""
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if piece[0].isdigit():
            whole, _, frac = piece.partition(".")
            if i == 0 and _RESOLUTION.fullmatch(token):
                out.append(read_digits(whole))
            elif i == 0 or (len(whole) <= 2 and not _is_code(prev, whole, nxt)):
                out.append(_plain(piece))
            else:
                out.append(read_digits(whole) + ("点" + read_digits(frac) if frac else ""))
        elif piece == "." and nxt[:1].isdigit():
            out.append("点")
        elif piece == "-" and nxt[:1].isdigit():
            out.append("杠" if prev[:1].isdigit() else "")
        elif piece == "-" and prev[:1].isdigit():
            out.append("")
        else:
            out.append(piece)
    return "".join(out)


_DECORATIVE = "□■●◆◇★☆▲△▼▽※→←↑↓◎◉▪▫◼◻•♦✓✔✦✧❖➤►▶◀◁▷♪♫▌█▍▎◥◤◢◣☐☑☒❤♥♡◯⊙〓"
_NUMERALISH = "零〇一二两三四五六七八九十百千万亿点分秒时日月年号度"
_NUMERAL_START = "零〇一二两三四五六七八九十百千负"


def _collapse(m: re.Match) -> str:
    """A run of pause marks → its strongest mark (the first of equals)."""
    marks = [ch for ch in m[0] if ch in _STRENGTH]
    return max(marks, key=lambda ch: _STRENGTH[ch])


def _ascii_punct(m: re.Match) -> str:
    """A run of ASCII ,;:!?. beside Chinese text takes the Chinese forms (Latin text keeps its own);
    a full stop becomes 。 only after Chinese or a converted mark, and not before a Latin word."""
    text = m.string
    left = text[: m.start()].rstrip(" ")[-1:]
    right = text[m.end() :].lstrip(" ")[:1]
    cjk = f"[{_HAN}{_PAUSES}]"
    if not ((left and re.match(cjk, left)) or (right and re.match(cjk, right))):
        return m[0]
    out = []
    chinese_before = bool(left and re.match(cjk, left))
    for i, ch in enumerate(m[0]):
        latin_after = not m[0][i + 1 :].strip(" ") and re.match("[A-Za-z0-9]", right)
        if ch == " ":
            out.append(ch)
        elif ch == "." and not (chinese_before and not latin_after):
            out.append(ch)
            chinese_before = False
        else:
            out.append({",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。"}[ch])
            chinese_before = True
    return "".join(out)


def _between_latin(m: re.Match) -> bool:
    s, i = m.string, m.start()
    return 0 < i < len(s) - 1 and s[i - 1].isascii() and s[i - 1].isalpha() and s[i + 1].isascii() and s[i + 1].isalpha()


def _ratio(m: re.Match) -> str:
    """3:1 → 三比一; a valid clock time (9:30) is left for the quantity pass."""
    if re.fullmatch(_TIME, f"{m[1]}:{m[2]}") and len(m[2]) == 2:
        return m[0]
    return _plain(m[1]) + "比" + _plain(m[2])


_YEAR = r"(?:1[5-9]|20|21)[0-9]{2}"  # a year a date can have: 1500–2199

# Top-level domains a bare address (people.cn, news.sina.com.cn/…) is recognised by.
_TLDS = (
    "com|cn|net|org|gov|edu|int|mil|info|biz|name|pro|mobi|asia|io|ai|app|dev|top|xyz|site|online|tech|shop|store"
    "|vip|club|wang|ink|live|news|tv|cc|co|me|hk|mo|tw|jp|kr|sg|uk|us|eu|de|fr|ru|it|es|nl|ca|au|in|br|ch|se"
)
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"  # at most 63 characters (as DNS): linear time on long words
_PATH = r"(?:[/?#][A-Za-z0-9./_%?=&#:+~!$,;*@()-]*[A-Za-z0-9/_=])?/?"
_WEB = re.compile(
    rf"(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{{1,64}}@(?:{_LABEL}\.)+[A-Za-z]{{2,}})(?![A-Za-z0-9-])"
    rf"|(?:(?<![A-Za-z.@/-])(?:https?|ftp)://(?:[A-Za-z0-9._~%-]+@)?|(?<![A-Za-z.@/-])(?=www\.))"
    rf"(?P<host>(?:{_LABEL}\.)*{_LABEL})(?![A-Za-z0-9]|-[A-Za-z0-9])(?::[0-9]+)?{_PATH}(?!:/)"
    rf"|(?<![A-Za-z.@/-])(?P<bare>(?:{_LABEL}\.)+(?:{_TLDS}))(?![A-Za-z]|-[A-Za-z]){_PATH}(?!:/)",
    re.IGNORECASE,
)


def _say_address(address: str) -> str:
    """A host or e-mail address as it is said: dots 点, hyphens 杠, underscores 下划线, @ 艾特,
    digits one by one (www.12306.cn → www点一二三零六点cn)."""
    words = {".": "点", "-": "杠", "_": "下划线", "@": "艾特"}
    return "".join(words.get(ch) or (_DIGIT[int(ch)] if ch.isdigit() else ch) for ch in address)


def _web_address(m: re.Match) -> str:
    """A web address is read as the site's name (its host as printed, without http:// and the
    path: a listener can type the site, not a path); an e-mail address whole."""
    return _say_address(m["email"] or m["host"] or m["bare"])


# Codes: web addresses, labelled codes, then shapes that are codes wherever they stand.
_CODES: list[Pass] = [
    # web addresses: the site's name (path, query and port are not read); e-mail addresses whole
    (_WEB, _web_address),
    # labelled codes first, then shapes that are codes wherever they stand
    (
        re.compile(r"(?<![A-Za-z])CN ?([0-9]{2}) ?- ?([0-9]{4})"),
        lambda m: "CN" + read_digits(m[1]) + "杠" + read_digits(m[2]),
    ),
    (re.compile(r"(?<![A-Za-z])ISSN[ :：]*[0-9]{4}-[0-9]{3}[0-9Xx]"), lambda m: read_digits(m[0])),
    (re.compile(r"(?:邮发|发行)?代号[ :：]*[0-9]+(?:-[0-9]+)*"), lambda m: read_digits(m[0])),
    (re.compile(r"(?:邮编|邮政编码)[ :：]*[0-9]{6}(?![0-9])"), lambda m: read_digits(m[0])),
    (
        re.compile(
            rf"(?P<label>电话|热线|传真|手机|座机|专线|拨打|致电|拨通|呼叫|(?<![A-Za-z])(?:Tel|TEL|tel|Fax|FAX))(?P<colon>(?:号码?)?[ :：]*)(?P<numbers>{_PHONES})(?![0-9])(?!{_COUNTED.pattern})"
        ),
        _phone_list,
    ),
    # a service number named after it: 12345政务服务热线, 96123服务专线
    (
        re.compile(
            rf"(?<![0-9A-Za-z.\-])[0-9]{{3,8}}(?!{_COUNTED.pattern})(?=[\u4e00-\u9fff]{{0,6}}?(?:热线|专线|服务电话|客服电话|短号))"
        ),
        lambda m: read_digits(m[0], True),
    ),
    (re.compile(r"(?<![0-9A-Za-z.])1[3-9][0-9](?:[0-9]{8}|-[0-9]{4}-[0-9]{4})(?![0-9])"), lambda m: read_digits(m[0], True)),
    (
        re.compile(
            r"(?<![0-9A-Za-z.\-])(?:0[1-9][0-9]{1,2}-[0-9]{7,8}|[(（]0[1-9][0-9]{1,2}[)）][0-9]{7,8}|[48]00-?[0-9]{3}-?[0-9]{4})(?![0-9])"
        ),
        lambda m: read_digits(re.sub(r"[(（]", "", re.sub("[)）]", "-", m[0])), True),
    ),
]

# Marks: decorations, list numbers, quotes, brackets, long dashes and ellipses.
_MARKS: list[Pass] = [
    (re.compile(r"》\s*《|”\s*“|」\s*「|』\s*『"), "、"),
    (re.compile(r"[“”‘’「」『』《》〈〉\"〝〞«»‹›]"), lambda m: "'" if m[0] == "’" and _between_latin(m) else ""),
    (
        re.compile(rf"[{_DECORATIVE}]|>{{2,}}|<{{2,}}|\*{{2,}}|(?<![〇零一二三四五六七八九○])○(?![〇零一二三四五六七八九○])"),
        " ",
    ),
    (re.compile("○"), "〇"),
    # Markdown's emphasis and topic marks are never said: *重点*, #话题# (C# keeps its #; 5*3 is 乘)
    (re.compile(r"(?<![0-9])(?<![0-9] )\*|\*(?! ?[0-9])|(?<![A-Za-z])#"), ""),
    (re.compile(_CIRCLED), _circled),
    (re.compile(r"[(（〔\[［【〖｛{〘)）〕\]］】〗｝}〙|｜]"), "，"),
    (re.compile(r"[—―─━]{2,}|-{2,}|…+|⋯+|\.{3,}|。{2,}"), "，"),
]

# Dates and other number shapes with their own reading.
_DATES: list[Pass] = [
    (
        re.compile(
            rf"(?<![0-9A-Za-z.\-/])(?P<y>{_YEAR})(?P<s>[-./])(?P<m>[0-9]{{1,2}})(?P=s)(?P<d>[0-9]{{1,2}})(?![0-9]|\.[0-9])"
        ),
        _iso_date,
    ),
    (_ENUMERATION, _enumeration),
    (re.compile(rf"(?<![0-9.])(?P<a>{_YEAR}) ?(?P<sep>[-~～〜—–―/至到]) ?(?P<b>{_YEAR})(?![0-9])"), _year_range),
    (re.compile(rf"(?<![0-9.])(?P<a>{_YEAR})[-/](?P<b>[0-9]{{2}})(?=赛季|学年|年度|财年)"), _season),
    (
        re.compile(rf"(?<![0-9A-Za-z.\-])({_YEAR})-(0[1-9]|1[0-2])(?![0-9]|-[0-9])"),
        lambda m: f"{_year(m[1])}年{_cardinal(int(m[2]))}月",
    ),
    (re.compile(rf"(?<![0-9.])(?:{_YEAR})(?= ?年)"), _year_word),
    (re.compile(r"(?<![0-9.])(?:0?[1-9]|1[0-2])(?=月)"), lambda m: _cardinal(int(m[0]))),
    (re.compile(r"(?<![0-9.])(?:0?[1-9]|[12][0-9]|3[01])(?=[日号])"), lambda m: _cardinal(int(m[0]))),
    (re.compile(r"(?<![0-9.])0([0-9])(?=[时点])"), lambda m: _DIGIT[int(m[1])]),
    (re.compile(r"(?<![0-9.])([0-9]{1,2})[·・‧∙]([0-9]{1,2})(?![0-9])"), lambda m: read_digits(m[1] + m[2])),
    (re.compile(r"(?<![0-9.])[0-9]{2}(?=后(?![面来续期果边方者]))"), _digits_of),
    (re.compile(r"(?<![0-9A-Za-z.\-:：])[0-9]+(?:-[0-9]+)+(?![0-9A-Za-z%‰℃°:：]|\.[0-9])"), _generic_code),
    (re.compile(r"(?<![0-9.])[0-9]{3,4}(?=室|房间|号房)"), _digits_of),
    (re.compile(r"(?<![A-Za-z])(?:No|NO|no)\. ?(?=[0-9])"), "第"),
]

# Ratios, fractions and arithmetic between numbers; then quantities: ranges first, then single
# ones, then Latin/digit tokens, then any number left.
_NUMBERS: list[Pass] = [
    (re.compile(r"(?<![0-9.])([0-9]+(?:\.[0-9]+)?) ?[:：∶] ?([0-9]+(?:\.[0-9]+)?)(?![0-9])"), _ratio),
    (re.compile(r"(?<![0-9./])([0-9]+)/([0-9]+)(?![0-9/]|\.[0-9])"), lambda m: _plain(m[2]) + "分之" + _plain(m[1])),
    (
        re.compile(r"(?<=[0-9%]) ?([+×*÷=><]) ?(?=[0-9])"),
        lambda m: {"+": "加", "×": "乘", "*": "乘", "÷": "除以", "=": "等于", ">": "大于", "<": "小于"}[m[1]],
    ),
    # quantities: ranges first, then single ones, then Latin/digit tokens, then anything left
    (_RANGE, _range),
    (_SINGLE, _single),
    (re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*"), _mixed),
    (re.compile(r"[0-9]+(?:\.[0-9]+)?"), lambda m: _plain(m[0])),
]

_PER_UNIT = (
    "(?:吨|公斤|千克|斤|克|平方米|平方公里|立方米|公里|千米|米|亩|公顷|小时|分钟|秒|天|日|月|年|周|人次|人|次|件|辆|台|套"
    "|个|份|瓶|盒|桶|升|千瓦时|度|户|张|株|头|只|箱|袋|间|晚|床|kg|km|m(?![A-Za-z]))"
)

# Cleanup: dashes between spoken numbers are 到, other single dashes pauses, tildes dropped; marks
# and spaces tidied.
_CLEANUP: list[Pass] = [
    (re.compile(r"\*"), ""),  # a star no number took as 乘
    (re.compile(r"(?<![A-Za-z])#"), ""),  # a # that no longer follows a letter (0°C# → 零摄氏度): said as the second pass says it
    (re.compile(rf"(?<=[{_NUMERALISH}])(?: *[-~～〜—–―])+ *(?=[{_NUMERAL_START}])"), "到"),
    (re.compile(r"[—–―]"), "，"),
    (re.compile(r"[~～〜]"), " "),
    (re.compile(r"[,;:!?.](?: *[,;:!?.])*"), _ascii_punct),
    # a slash after Chinese: per before a unit (元/吨 → 元每吨), else a pause (poem lines, 是/否)
    (re.compile(rf"(?<=[{_HAN}]) */ *(?={_PER_UNIT})"), "每"),
    (re.compile(rf"(?<=[{_HAN}{_PAUSES}]) */ *(?=[{_HAN}])"), "，"),
    (re.compile(rf"(?<=[{_HAN}]) *[+＋] *(?=[{_HAN}])"), "加"),  # 网格员+热线
    # a space between two runs of Han characters separates phrases (headlines: 学精神 抓落实):
    # a pause; a space next to a single character is padding (王  伟) and goes
    (re.compile(rf"(?<=[{_HAN}][{_HAN}]) +(?=[{_HAN}][{_HAN}])"), "，"),
    (re.compile(rf" +(?=[{_HAN}{_PAUSES}·])|(?<=[{_HAN}{_PAUSES}·]) +"), ""),
    (re.compile(r" {2,}"), " "),
    (re.compile(rf"[{_PAUSES}](?: *[{_PAUSES}])+"), _collapse),
    # pauses at the ends; a bullet left at the head once marks around it went (digits are words by now)
    (re.compile(rf"^[ {_PAUSES}+\-]+|[ ，、]+$"), ""),
]

# The ordered passes: codes, marks, dates, ranges, quantities, Latin tokens, then cleanup.
# Web addresses once more after the marks: dropping quotes can join an address (www.“x”); and
# after the numbers: a unit said in words can free an address it touched (0°Cwww.km).
_PASSES: list[Pass] = [*_CODES, *_MARKS, (_WEB, _web_address), *_DATES, *_NUMBERS, (_WEB, _web_address), *_CLEANUP]


def spoken(text: str) -> str:
    """The text a listener should hear: numbers, dates, times, units and codes in Chinese words;
    Chinese and Latin text kept; decorative marks and quotes dropped; brackets and dashes → pauses."""
    text = _prepare(text)
    for pattern, repl in _PASSES:
        text = pattern.sub(repl, text)
    return text


def speakable(text: str) -> bool:
    """False when nothing in the text would make a sound (only marks, punctuation, whitespace)."""
    return any(ch.isalnum() for ch in spoken(text))
