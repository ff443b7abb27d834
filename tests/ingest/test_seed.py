"""The seed article (a 2022 黔东南日报 dump with a Founder ENP trailer) must parse exactly.

Expectations about the article's own text are read from the seed file at test time (the project
never copies real article text into the repository): they name the source line they come from.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

import publish
from publish import BlockKind, Role
from publish.ingest.normalize import fold
from tests.conftest import SEED, require_shared

FLATTENED = re.compile(r"[\u4e00-\u9fff][,:;()!?][\u4e00-\u9fff]|[\u4e00-\u9fff][()]|[()][\u4e00-\u9fff]")

# Where the seed's display text lives (1-based line numbers in the source file).
TITLE_LINE = 5
BYLINE_LINE = 7  # a decoration mark, then the author's name
HEADING_LINES = (11, 15, 19, 23)
NOTE_LINE = 27  # the author's unit, in parentheses
# The dump flattened these marks to ASCII; between Han they must come back full width.
FULL_WIDTH = str.maketrans({",": "，", ":": "：", "(": "（", ")": "）"})


def source_line(number: int) -> str:
    """Line ``number`` of the seed, stripped, with its flattened marks restored to full width."""
    return SEED.read_text(encoding="utf-8").splitlines()[number - 1].strip().translate(FULL_WIDTH)


def author_name() -> str:
    """The name on the byline line once its decoration mark (no role word is printed) is removed."""
    m = re.fullmatch(r"□\s*(\S+)", source_line(BYLINE_LINE))
    assert m, "the seed's byline line no longer has the expected form"
    return m.group(1)


@pytest.fixture(scope="module")
def seed():
    require_shared()
    [article] = publish.load(SEED)
    return article


def test_paper_facts(seed):
    assert seed.paper.name == "黔东南日报"
    assert seed.paper.cn == "CN52-0017"
    assert seed.paper.publisher == "黔东南日报社出版"
    assert seed.paper.date.isoformat() == "2022-04-27"
    assert seed.id == "186197"
    assert seed.source.format == "enp"
    assert seed.source.encoding == "utf-8"


def test_headline_and_byline(seed):
    assert seed.title == source_line(TITLE_LINE)
    assert seed.kicker is None and seed.subtitle is None
    assert [(p.name, p.role) for p in seed.people] == [(author_name(), Role.AUTHOR)]
    assert seed.bylines[0].position == "head"


def test_four_headings_and_sections(seed):
    headings = [b.text for b in seed.blocks if b.kind is BlockKind.HEADING]
    assert len(headings) == 4
    assert headings == [source_line(n) for n in HEADING_LINES]
    assert [s.title for s in seed.sections] == [None, *headings]
    assert all(s.blocks for s in seed.sections)


def test_author_unit_note_is_last(seed):
    note = seed.blocks[-1]
    assert note.kind is BlockKind.NOTE
    assert note.text == source_line(NOTE_LINE)
    assert note.text.startswith("（作者单位：") and note.text.endswith("）")


def test_no_flattened_punctuation_left_between_han(seed):
    texts = [seed.title, *(b.text for b in seed.blocks)]
    offenders = [m.group(0) for t in texts for m in FLATTENED.finditer(t)]
    assert offenders == []
    body = "".join(b.text for b in seed.blocks)
    assert body.count("，") > 40 and "；" in body and "（机关）" in body


def test_line_spans_point_at_the_source(seed):
    lines = SEED.read_text(encoding="utf-8").splitlines()
    for block in seed.blocks:
        source = lines[block.lines.first - 1]
        assert fold(source) == fold(block.text)


def test_cli_json_for_the_seed():
    require_shared()
    out = subprocess.run(
        [sys.executable, "-m", "publish", "parse", "--json", str(SEED)], capture_output=True, text=True, check=True
    )
    [data] = json.loads(out.stdout)
    assert data["paper"] == {
        "name": "黔东南日报",
        "cn": "CN52-0017",
        "publisher": "黔东南日报社出版",
        "date": "2022-04-27",
        "page": None,
        "page_name": None,
        "post_code": None,
    }
    assert data["id"] == "186197"
    assert data["title"] == source_line(TITLE_LINE)
    assert data["bylines"] == [{"name": author_name(), "role": "作者"}]
    assert sum(b["kind"] == "heading" for b in data["blocks"]) == 4
    assert data["sections"][1]["title"] == source_line(HEADING_LINES[0])
    assert data["source"]["file"].endswith("000_36692723417f63aa.txt")
    assert data["source"]["format"] == "enp" and data["source"]["encoding"] == "utf-8"
    assert "CN52-0017" in out.stdout
