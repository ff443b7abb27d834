"""The Python API: what `publish` exports, and load/loads/collect as documented."""

from __future__ import annotations

import logging

import pytest

import publish
from publish.ingest.registry import unregister
from tests.conftest import EXAMPLES


def test_exports_exist_and_are_listed_once():
    assert len(publish.__all__) == len(set(publish.__all__))
    for name in publish.__all__:
        assert hasattr(publish, name), name
    public = {n for n in dir(publish) if not n.startswith("_") and n not in ("annotations",)}
    modules = {
        "article",
        "errors",
        "ingest",
        "cli",
        "fsutil",
        "report",
        "typeset",
        "layout",
        "render",
        "pipeline",
        "check",
        "clreq",
        "runtime",
        "speech",
        "batch",
        "issue",
        "config",
        "digest",
        "wording",
        "words",
        "editorial",
        "web",
    }
    assert public - modules - set(publish.__all__) == set()


def test_load_a_folder_and_a_file():
    articles = publish.load(EXAMPLES / "qingwu-daily")
    assert len(articles) == 7
    [one] = publish.load(str(EXAMPLES / "qingwu-daily" / "2026-11-20-p04-1.txt"))
    assert one.title == "外婆家的柿子树"


def test_load_raises_the_first_problem(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(publish.InputError, match="empty file"):
        publish.load(tmp_path)


def test_load_can_skip_bad_inputs(tmp_path, caplog):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "ok.txt").write_text("标题\n\n正文。\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="publish"):
        articles = publish.load(tmp_path, errors="skip")
    assert [a.title for a in articles] == ["标题"]
    assert "empty.txt: empty file" in caplog.text


def test_loads_detects_the_format():
    [article] = publish.loads('{"title": "标题", "content": "正文。"}')
    assert article.source.format == "json" and article.source.file == "<text>"


def test_errors_carry_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"title": "好"}\n{oops\n', encoding="utf-8")
    result = publish.collect([path])
    [error] = result.errors
    assert isinstance(error, publish.FormatError) and isinstance(error, publish.PublishError)
    assert (error.file, error.line) == (str(path), 2)


def test_register_a_reader_of_your_own(tmp_path):
    class Lines:
        name = "lines-test"
        extensions = (".lines",)
        description = "test reader: one title line"

        def sniff(self, doc):
            return 1.0 if doc.suffix == ".lines" else 0.0

        def read(self, doc):
            return [publish.Article(publish.Headline(title=doc.lines[0]))]

    publish.register(Lines())
    try:
        path = tmp_path / "a.lines"
        path.write_text("自定义格式\n", encoding="utf-8")
        assert [a.title for a in publish.load(path)] == ["自定义格式"]
        assert "lines-test" in publish.readers()
    finally:
        unregister("lines-test")
    assert "lines-test" not in publish.readers()
