"""Every real article in ../shared/corpus parses; nothing is lost; headlines match the records."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import NamedTuple

import pytest

import publish
from publish import BlockKind
from publish.ingest.decode import decode_bytes
from publish.ingest.fields import read_fields
from publish.ingest.normalize import fold
from tests.conftest import corpus_params, corpus_texts, require_shared
from tests.helpers import model_text

# Articles whose parsed headline may differ from the record beside them, and why.
# (Empty today: every corpus headline matches. Add a name here only with a reason.)
KNOWN_HEADLINE_MISMATCHES: dict[str, str] = {}


def _read_alone(path: Path) -> publish.Article:
    result = publish.collect([path], sidecars=False)
    assert result.errors == []
    [article] = result.articles
    return article


@pytest.mark.parametrize("path", corpus_params())
def test_parses_with_a_title_and_body(path):
    require_shared()
    article = _read_alone(path)
    assert article.title
    assert article.source.format in ("rmrb", "xmwb")
    assert article.source.format == path.parent.name
    if path.stat().st_size > 200:  # all but the artworks (a title and the artist only)
        readable = (BlockKind.PARAGRAPH, BlockKind.CAPTION, BlockKind.JUMP, BlockKind.QA, BlockKind.LEAD)
        assert any(b.kind in readable for b in article.blocks)


@pytest.mark.parametrize("path", corpus_params())
def test_every_character_is_accounted_for(path):
    """Each character of the file (up to spacing, decoration and NFKC width) is in the model."""
    require_shared()
    article = _read_alone(path)
    source = Counter(fold(decode_bytes(path.read_bytes(), str(path)).text))
    model = Counter(fold(model_text(article)))
    assert source - model == Counter(), "text lost"
    assert model - source == Counter(), "text added"


def _headline_matches(path: Path) -> bool:
    article = _read_alone(path)
    record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["record"]
    fields = read_fields(record)
    pairs = [(article.headline.printed_title, fields.title)]
    if "subtitle" in record:
        pairs.append((article.subtitle, fields.subtitle))
    if "special_title" in record:
        pairs.append((article.kicker, fields.kicker))
    return all(fold(got or "") == fold(want or "") for got, want in pairs)


def test_headlines_match_the_records_beside_them():
    require_shared()
    files = corpus_texts()
    mismatches = {p.stem for p in files if not _headline_matches(p)}
    assert mismatches <= set(KNOWN_HEADLINE_MISMATCHES), f"new mismatches: {sorted(mismatches - set(KNOWN_HEADLINE_MISMATCHES))}"
    assert 1 - len(mismatches) / len(files) >= 0.95


def test_folders_pair_each_text_with_its_record():
    shared = require_shared()
    result = publish.collect([shared / "corpus"])
    assert result.errors == []
    assert len(result.articles) == 70
    assert {a.source.format for a in result.articles} == {"rmrb", "xmwb"}
    for article in result.articles:
        assert article.paper.name in ("人民日报", "新民晚报")
        assert article.paper.date is not None and article.paper.page
        assert article.url and article.url.startswith("http")
    issues = Counter((a.paper.name, a.paper.date.isoformat()) for a in result.articles)
    assert issues[("人民日报", "2017-03-25")] == 7 and len(issues) == 7


def test_records_read_alone_give_the_same_articles():
    """The .json records (the crawlers' own form) parse to the same headline and blocks."""
    shared = require_shared()
    for path in sorted((shared / "corpus").glob("*/*.json")):
        [from_record] = publish.load(path)
        from_text = _read_alone(path.with_suffix(".txt"))
        assert fold(from_record.title) == fold(from_text.title), path.name
        assert [b.text for b in from_record.blocks] == [b.text for b in from_text.blocks], path.name
        assert from_record.paper.date is not None


class Line(NamedTuple):
    """Where an expected string lives in a corpus .txt: line ``number`` (1-based), stripped, with
    runs of spaces squeezed to one; with ``pattern``, the first group of its full match there."""

    number: int
    pattern: str = r"(.*)"

    def resolve(self, lines: list[str]) -> str:
        m = re.fullmatch(self.pattern, " ".join(lines[self.number - 1].split()))
        assert m, f"line {self.number} does not match {self.pattern!r}"
        return m.group(1)


# Expected headline parts and people, by where they are printed in each file (the texts themselves
# are read at test time). People are (where the name is, role); a name's inner spaces are dropped.
SELECTED = [
    ("rmrb-20170325-p03-05", Line(1), Line(2), None, None, [(Line(4, r"本报记者 (.+)"), "记者")]),
    ("rmrb-20170325-p04-09", None, Line(2, r"(.+)（.+）"), Line(2, r".+（(.+)）"), None, [(Line(4), "作者")]),
    (
        "rmrb-20170326-p05-04",
        Line(1),
        Line(2, r"(.+)（.+）"),
        Line(2, r".+（(.+)）"),
        None,
        [(Line(4, r"(\S+) \S \S"), "作者"), (Line(4, r"\S+ (\S \S)"), "作者")],
    ),
    ("rmrb-20170422-p03-10", None, Line(2), None, None, [(Line(5, r".*?电 （记者(\S+?)）.*"), "记者")]),
    ("rmrb-20170423-p02-05", None, Line(2, r"(.+)（.+）"), Line(2, r".+（(.+)）"), None, [(Line(4, r"(.+)摄影报道"), "摄影")]),
    ("xmwb-20220402-p4-5", None, Line(1), None, Line(2), [(Line(4, r".* 本报记者 (\S+)"), "记者")]),
    ("xmwb-20220401-p6-7", None, Line(1), None, None, None),
]


@pytest.mark.parametrize(("stem", "kicker", "title", "column", "subtitle", "people"), SELECTED)
def test_selected_headlines_and_people(stem, kicker, title, column, subtitle, people):
    shared = require_shared()
    folder = stem.split("-")[0]
    path = shared / "corpus" / folder / f"{stem}.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    article = _read_alone(path)

    def at(where: Line | None) -> str | None:
        return None if where is None else where.resolve(lines)

    expected = (at(kicker), at(title), at(column), at(subtitle))
    assert (article.kicker, article.title, article.headline.column, article.subtitle) == expected
    if people is not None:
        named = [("".join(where.resolve(lines).split()), role) for where, role in people]
        assert all(name for name, _ in named)
        assert [(p.name, str(p.role)) for p in article.people] == named
