"""The editor's word on articles, beyond what their files say: which is its page's lead
(头条) and how heavy each is (publish.toml's ``[[articles]]``, ``--lead``), the date of undated
input (``--date``, ``[paper] date``), and a warning when an issue's paper or date is unknown.

The input's own ``lead: true`` and ``priority`` are read by the readers (ingest/fields.py);
what is given here comes after and wins.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePath

from .article import Article
from .errors import ConfigError
from .issue import IssueFacts, group_issues

ENTRY_KEYS = ("match", "lead", "priority")


@dataclass(frozen=True)
class ArticleRule:
    """One ``[[articles]]`` entry: the articles `match` names (a title contains it, or a file
    name matches it: ``p01-*.txt``) are made their page's lead and/or given a priority."""

    match: str
    lead: bool | None = None
    priority: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.match, str) or not self.match.strip():
            raise ConfigError("must be the text of a title or a file name (a pattern such as p01-*.txt)", key="match")
        if self.lead is not None and not isinstance(self.lead, bool):
            raise ConfigError(f"must be true or false, not {self.lead!r}", key="lead")
        if self.priority is not None and (
            isinstance(self.priority, bool) or not isinstance(self.priority, (int, float)) or not math.isfinite(self.priority)
        ):
            raise ConfigError(f"must be a number (higher is heavier), not {self.priority!r}", key="priority")
        if self.lead is None and self.priority is None:
            raise ConfigError("says nothing: give lead = true or priority = N", key="match")


def matches(article: Article, text: str) -> bool:
    """Whether `text` names the article: its title contains it, or its file's name (or stem)
    is it or matches it as a pattern."""
    if text in article.title:
        return True
    if article.source is None:
        return False
    name = PurePath(article.source.file).name
    return text in (name, PurePath(name).stem) or fnmatchcase(name, text)


def weigh(articles: list[Article], rules: tuple[ArticleRule, ...] = (), leads: tuple[str, ...] = ()) -> list[str]:
    """Apply publish.toml's rules (in order: a later one wins) and then each `--lead`; a line
    for each rule or lead that names no article."""
    unmatched = []
    for number, rule in enumerate(rules, 1):
        found = [a for a in articles if matches(a, rule.match)]
        for article in found:
            article.lead_story = rule.lead if rule.lead is not None else article.lead_story
            article.priority = rule.priority if rule.priority is not None else article.priority
        if not found:
            unmatched.append(
                f"[[articles]] {number}: match {rule.match!r} names no article (no title contains it, no file name matches)"
            )
    for text in leads:
        found = [a for a in articles if matches(a, text)]
        for article in found:
            article.lead_story = True
        if not found:
            unmatched.append(f"--lead {text!r} names no article (no title contains it, no file name matches)")
    return unmatched


def fill_dates(articles: list[Article], date: dt.date | None) -> None:
    """`date` for each article that carries none (those dated keep theirs)."""
    if date is None:
        return
    for article in articles:
        if article.paper.date is None:
            article.paper.date = date


def apply_editorial(
    articles: list[Article], date: dt.date | None, rules: tuple[ArticleRule, ...] = (), leads: tuple[str, ...] = ()
) -> list[str]:
    """Date the undated articles, then weigh them (`fill_dates`, `weigh`); what named nothing."""
    fill_dates(articles, date)
    return weigh(articles, rules, leads)


def unknown_facts(articles: list[Article], facts: IssueFacts | None = None, name_option: str | None = None) -> list[str]:
    """One line per issue whose masthead would print the stand-in name 新闻 or no date: the
    paper's name and the date known neither from the articles nor from `facts` (publish.toml's
    [paper] and the options); `name_option` is the option that would give the name."""
    facts = facts or IssueFacts()
    lines = []
    for issue in group_issues(articles, facts):
        nameless = not issue.facts.name and not issue.facts.logo
        undated = issue.facts.date is None
        name_hint = "[paper] name in publish.toml" + (f" or {name_option}" if name_option else "")
        if nameless and undated:
            lines.append(
                f"{issue.key}: no paper name nor date in the input: the masthead prints 新闻 and no date "
                f"(give {name_hint}, and --date or [paper] date)"
            )
        elif nameless:
            lines.append(f"{issue.key}: no paper name in the input: the masthead prints 新闻 (give {name_hint})")
        elif undated:
            lines.append(
                f"{issue.key}: no date in the input: the masthead prints none (give --date or [paper] date in publish.toml)"
            )
    return lines
