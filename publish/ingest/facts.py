"""Paper facts from masthead furniture, page labels, dates and URLs.

Recognises ``国内统一刊号:CN52-0017``, ``黔东南日报社出版``, ``2022年04月27日 星期三``,
``第13版:文体新闻/体育``, ``邮发代号：65-1``, and the URL schemes of Founder e-papers.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlparse

from ..article import Paper

_CN = re.compile(r"CN\s*(\d{2})\s*[-－—–]\s*(\d{4})(?:\s*/\s*([A-Z]{1,3}))?", re.IGNORECASE)
_CN_LABEL = re.compile(r"(?:国内统一(?:连续出版物)?刊号|国内刊号|刊号)\s*[：:]?\s*")
_ISSN = re.compile(r"(?:国际标准(?:连续出版物)?号|ISSN)\s*[：:]?\s*\d{4}\s*-\s*\d{3}[\dXx]", re.IGNORECASE)
_PUBLISHER = re.compile(r"([\u4e00-\u9fff]{2,20}?(?:社|集团|公司|中心))\s*(?:主管\s*)?(?:主办\s*)?出版")
_POST_CODE = re.compile(r"邮发代号\s*[：:]?\s*(\d{1,2}\s*-\s*\d{1,4})")
_ISSUE_NO = re.compile(r"总第\s*\d+\s*[期号]")
_TODAY_PAGES = re.compile(r"今日\s*\d+\s*版")
_WEEKDAY = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日]")
_LUNAR = re.compile(r"农历\S{2,12}")
_DATE_CN = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
_DATE_COMPACT = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(\d{2})(\d{2})(?!\d)")
_PAGE = re.compile(
    r"^\s*第?\s*(?P<page>[A-Za-z]{0,2}\d{1,3}(?:\s*[/／\-－、]\s*[A-Za-z]{0,2}\d{1,3})?)\s*版\s*[：:·\-—]?\s*(?P<name>.*?)\s*$"
)
_URL_ID = re.compile(r"(?:^|/)(?:c|content_|article_|art_)(\d+)\.s?html?$")
_FOUNDER_URL = re.compile(r"_(\d{8})_(\d+)-([A-Za-z]?\d{1,3})\.s?html?$")

# E-paper sites whose URL names the paper: (host suffix, path prefix, paper name).
KNOWN_SITES = (
    ("paper.people.com.cn", "/rmrbhwb/", "人民日报海外版"),
    ("paper.people.com.cn", "/rmrb/", "人民日报"),
    ("paper.xinmin.cn", "/html/xmwb/", "新民晚报"),
    ("xmwb.xinmin.cn", "", "新民晚报"),
    ("epaper.gmw.cn", "/gmrb/", "光明日报"),
    ("epaper.jxnews.com.cn", "/jxrb/", "江西日报"),
)


def parse_date(text: str) -> dt.date | None:
    """The first plausible calendar date in text: 2022年04月27日, 2022-04-27, 2022/4/27."""
    for pattern in (_DATE_CN, _DATE_ISO):
        for m in pattern.finditer(text):
            date = _date(*m.groups())
            if date:
                return date
    return None


def parse_compact_date(text: str) -> dt.date | None:
    """A date written 20220427, as in file names and URLs."""
    for m in _DATE_COMPACT.finditer(text):
        date = _date(*m.groups())
        if date:
            return date
    return None


def _date(year: str, month: str, day: str) -> dt.date | None:
    try:
        date = dt.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return date if 1900 <= date.year <= 2100 else None


def canonical_cn(text: str) -> str | None:
    m = _CN.search(text)
    if not m:
        return None
    suffix = f"/{m.group(3).upper()}" if m.group(3) else ""
    return f"CN{m.group(1)}-{m.group(2)}{suffix}"


def parse_page_label(text: str) -> tuple[str, str | None] | None:
    """``第13版:文体新闻/体育`` → ("13", "文体新闻/体育"); ``A01版`` → ("A01", None)."""
    m = _PAGE.match(text)
    if not m:
        return None
    page = re.sub(r"\s+", "", m.group("page")).replace("／", "/").replace("－", "-")
    page = re.sub(r"(?<![A-Za-z\d])0+(?=\d)", "", page).upper()
    name = m.group("name").strip() or None
    if name and len(name) > 20:
        return None
    return page, name


def parse_furniture(line: str) -> Paper | None:
    """Paper facts in a masthead line, or None when the line carries anything else (text).

    A line counts as furniture only when every part of it is a recognised fact.
    """
    text = line.strip()
    if not text:
        return None
    paper = Paper()
    rest = text
    if cn := canonical_cn(rest):
        paper.cn = cn
        rest = _CN_LABEL.sub("", _CN.sub("", rest))
    if m := _PUBLISHER.search(rest):
        paper.publisher = m.group(0).replace(" ", "")
        rest = rest.replace(m.group(0), "")
    if m := _POST_CODE.search(rest):
        paper.post_code = re.sub(r"\s+", "", m.group(1))
        rest = rest.replace(m.group(0), "")
    if m := _DATE_CN.search(rest) or _DATE_ISO.search(rest):
        if date := _date(*m.groups()):
            paper.date = date
            rest = rest.replace(m.group(0), "")
    for pattern in (_ISSN, _ISSUE_NO, _TODAY_PAGES, _WEEKDAY, _LUNAR):
        rest = pattern.sub("", rest)
    if page := parse_page_label(rest) if rest.strip() else None:
        paper.page, paper.page_name = page
        rest = ""
    if re.sub(r"[\s,，:：;；|｜·•/\-—]+", "", rest):
        return None
    if paper == Paper():
        return None
    return paper


_META_FIELD = re.compile(
    r"(?P<key>发布时间|发表时间|发布日期|出版日期|时间|日期|来源|稿源|作者|记者|编辑|责任编辑|责编|浏览次数|点击数|阅读数|字号)\s*[：:]\s*"
)

# Papers whose names say nothing of being a paper (no 报, 刊, 周末 …): the national titles and
# the best-known weeklies and digests a newsroom meets in dumps and crawler records.
KNOWN_PAPERS = frozenset(
    (
        "参考消息",
        "南方周末",
        "瞭望",
        "瞭望东方周刊",
        "半月谈",
        "求是",
        "财新",
        "财经",
        "读者",
        "青年文摘",
        "意林",
        "故事会",
        "新华每日电讯",
        "21世纪经济报道",
        "经济观察",
        "第一财经",
        "华尔街见闻",
        "联合早报",
        "星岛日报",
    )
)
# What Chinese paper and magazine names end in; an edition (海外版, 农村版) may follow.
_PAPER_LIKE = re.compile(
    r"^[\u4e00-\u9fff\d]{1,12}?(?:日报|晚报|早报|晨报|时报|商报|都市报|周报|导报|快报|画报|文摘|周刊|周末|消息|电讯|"
    r"月刊|旬刊|半月刊|学刊|报|刊)(?:[\u4e00-\u9fff]{1,3}版)?$"
)


def is_paper_name(text: str) -> bool:
    """True for the name of a newspaper or magazine: 青山日报, 参考消息, 南方周末, 人民日报海外版.

    A known name, or a name ending as papers' names do (…报, …周刊, …周末, …消息, …电讯).
    """
    text = text.strip()
    if text in KNOWN_PAPERS:
        return True
    if text in _NOT_PAPERS or (text.startswith("第") and "版" in text):
        return False
    return len(text) >= 2 and bool(_PAPER_LIKE.match(text))


_NOT_PAPERS = frozenset(
    {"本报", "本刊", "该报", "我报", "喜报", "捷报", "简报", "快报", "通报", "海报", "年报", "月报", "周报", "日报", "晚报"}
)


def parse_meta_line(line: str) -> tuple[Paper, str | None] | None:
    """A web page's meta line (``发布时间：2023-05-12 来源：青山日报 作者：张三``): facts and author.

    Recognised only when it is nothing but labelled fields, two or more of them (or one
    date or source label).
    """
    fields = list(_META_FIELD.finditer(line))
    if not fields or line[: fields[0].start()].strip():
        return None
    values: dict[str, str] = {}
    for here, after in zip(fields, [*fields[1:], None], strict=True):
        values[here.group("key")] = line[here.end() : after.start() if after else len(line)].strip(" |｜/")
    if len(values) < 2 and not values.keys() & {"发布时间", "发表时间", "发布日期", "来源", "稿源"}:
        return None
    paper = Paper()
    for key in ("发布时间", "发表时间", "发布日期", "出版日期", "时间", "日期"):
        if key in values and (date := parse_date(values[key])):
            paper.date = date
            break
    source = values.get("来源") or values.get("稿源")
    if source and is_paper_name(source.split()[0]):
        paper.name = source.split()[0]
    return paper, values.get("作者") or values.get("记者")


def paper_name_line(line: str) -> str | None:
    """A line that is only a paper's name (青山日报), as mastheads print it."""
    text = line.strip()
    return text if is_paper_name(text) else None


