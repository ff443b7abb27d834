"""Read bylines and datelines: who wrote, reported or photographed an article, and in what role.

Bylines come padded and glued in every way (``本报记者  王伟健``, ``赵  鹏   林  蔚``,
``（记者颉满斌 通讯员余若怡）``, ``吴建勋摄影报道``); `parse_byline` returns the people in
one, or None when the text is not a byline at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..article import Dateline, Person, Role
from .chars import HAN_RANGES
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
    ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "夏侯", "长孙", "宇文", "司徒", "端木", "西门", "独孤", "南宫", "闻人", "澹台", "轩辕", "呼延", "申屠", "钟离", "百里", "东郭", "万俟", "赫连", "太史", "公羊", "第五"]
)

_HAN = f"[{HAN_RANGES}]"
_NAME = re.compile(f"{_HAN}{{2,4}}|{_HAN}{{1,8}}[·•．]{_HAN}{{1,10}}(?:[·•．]{_HAN}{{1,10}})?")
_QUALIFIER = r"(?:本报|新华社|中新社|中国新闻社|人民日报|人民网|央视网|央视|本刊|本台|本网|据|首席|特约|特派|见习|驻站|(?:赴|驻)" + _HAN + r"{1,10}?(?:特派)?)"
_ROLE = re.compile(f"(?P<qual>{_QUALIFIER}*)(?P<role>记者|通讯员|实习生|评论员|责任编辑|责编|编辑|撰稿人?|作者|摄影记者)")
_SPLIT = re.compile(r"[、，,；;/／|｜]+")
_PHOTO_SUFFIX = re.compile(r"\s*(?:摄影报道|摄影|摄)\s*$")
_REPORT_SUFFIX = re.compile(r"\s*报道\s*$")
_AGENCY_NOTE = re.compile(r"\s*[（(](?:新华社|中新社|人民视觉|视觉中国|[\u4e00-\u9fff]{2,6}社)发[）)]\s*$")
_TEXT_PHOTO = re.compile(r"^(?:文\s*[/／|｜·、]\s*图|图\s*[/／|｜·、]\s*文|文图|图文|文|撰文)\s*[：:｜|/／]?\s*")
_ROLE_OF = {
    "记者": Role.REPORTER,
    "摄影记者": Role.PHOTOGRAPHER,
    "通讯员": Role.CORRESPONDENT,
    "实习生": Role.INTERN,
    "评论员": Role.AUTHOR,
    "撰稿": Role.AUTHOR,
    "撰稿人": Role.AUTHOR,
    "作者": Role.AUTHOR,
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
    """
    raw = squeeze_spaces(strip_decoration(text.replace("\u3000", " ")))
    raw = _AGENCY_NOTE.sub("", raw)
    if not raw or len(raw) > 60 or raw.startswith("——"):
        return None
    photo = False
    if (m := _PHOTO_SUFFIX.search(raw)) and m.start() > 0:
        raw, photo = raw[: m.start()], True
    elif (m := _REPORT_SUFFIX.search(raw)) and m.start() > 0:
        raw = raw[: m.start()]
    if m2 := _TEXT_PHOTO.match(raw):
        if m2.end() > 0 and m2.end() < len(raw):
            raw = raw[m2.end() :]
    chunks = _chunks(raw)
    if chunks is None:
        return None
    people: list[Person] = []
    bare = all(role is None for role, _, _ in chunks)
    for index, (role_word, names_text, glued) in enumerate(chunks):
        names = split_names(names_text)
        if names and glued and glued_needs_surname and not looks_like_name(names[0]):
            return None
        if names is None or (not names and (role_word is None or index == len(chunks) - 1)):
            return None
        role = _ROLE_OF.get(role_word, default_role) if role_word else default_role
        if photo and index == len(chunks) - 1:
            role = Role.PHOTOGRAPHER
        people.extend(Person(name, role) for name in names)
    if not people:
        return None
    return BylineParse(people, bare=bare, photo=photo)


