"""Read bylines and datelines: who wrote, reported or photographed an article, and in what role.

Bylines come padded and glued in every way (``本报记者  王伟健``, ``赵  鹏   林  蔚``,
``（记者周文澜 通讯员林小溪）``, ``吴建勋摄影报道``); `parse_byline` returns the people in
one, or None when the text is not a byline at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..article import Dateline, Person, Role
from .chars import DECORATION, HAN_RANGES, match_key
from .normalize import squeeze_spaces, strip_decoration

# The 300 or so most common surnames, single then compound: enough to tell a bare author
# name (``南妮``, ``吴越``) from a short heading (``求助``) when nothing else says which.
SURNAMES_1 = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
    "颉忻郗蒯訾眭阎"
)
SURNAMES_2 = frozenset(
    [
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "令狐",
        "夏侯",
        "长孙",
        "宇文",
        "司徒",
        "端木",
        "西门",
        "独孤",
        "南宫",
        "闻人",
        "澹台",
        "轩辕",
        "呼延",
        "申屠",
        "钟离",
        "百里",
        "东郭",
        "万俟",
        "赫连",
        "太史",
        "公羊",
        "第五",
    ]
)

_AS_SPACE = str.maketrans(dict.fromkeys([*DECORATION, "\u3000"], " "))  # what a byline is padded with
_HAN = f"[{HAN_RANGES}]"
_NAME = re.compile(f"{_HAN}{{2,4}}|{_HAN}{{1,8}}(?:[·•．]{_HAN}{{1,10}}){{1,2}}")  # each Han class costs 0.5 ms to compile
_LATIN_WORD = re.compile(r"[A-Z][A-Za-z'.-]{1,20}")
_LATIN_NAME = re.compile(r"[A-Z][A-Za-z'.-]{1,20}(?: [A-Z][A-Za-z'.-]{1,20}){0,3}")
_ORG = re.compile(r"(?:社|报|網|网|台|站|部|办|中心|综合|整理|编辑部|新闻|报道组|工作室)$")
# What may stand before a role word: agencies, papers, and 首席/特约/全媒体/赴X特派 qualifiers.
_QUALIFIER = (
    r"(?:本报|本刊|本台|本网|据|新华社|中新社|中国新闻社|人民日报|人民网|央视网|央视|"
    r"首席|特约|特派|见习|驻站|全媒体|融媒体|融媒|全媒|视频|"
    + _HAN
    + r"{2,8}?(?:日报|晚报|时报|商报|都市报|报社|新闻网|新闻|电视台|广播电视台)|"
    r"(?:赴|驻)" + _HAN + r"{1,10}?(?:特派)?)"
)
_ROLE_WORDS = "记者|通讯员|实习生|评论员|责任编辑|责编|编辑|撰稿人?|撰文|作者|摄影记者|摄影|摄像"
_ROLE = re.compile(f"(?P<qual>{_QUALIFIER}*)(?P<role>{_ROLE_WORDS})(?:\\s*[：:])?")
_SPLIT = re.compile(r"[、，,；;/／|｜]+")
_PHOTO_SUFFIX = re.compile(r"\s*(?:摄影报道|摄影|摄)\s*$")
_REPORT_SUFFIX = re.compile(r"\s*(?:报道|文\s*[/／]\s*图|图\s*[/／]\s*文)\s*$")
_AGENCY_NOTE = re.compile(r"\s*[（(](?:新华社|中新社|人民视觉|视觉中国|[\u4e00-\u9fff]{2,6}社)发[）)]\s*$")
_TEXT_PHOTO = re.compile(r"^(?:文\s*[/／|｜·、]\s*图|图\s*[/／|｜·、]\s*文|文图|图文|文(?=\s*[：:｜|]|\s))\s*[：:｜|/／]?\s*")
_MARK_SUFFIX = re.compile(r"\s*[/／]\s*(文|图|摄)(?=\s|$)|(?<=\S\S)\s+(文|图)(?=\s|$)")
_ROLE_OF = {
    "记者": Role.REPORTER,
    "摄影记者": Role.PHOTOGRAPHER,
    "摄影": Role.PHOTOGRAPHER,
    "摄像": Role.PHOTOGRAPHER,
    "摄": Role.PHOTOGRAPHER,
    "图": Role.PHOTOGRAPHER,
    "通讯员": Role.CORRESPONDENT,
    "实习生": Role.INTERN,
    "评论员": Role.AUTHOR,
    "撰稿": Role.AUTHOR,
    "撰稿人": Role.AUTHOR,
    "撰文": Role.AUTHOR,
    "作者": Role.AUTHOR,
    "文": Role.AUTHOR,
    "编辑": Role.EDITOR,
    "责编": Role.EDITOR,
    "责任编辑": Role.EDITOR,
}


@dataclass(frozen=True)
class BylineParse:
    """The people a byline names; `bare` when no role word said it was a byline."""

    people: list[Person]
    bare: bool
    photo: bool


def parse_byline(text: str, default_role: Role = Role.AUTHOR, glued_needs_surname: bool = True) -> BylineParse | None:
    """People named by a byline line, or None when the text is not one.

    Every chunk of the text must be a role word or a name: anything else means prose.
    A name glued to its role word (``记者手记``) must start with a common surname unless
    `glued_needs_surname` is off (inside a dateline's brackets, where glued names are usual).
    Rules match a simplified key of the text, so traditional bylines (本報記者) read too.
    """
    if len(text) > 120 or "。" in text:  # bylines are short; paragraphs are not bylines
        return None  # (no rule below takes a 。 away, and no name holds one: half the calls end here)
    raw = text.translate(_AS_SPACE)
    raw = squeeze_spaces(strip_decoration(raw))
    raw = raw[: m.start()] if (m := _AGENCY_NOTE.search(match_key(raw))) else raw
    if not raw or len(raw) > 60 or raw.startswith("——"):
        return None
    photo = False
    key = match_key(raw)
    if (m := _PHOTO_SUFFIX.search(key)) and m.start() > 0:
        raw, photo = raw[: m.start()], True
    elif (m := _REPORT_SUFFIX.search(key)) and m.start() > 0:
        raw = raw[: m.start()]
    if (m := _TEXT_PHOTO.match(match_key(raw))) and 0 < m.end() < len(raw):
        raw = raw[m.end() :]
    chunks = _chunks(raw)
    if chunks is None:
        return None
    if all(role == "评论员" and not names for role, names, _ in chunks):
        return BylineParse([], bare=False, photo=False)  # 本报评论员: a byline that names no one
    people: list[Person] = []
    bare = all(role is None for role, _, _ in chunks)
    for index, (role_word, names_text, glued) in enumerate(chunks):
        names = split_names(names_text)
        if names is None or (not names and (role_word is None or index == len(chunks) - 1)):
            return None
        if names and glued and glued_needs_surname and not looks_like_name(names[0][0]):
            return None
        role = _ROLE_OF.get(role_word, default_role) if role_word else default_role
        if photo and index == len(chunks) - 1:
            role = Role.PHOTOGRAPHER
        people.extend(Person(name, _ROLE_OF[mark] if mark else role) for name, mark in names)
        bare = bare and not any(mark for _, mark in names)
    if not people:
        return None
    return BylineParse(people, bare=bare, photo=photo)


def _chunks(raw: str) -> list[tuple[str | None, str, bool]] | None:
    """Split ``本报记者 甲 乙 通讯员 丙`` into [(记者, 甲 乙, False), (通讯员, 丙, False)].

    The flag says the names follow their role word with no space (``记者周文澜``).
    """
    chunks: list[tuple[str | None, str, bool]] = []
    role: str | None = None
    pos = 0
    for m in _ROLE.finditer(match_key(raw)):
        before = raw[pos : m.start()]
        if before.strip():
            chunks.append((role, before.strip(), role is not None and not before[:1].isspace()))
        elif role is not None:
            return None  # two role words in a row: 记者记者
        role = m.group("role")
        pos = m.end()
    rest = raw[pos:]
    if rest.strip() or role is not None:
        chunks.append((role, rest.strip(), role is not None and bool(rest) and not rest[:1].isspace()))
    return chunks or None


def split_names(text: str) -> list[tuple[str, str | None]] | None:
    """Names in a run like ``焦翔、李锋``, ``赵  鹏   林  蔚`` or ``张三/文 李四/图``, each with the
    role mark written after it (文, 图, 摄) if any; None when something is not a name."""
    marked = _MARK_SUFFIX.sub(lambda m: f" \0{m.group(1) or m.group(2)} ", text)
    names: list[tuple[str, str | None]] = []
    for part in _SPLIT.split(marked):
        spans = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", part)]
        for token in _merge_latin(_merge_padded(spans)):
            if token.startswith("\0"):
                if not names or names[-1][1] is not None:
                    return None
                names[-1] = (names[-1][0], match_key(token[1:]))
                continue
            if not (_NAME.fullmatch(token) or _LATIN_NAME.fullmatch(token)):
                return None
            names.append((token, None))
    return names


def _merge_padded(tokens: list[tuple[str, int, int]]) -> list[str]:
    """Join single characters padded apart (``王  浩``), closest pairs first."""
    items = [(text, start, end, len(text) == 1) for text, start, end in tokens]
    while True:
        pairs = [(items[i + 1][1] - items[i][2], i) for i in range(len(items) - 1) if items[i][3] and items[i + 1][3]]
        if not pairs:
            return [item[0] for item in items]
        _, i = min(pairs)
        a, b = items[i], items[i + 1]
        items[i : i + 2] = [(a[0] + b[0], a[1], b[2], False)]


def _merge_latin(tokens: list[str]) -> list[str]:
    """Join the words of a Western name (``Mary Lee``) into one token."""
    out: list[str] = []
    for token in tokens:
        if out and _LATIN_WORD.fullmatch(token) and _LATIN_NAME.fullmatch(out[-1]):
            out[-1] = f"{out[-1]} {token}"
        else:
            out.append(token)
    return out


def is_organisation(name: str) -> bool:
    """新华社, 青山日报, 本报综合: a source, not a person."""
    return bool(_ORG.search(match_key(name)))


def looks_like_name(text: str) -> bool:
    """A 2–4 character Han name starting with a common surname (``吴越``, ``欧阳文``)."""
    text = match_key(text.strip())
    if not re.fullmatch(f"{_HAN}{{2,4}}", text) or is_organisation(text):
        return False
    if text[:2] in SURNAMES_2:
        return len(text) >= 3
    return text[0] in SURNAMES_1


def is_bare_byline(text: str) -> bool:
    """True for a line that is only names of common form: ``陈亚楠``, ``樊小杰  孔令华``."""
    parsed = parse_byline(text)
    return bool(parsed and parsed.bare and names_look_real(parsed))


def names_look_real(parsed: BylineParse) -> bool:
    """Every name starts with a common surname (what a bare byline needs to be believed)."""
    return all(looks_like_name(p.name) for p in parsed.people)


_DATELINE = re.compile(
    r"^【?(?P<agency>据?(?:本报|新华社|中新社|中国新闻社|人民网|央视网|新民晚报|"
    + _HAN
    + r"{2,6}(?:日报|晚报|时报|商报|都市报|新闻网|网|社|电视台)))"
    r"(?:(?P<kind1>讯|专讯|消息)|(?P<place>"
    + _HAN
    + r"{0,12}?)\s*(?P<date>\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(?P<kind2>专电|电|讯|消息))】?"
    r"(?:\s*[（(](?P<people>[^）)]{1,60})[）)]|\s+(?P<reported>(?:记者|通讯员)[^\s，。：]{2,20}?)报道)?"
)


@dataclass(frozen=True)
class DatelineParse:
    dateline: Dateline
    people: list[Person]
    people_text: str | None


def parse_dateline(paragraph: str) -> DatelineParse | None:
    """The 电头 at the start of a paragraph (``本报北京11月20日电（记者 韩雪）``), if any."""
    m = _DATELINE.match(match_key(paragraph))
    if not m:
        return None

    def part(name: str) -> str | None:
        return paragraph[m.start(name) : m.end(name)] if m.group(name) else None

    if m.group("people"):
        head = paragraph[: m.start("people") - 1].rstrip()
    elif m.group("reported"):
        head = paragraph[: m.start("reported")].rstrip()
    else:
        head = paragraph[: m.end()].rstrip()
    agency = part("agency") or ""
    dateline = Dateline(
        text=squeeze_spaces(head),
        agency=agency[1:] if agency.startswith("据") else agency,
        place=part("place") or None,
        date=re.sub(r"\s+", "", part("date") or "") or None,
    )
    people: list[Person] = []
    people_text = part("people") or part("reported")
    if people_text:
        parsed = parse_byline(people_text, default_role=Role.REPORTER, glued_needs_surname=False)
        if parsed:
            people = parsed.people
        else:
            people_text = None
    return DatelineParse(dateline, people, people_text)