def paper_from_publisher(publisher: str | None) -> str | None:
    """黔东南日报社出版 → 黔东南日报 (the paper a publisher line names)."""
    if not publisher:
        return None
    name = re.sub(r"(?:社|集团|公司|中心)?(?:主管)?(?:主办)?出版$", "", publisher)
    return name if is_paper_name(name) else None


def facts_from_url(url: str | None) -> tuple[Paper, str | None]:
    """Paper name, date and page an e-paper URL implies, and the article id in it."""
    paper = Paper()
    if not url:
        return paper, None
    parsed = urlparse(url.strip())
    host, path = parsed.netloc.lower(), parsed.path
    for site, prefix, name in KNOWN_SITES:
        if host.endswith(site) and path.startswith(prefix):
            paper.name = name
            break
    article_id = None
    if m := _URL_ID.search(path):
        article_id = m.group(1)
    if m := _FOUNDER_URL.search(path):
        paper.date = _date(m.group(1)[:4], m.group(1)[4:6], m.group(1)[6:])
        paper.page = m.group(3).lstrip("0") or "0"
        article_id = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if paper.date is None:
        if m := re.search(r"/(\d{4})-(\d{1,2})/(\d{1,2})/", path):
            paper.date = _date(*m.groups())
        else:
            paper.date = parse_date(path)
    return paper, article_id
