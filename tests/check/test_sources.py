"""`publish check --source`: several sources after one option, each article matched with the PDF
of its issue, and a difference reported on the PDF it is in — whatever order things are given in."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from publish.cli import app

runner = CliRunner()
PAPER = "青梧晚报"
ARTICLES = {
    "day1/a.json": (
        "东湖公园新栽银杏二百棵",
        "东湖公园本周新栽银杏二百棵，沿湖步道两侧各一排。    园方说，明年秋天就能看到金黄的树叶。",
        "2026-11-20",
    ),
    "day1/b.json": (
        "社区食堂推出老年套餐",
        "南岭社区食堂推出老年套餐，每份十二元。    套餐有两荤一素，周末也供应。",
        "2026-11-20",
    ),
    "day2/c.json": (
        "夜间公交新开三条线路",
        "从下周一起，城区新开三条夜间公交线路，末班车延至零点。    线路经过火车站和三家医院。",
        "2026-11-21",
    ),
}


@pytest.fixture(scope="module")
def issues(tmp_path_factory):
    """Two issues typeset from their sources; then one sentence of the first issue's source edited."""
    root = tmp_path_factory.mktemp("issues")
    for name, (title, body, date) in ARTICLES.items():
        path = root / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps({"title": title, "content": "    " + body, "date": date, "paper": PAPER}, ensure_ascii=False))
    result = runner.invoke(app, ["pdf", str(root / "day1"), str(root / "day2"), "-o", str(root / "out"), "--no-previews", "-q"])
    assert result.exit_code == 0, result.output
    edited = root / "day1" / "b.json"
    edited.write_text(edited.read_text(encoding="utf-8").replace("每份十二元", "每份十五元"), encoding="utf-8")
    return root, root / "out" / f"{PAPER}-2026-11-20.pdf", root / "out" / f"{PAPER}-2026-11-21.pdf"


@pytest.mark.parametrize(
    "order",
    [
        ["{first}", "{second}", "--source", "{day1}", "{day2}"],
        ["{second}", "{first}", "--source", "{day2}", "{day1}"],
        ["{second}", "--source", "{day2}", "{day1}", "{first}"],  # a PDF after the sources is still a PDF
        ["{first}", "{second}", "-s", "{day2}", "-s", "{day1}"],
        ["{out}", "--source", "{day2}", "{day1}"],  # a folder of PDFs
    ],
)
def test_a_difference_is_reported_on_the_pdf_of_its_issue(issues, order):
    root, first, second = issues
    names = {"first": first, "second": second, "day1": root / "day1", "day2": root / "day2", "out": root / "out"}
    result = runner.invoke(app, ["check", *[part.format(**names) for part in order]])
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert f"{second}: OK" in lines and f"{first}: FAULTS" in lines
    assert lines[lines.index(f"{second}: OK") + 1].startswith("  1 page, 8 lines, ")  # not 1 pages
    title = ARTICLES["day1/b.json"][0]
    assert [line for line in lines if line.startswith("text differs")] == [
        f"text differs in {first}: '{title}' ({root / 'day1' / 'b.json'}): not found: '老年套餐，每份十五元。套餐有两荤'"
    ]
    assert lines[-1] == "text of the 2 PDFs against 3 articles: DIFFERS (146 characters, 4 pieces)"


def test_sources_that_match_check_clean_in_any_order(issues):
    root, first, second = issues
    fixed = root / "fixed"
    fixed.mkdir(exist_ok=True)
    edited = (root / "day1" / "b.json").read_text(encoding="utf-8").replace("每份十五元", "每份十二元")
    (fixed / "b.json").write_text(edited, encoding="utf-8")
    sources = [str(root / "day2" / "c.json"), str(fixed / "b.json"), str(root / "day1" / "a.json")]
    result = runner.invoke(app, ["check", str(second), str(first), "--source", *sources, "--json"])
    assert result.exit_code == 0, result.output
    reports = {r["file"]: r["text"] for r in json.loads(result.stdout)}
    assert reports[str(first)]["equal"] and reports[str(second)]["equal"]
    assert len(reports[str(first)]["articles"]) == 2 and len(reports[str(second)]["articles"]) == 1


def test_an_article_in_no_pdf_is_named(issues):
    root, _, second = issues
    result = runner.invoke(app, ["check", str(second), "--source", str(root / "day2"), str(root / "day1")])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert f"text in no PDF: '东湖公园新栽银杏二百棵' ({root / 'day1' / 'a.json'})" in lines
    assert f"{second}: OK" in lines