def _chunks(raw: str) -> list[tuple[str | None, str, bool]] | None:
    """Split ``本报记者 甲 乙 通讯员 丙`` into [(记者, 甲 乙, False), (通讯员, 丙, False)].

    The flag says the names follow their role word with no space (``记者颉满斌``).
    """
    chunks: list[tuple[str | None, str, bool]] = []
    role: str | None = None
    pos = 0
    for m in _ROLE.finditer(raw):
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


def split_names(text: str) -> list[str] | None:
    """Names in a run like ``焦翔、李锋`` or ``赵  鹏   林  蔚``; None when something is not a name."""
    names: list[str] = []
    for part in _SPLIT.split(text):
        tokens = [(m.group(0), m.start(), m.end()) for m in re.finditer(r"\S+", part)]
        tokens = _merge_padded(tokens)
        for token in tokens:
            if not _NAME.fullmatch(token):
                return None
            names.append(token)
    return names


def _merge_padded(tokens: list[tuple[str, int, int]]) -> list[str]:
    """Join single characters padded apart (``王  浩``), closest pairs first."""
    items = [(text, start, end, len(text) == 1) for text, start, end in tokens]
    while True:
        pairs = [
            (items[i + 1][1] - items[i][2], i)
            for i in range(len(items) - 1)
            if items[i][3] and items[i + 1][3]
        ]
        if not pairs:
            return [item[0] for item in items]
        _, i = min(pairs)
        a, b = items[i], items[i + 1]
        items[i : i + 2] = [(a[0] + b[0], a[1], b[2], False)]


def looks_like_name(text: str) -> bool:
    """A 2–4 character Han name starting with a common surname (``吴越``, ``欧阳文``)."""
    text = text.strip()
    if not re.fullmatch(f"{_HAN}{{2,4}}", text):
        return False
    if text[:2] in SURNAMES_2:
        return len(text) >= 3
    return text[0] in SURNAMES_1


def is_bare_byline(text: str) -> bool:
    """True for a line that is only names of common form: ``陈亚楠``, ``樊小杰  孔令华``."""
    parsed = parse_byline(text)
    return bool(parsed and parsed.bare and all(looks_like_name(p.name) for p in parsed.people))


_DATELINE = re.compile(
    r"^(?P<agency>据?(?:本报|新华社|中新社|中国新闻社|人民网|央视网|新民晚报|"
    + _HAN
    + r"{2,6}(?:日报|晚报|时报|商报|都市报)))"
    r"(?:(?P<kind1>讯)|(?P<place>"
    + _HAN
    + r"{0,12}?)\s*(?P<date>\d{1,2}\s*月\s*\d{1,2}\s*日)\s*(?P<kind2>电|讯))"
    r"(?:\s*[（(](?P<people>[^）)]{1,60})[）)])?"
)


@dataclass(frozen=True)
class DatelineParse:
    dateline: Dateline
    people: list[Person]
    people_text: str | None


def parse_dateline(paragraph: str) -> DatelineParse | None:
    """The 电头 at the start of a paragraph (``本报北京4月21日电（记者 姜波）``), if any."""
    m = _DATELINE.match(paragraph)
    if not m:
        return None
    head = paragraph[: m.start("people") - 1].rstrip() if m.group("people") else paragraph[: m.end()].rstrip()
    dateline = Dateline(
        text=squeeze_spaces(head),
        agency=m.group("agency").removeprefix("据"),
        place=m.group("place") or None,
        date=re.sub(r"\s+", "", m.group("date")) if m.group("date") else None,
    )
    people: list[Person] = []
    people_text = m.group("people")
    if people_text:
        parsed = parse_byline(people_text, default_role=Role.REPORTER, glued_needs_surname=False)
        if parsed:
            people = parsed.people
        else:
            people_text = None
    return DatelineParse(dateline, people, people_text)
