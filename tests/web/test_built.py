"""The web edition of a real `publish build` (the examples plus an article with a column tag,
offline voice), read back: the sentences the audio reads are all shown, and `publish web`
over a build folder whose records were damaged."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

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
