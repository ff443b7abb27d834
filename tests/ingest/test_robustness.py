"""Whatever bytes arrive, reading ends in articles or PublishErrors — never a crash or a hang."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import publish

pieces = st.sampled_from(
    [
        "\n",
        "\n\n",
        "    ",
        "\u3000\u3000",
        "标题",
        "本报记者 王伟健",
        "□ 刘俊明",
        "（作者单位：某某大学）",
        "编者按：",
        "——编 者",
        "记者：",
        "问：",
        "●时间：",
        "（一）",
        "图为",
        "摄",
        "--> 2022-04-27 1 黔东南日报 c1.html 1 标题 /enpproperty-->",
        "国内统一刊号:CN52-0017",
        "第13版:要闻",
        "2022年04月27日",
        "---",
        "title: x",
        "# 标题",
        "## 小节",
        "- 项",
        "正文写了一句话。",
        ",",
        "(",
        ")",
        '"',
        "......",
        "&nbsp;",
        "3,000",
        "9:30",
        "{",
        "}",
        "[",
        "]",
        "\x00",
        "\ufeff",
    ]
)
texts = st.lists(st.one_of(pieces, st.text(max_size=8)), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=texts, suffix=st.sampled_from([".txt", ".md", ".json", ".jsonl", ".csv"]))
def test_any_text_is_read_or_reported(tmp_path, text, suffix):
    path = tmp_path / f"input{suffix}"
    path.write_text(text, encoding="utf-8")
    result = publish.collect([path])
    for error in result.errors:
        assert isinstance(error, publish.PublishError)
        assert "internal error" not in str(error), str(error)
    for article in result.articles:
        assert article.title
        json.dumps(article.to_dict(), ensure_ascii=False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_are_read_or_reported(tmp_path, data):
    path = tmp_path / "input.txt"
    path.write_bytes(data)
    result = publish.collect([path])
    assert all("internal error" not in str(e) for e in result.errors)
