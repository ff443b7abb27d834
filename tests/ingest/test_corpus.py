"""Every real article in ../shared/corpus parses; nothing is lost; headlines match the records."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

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


@pytest.mark.parametrize(
    ("stem", "kicker", "title", "column", "subtitle", "people"),
    [
        ("rmrb-20170325-p03-05", "铆住需求端，“绣花”供给侧", "今年春耕不一样", None, None, [("高云才", "记者")]),
        ("rmrb-20170325-p04-09", None, "重塑形象 得有硬招", "夜语", None, [("陈亚楠", "作者")]),
        ("rmrb-20170326-p05-04", "言之有味 言之有理 言之有效", "调好高校思想政治工作的“盐味”", "新知新觉", None, [("岳宗德", "作者"), ("李明", "作者")]),
        ("rmrb-20170422-p03-10", None, "首列西安至布达佩斯中欧班列抵达", None, None, [("杨永前", "记者")]),
        ("rmrb-20170423-p02-05", None, "从缝纫工到设计师", "聚焦供给侧改革·我的故事", None, [("吴建勋", "摄影")]),
        ("xmwb-20220402-p4-5", None, "申城最大隔离点运行平稳 感染者转阴约需7-10天", None, "——访新国际博览中心 集中隔离收治点总指挥陈尔真", [("郜阳", "记者")]),
        ("xmwb-20220401-p6-7", None, "送菜供餐帮配药 为老服务松不得", None, None, None),
    ],
)
def test_selected_headlines_and_people(stem, kicker, title, column, subtitle, people):
    shared = require_shared()
    folder = stem.split("-")[0]
    article = _read_alone(shared / "corpus" / folder / f"{stem}.txt")
    assert (article.kicker, article.title, article.headline.column, article.subtitle) == (kicker, title, column, subtitle)
    if people is not None:
        assert [(p.name, str(p.role)) for p in article.people] == people
