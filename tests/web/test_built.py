"""The web edition of a real `publish build` (the examples plus an article with a column tag,
offline voice), read back: the sentences the audio reads are all shown, and `publish web`
over a build folder whose records were damaged."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from publish.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()

STREET = """---
paper: 桐川日报
date: 2026-10-08
page: 2
page_name: 评论
---

# 守住初心 办好小事（街谈）

巷口的路灯修好了。居民说，这盏灯亮了三年又灭了半年。

小事办好，大事才有底。社区干部每周走一遍巷子，把要修的记在本子上。

谁来记，谁来修，谁来回访，都写得清清楚楚。
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The examples and the column article built with audio (offline voice) and the web edition."""
    root = tmp_path_factory.mktemp("built")
    source = root / "source"
    shutil.copytree(EXAMPLES, source)
    (source / "markdown" / "2026-10-08-street.md").write_text(STREET, encoding="utf-8")
    result = runner.invoke(
        app, ["build", str(source), "-o", str(root / "out"), "--engine", "offline", "--cache", str(root / "cache")]
    )
    assert result.exit_code == 0, result.output
    return root / "out"


def cue_ids(vtt: Path) -> list[str]:
    return re.findall(r"^(s\d+)$", vtt.read_text(encoding="utf-8"), re.M)


def test_every_cue_the_audio_reads_is_a_sentence_of_the_article_view(built):
    vtts = sorted(built.glob("*/*/article.vtt"))
    assert len(vtts) >= 3
    for vtt in vtts:
        html = (vtt.parent / "index.html").read_text(encoding="utf-8")
        ids = re.findall(r'<span class="cue" id="(s\d+)"', html)
        assert ids == cue_ids(vtt), vtt


def test_the_column_tag_is_in_the_headline_and_highlighted_with_it(built):
    (vtt,) = built.glob("桐川日报-2026-10-08/*/article.vtt")
    assert cue_ids(vtt) == [f"s{n}" for n in range(1, 7)]  # the headline with its column, then 5 sentences
    html = (vtt.parent / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'<h1><span class="cue" id="s1"[^>]*>守住初心 办好小事</span><span class="column"><span class="cue" data-cue="s1"[^>]*>（街谈）</span></span></h1>',
        html,
    )
    issue = (vtt.parent.parent / "index.html").read_text(encoding="utf-8")
    assert '守住初心 办好小事<span class="column">（街谈）</span></a>' in issue


def _set(path: Path, change) -> None:
    """Change one JSON record of the copied build (a fresh file: the copy shares the others' inodes)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.unlink()
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")  # NaN and Infinity as JSON lets them through


DAILY = "青梧日报-2026-11-20"


@pytest.mark.parametrize(
    ("record", "change"),
    [
        ("web/articles.json", lambda d: d["articles"][0].update(number="x")),
        ("web/articles.json", lambda d: d.update(date=5)),
        ("web/articles.json", lambda d: d.update(date="2026-02-30")),
        ("web/articles.json", lambda d: d.update(date="2026-13-01")),
        ("manifest.json", lambda d: d["articles"][0]["sections"][1].update(start=float("nan"))),
        ("web/pages.json", lambda d: d["pages"][0].update(width=float("inf"))),
    ],
    ids=["number", "date-type", "date-day", "date-month", "section-nan", "width-inf"],
)
def test_a_damaged_record_is_one_note_and_the_rest_of_the_site_stands(built, tmp_path, record, change):
    out = tmp_path / "out"
    shutil.copytree(built, out, copy_function=os.link)
    _set(out / DAILY / record, change)
    result = runner.invoke(app, ["web", str(out)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and result.exception is None
    named = [line for line in result.stderr.splitlines() if f"{DAILY}/{record}" in line]
    assert len(named) == 1, result.stderr
    for other in ("青梧晚报-2026-11-21", "桐川日报-2026-10-08"):
        assert (out / other / "index.html").is_file() and "<h1" in (out / other / "index.html").read_text(encoding="utf-8")
    assert f"{quote(DAILY)}/" in (out / "index.html").read_text(encoding="utf-8")
    assert not any('viewBox="0 0 inf' in p.read_text(encoding="utf-8") for p in (out / DAILY).glob("page-*.html"))
