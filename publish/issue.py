"""Articles → issues: one per paper and date, with the facts a masthead needs.

Facts come from the articles' own metadata, then a `publish.toml` next to the input, then
the command line — each later source winning over the earlier for the keys it sets.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .article import Article
from .errors import ConfigError

# the type of each fact a publish.toml or a caller may give (None: unknown)
FACT_TYPES: dict[str, type] = {
    "name": str,
    "date": dt.date,
    "cn": str,
    "publisher": str,
    "issue_number": int,
    "pages": int,
    "post_code": str,
    "website": str,
    "logo": str,
}


@dataclass(frozen=True)
class IssueFacts:
    """What page 1 and the running heads print about the issue."""

    name: str = ""  # 报名
    date: dt.date | None = None
    cn: str = ""  # 国内统一刊号
    publisher: str = ""  # …社出版
    issue_number: int | None = None  # 总第N期
    pages: int | None = None  # 今日N版 as given (None: the masthead counts the pages printed)
    post_code: str = ""  # 邮发代号
    website: str = ""
    logo: str = ""  # an image or SVG file that replaces the set name

    def __post_init__(self) -> None:
        for name in FACT_TYPES:
            value, wanted = getattr(self, name), FACT_TYPES[name]
            if value is not None and (not isinstance(value, wanted) or isinstance(value, bool)):
                raise ConfigError(f"must be {wanted.__name__}, not {value!r}", key=f"paper.{name}")

    def merged(self, **values: Any) -> IssueFacts:
        """These facts with `values` (those not None) taking over."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


FACT_KEYS = {f.name for f in fields(IssueFacts)}


@dataclass
class Issue:
    facts: IssueFacts
    articles: list[Article] = field(default_factory=list)

    @property
    def key(self) -> str:
        """`name-YYYY-MM-DD`: a file-name stem, whatever the paper's name holds (no path
        separators, no leading dot: a name like ../x never leaves the output folder)."""
        date = self.facts.date.isoformat() if self.facts.date else "undated"
        name = re.sub(r'[/\\:*?"<>|\x00-\x1f]+', "_", self.facts.name or "articles").lstrip(". ") or "articles"
        return f"{name}-{date}"


def page_number(label: str | None) -> int | None:
    """The number a 版次 label sorts by: 3 for "3", "A03", "2/3"."""
    if not label:
        return None
    found = re.search(r"\d+", label)
    return int(found.group()) if found else None


def page_order(articles: list[Article]) -> list[Article]:
    """Articles in page order: by 版次 (`page_number`), then in the order the page sets them
    (their input order, as the layout places a page's own articles); those of no known 版次
    after every page, in input order. Stable, so the layout's own choices are unchanged."""

    def place(article: Article) -> tuple[bool, int]:
        number = page_number(article.paper.page)
        return (number is None, number or 0)

    return sorted(articles, key=place)


def group_issues(articles: list[Article], overrides: IssueFacts | None = None) -> list[Issue]:
    """One issue per (paper, date), in date order; its articles in page order (`page_order`):
    the audio edition's playlist, feed and article numbers follow the printed pages."""
    groups: dict[tuple[str, dt.date | None], list[Article]] = {}
    for article in page_order(articles):
        key = (article.paper.name or "", article.paper.date)
        groups.setdefault(key, []).append(article)
    issues = []
    for (name, date), members in sorted(groups.items(), key=lambda item: (item[0][1] or dt.date.min, item[0][0])):
        found = IssueFacts(name=name, date=date)
        for attribute in ("cn", "publisher", "post_code"):
            value = next((getattr(a.paper, attribute) for a in members if getattr(a.paper, attribute)), None)
            if value:
                found = found.merged(**{attribute: value})
        if overrides is not None:
            found = found.merged(**{f: getattr(overrides, f) for f in FACT_KEYS if getattr(overrides, f) not in (None, "")})
        issues.append(Issue(found, members))
    return issues


def article_folder(number: int, article: Article) -> str:
    """`NN` or `NN-<id>` (the id's file-name-safe characters)."""
    ident = re.sub(r"\.s?html?$", "", article.id or "", flags=re.I)
    safe = re.sub(r"[^A-Za-z0-9._-]+", "", ident)[:40].strip(".")
    return f"{number:02d}-{safe}" if safe else f"{number:02d}"
