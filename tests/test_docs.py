"""The README documents what users rely on: the two commands, every CLI command, the JSON keys."""

from __future__ import annotations

import re

import publish
from publish.article import BlockKind
from publish.cli import app
from publish.ingest import readers
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_two_setup_commands():
    assert "make run" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_every_command_is_documented():
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert names
    for name in names:
        assert f"publish {name}" in README, name


def test_every_format_is_documented():
    for name in readers():
        assert f"| `{name}` |" in README, name


def test_every_json_key_and_block_kind_is_documented():
    article = publish.loads("标题\n\n正文。\n")[0].to_dict()
    keys = set(article) | {f"paper.{k}" for k in article["paper"]} | {f"source.{k}" for k in article["source"]}
    for key in keys:
        assert f"`{key.split('.')[-1]}`" in README, key
    for kind in BlockKind:
        assert f"| `{kind.value}` |" in README, kind


def test_benchmark_figure_is_quoted():
    assert "benchmarks/parse_throughput.py" in README
    assert re.search(r"\*\*\d+(\.\d+)? MB/s\*\*", README)
