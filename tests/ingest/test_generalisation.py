"""Forms seen in other papers and crawlers than the corpus: traditional characters, other byline
and dateline shapes, trailers over several lines, JSON envelopes, web meta lines."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import publish
from publish.ingest.bylines import parse_byline, parse_dateline
from publish.ingest.decode import decode_bytes

BODY = "五月的桃源村，处处生机勃勃。村民们在菜园里忙着采摘。"


def people(text: str):
    parsed = parse_byline(text)
    return None if parsed is None else [(p.name, p.role.value) for p in parsed.people]


@pytest.mark.parametrize(
    ("byline", "expected"),
    [
        ("本报全媒体记者 张三", [("张三", "记者")]),
        ("本报融媒体记者 张三", [("张三", "记者")]),
        ("青山日报记者 张三", [("张三", "记者")]),
        ("撰文 张三 摄影 李四", [("张三", "作者"), ("李四", "摄影")]),
        ("记者 张三 通讯员 李四 摄影 王五", [("张三", "记者"), ("李四", "通讯员"), ("王五", "摄影")]),
        ("本报记者 张三/文 李四/图", [("张三", "作者"), ("李四", "摄影")]),
        ("张三 文", [("张三", "作者")]),
        ("文 张三", [("张三", "作者")]),
        ("■ 首席记者 张三 ■ 通讯员 李四", [("张三", "记者"), ("李四", "通讯员")]),
        ("作者：张三", [("张三", "作者")]),
        ("记者：张三 李四", [("张三", "记者"), ("李四", "记者")]),
        ("本报记者  张三  通讯员  王五  文/图", [("张三", "记者"), ("王五", "通讯员")]),
        ("记者 Mary Lee", [("Mary Lee", "记者")]),
        ("本報記者 張三", [("張三", "记者")]),
        ("新華社記者 陳明攝", [("陳明", "摄影")]),
        ("本报评论员", []),
    ],
)
def test_byline_forms(byline, expected):
    assert people(byline) == expected


@pytest.mark.parametrize(
    ("paragraph", "text", "names"),
    [
        ("新華社北京5月1日電（記者張三）今天", "新華社北京5月1日電", ["張三"]),
        ("本报讯（全媒体记者 张三）今天", "本报讯", ["张三"]),
        ("本报讯 记者张三报道 今天", "本报讯", ["张三"]),
        ("中新网5月1日电 今天", "中新网5月1日电", []),
        ("【新华社北京5月1日电】今天", "【新华社北京5月1日电】", []),
        ("央视网消息 今天", "央视网消息", []),
    ],
)
def test_dateline_forms(paragraph, text, names):
    parsed = parse_dateline(paragraph)
    assert parsed.dateline.text == text
    assert [p.name for p in parsed.people] == names


@pytest.mark.parametrize("line", ["■ 时评", "● 万家灯火", "□ 何去何从", "■相关链接"])
def test_decorated_short_headings_are_not_authors(line):
    [article] = publish.loads(f"标题在此\n\n{BODY}\n\n{line}\n\n{BODY}\n", format="text")
    assert article.people == []
    assert article.blocks[1].kind.value == "heading"


def test_end_marks_and_source_lines_are_notes():
    [article] = publish.loads(f"标题在此\n\n{BODY}\n\n据新华社\n\n全文完\n", format="text")
    assert [b.kind.value for b in article.blocks] == ["paragraph", "note", "note"]
    assert article.people == []


def test_traditional_article():
    text = f"青山縣推行河長制\n\n本報記者 張三\n\n新華社北京5月1日電（記者李四）{BODY}\n\n圖為村民在河邊植樹。\n\n（作者單位：青山大學）\n"
    [article] = publish.loads(text, format="text")
    assert [(p.name, p.role.value) for p in article.people] == [("張三", "记者"), ("李四", "记者")]
    assert [b.kind.value for b in article.blocks] == ["paragraph", "caption", "note"]


def test_big5_hkscs_text_decodes():
    text = "香港的報紙報道，恒生指數今日上升，市民嘅生活裏面有好多變化，大家都關心。"
    decoded = decode_bytes(text.encode("big5hkscs"), "hk.txt")
    assert (decoded.text, decoded.encoding) == (text, "big5hkscs")


def test_headline_block_without_byline_or_trailer_title():
    text = (
        f"守护一江清水\n\n青山县全面推行河长制\n\n三年治理河道两百公里\n\n{BODY}\n\n据介绍，今年全村蔬菜产量比去年增长了三成。\n"
    )
    [article] = publish.loads(text, format="enp")
    assert (article.kicker, article.title, article.subtitle) == ("守护一江清水", "青山县全面推行河长制", "三年治理河道两百公里")


def test_stripped_web_article_trailer():
    trailer = (
        "--> 123456 2023-05-12 08:30:00.0 王小明 青山县全面推行河长制 河长制 2 45 要闻 "
        "http://www.qs.cn/content/2023-05/12/content_123456.htm 青山日报 村里治水成效显著 1 /enpproperty-->"
    )
    [article] = publish.loads(f"青山县全面推行河长制\n\n{BODY}\n\n{trailer}\n")
    assert (article.title, article.paper.name, article.id) == ("青山县全面推行河长制", "青山日报", "123456")
    assert [(p.name, p.role.value) for p in article.people] == [("王小明", "作者")]


def test_masthead_opening_with_the_paper_name_and_a_web_meta_line():
    text = f"青山日报\n2023年5月12日 星期五\nA03版 要闻\n\n村里通了公交车\n\n发布时间：2023-05-12 10:00 来源：青山日报 作者：张三\n\n{BODY}\n"
    [article] = publish.loads(text, format="text")
    paper = article.paper
    assert (paper.name, paper.date, paper.page, paper.page_name) == ("青山日报", dt.date(2023, 5, 12), "A03", "要闻")
    assert (article.kicker, article.title) == (None, "村里通了公交车")
    assert [(p.name, p.role.value) for p in article.people] == [("张三", "作者")]
    assert [b.text for b in article.blocks] == [BODY]


@pytest.mark.parametrize(
    "document",
    [
        '{"title": "A", "content": "甲。"}{"title": "B", "content": "乙。"}',
        '[{"title": "A", "content": "甲。"}]\n[{"title": "B", "content": "乙。"}]',
        '{"data": {"list": [{"title": "A", "content": "甲。"}, {"title": "B", "content": "乙。"}]}}',
        '{"hits": {"hits": [{"_id": 1, "_source": {"title": "A", "content": "甲。"}}, {"_source": {"title": "B", "content": "乙。"}}]}}',
    ],
)
def test_json_envelopes_and_concatenated_values(document):
    assert [a.title for a in publish.loads(document, format="json")] == ["A", "B"]


def test_json_content_parts_and_html():
    record = {
        "title": "A",
        "content": [{"type": "p", "text": "<p>第一段。</p>"}, {"type": "p", "text": "第二段。<script>var x = 1;</script>"}],
    }
    [article] = publish.loads(json.dumps(record, ensure_ascii=False), format="json")
    assert [b.text for b in article.blocks] == ["第一段。", "第二段。"]


def test_record_body_lines_are_never_dropped():
    record = {"title": "标题", "content": "段一。\n段二。\n段三。\n\n\u3000\u3000正文。"}
    [article] = publish.loads(json.dumps(record, ensure_ascii=False), format="json")
    assert [b.text for b in article.blocks] == ["段一。", "段二。", "段三。", "正文。"]


def test_csv_problems_are_reported(write):
    assert "no title or content column" in str(publish.collect([write("a.csv", "foo,bar\n1,2\n")]).errors[0])
    result = publish.collect([write("b.csv", "title,content\nT,正文。,多余列\n")])
    assert [str(e).split(": ", 1)[1] for e in result.errors] == ["record 1 has 1 more value than the header row has columns"]


def test_markdown_lead_after_byline_and_multi_line_quote(write):
    text = "# 标题\n\n本报记者 张三\n\n> 提要第一行，\n> 提要第二行。\n\n正文。\n\n> 引文一行\n> 引文二行。\n\n- 第一项\n  续行\n"
    [article] = publish.load(write("a.md", text))
    assert [(b.kind.value, b.text) for b in article.blocks] == [
        ("lead", "提要第一行，提要第二行。"),
        ("paragraph", "正文。"),
        ("paragraph", "引文一行引文二行。"),
        ("list_item", "第一项续行"),
    ]


def test_cli_usage_errors(tmp_path):
    from typer.testing import CliRunner

    from publish.cli import app

    (tmp_path / "a.txt").write_text(f"标题\n\n{BODY}\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(app, ["parse", str(tmp_path / "a.txt"), "-o", str(tmp_path)])
    assert result.exit_code == 2 and "is a folder" in result.stderr
    result = runner.invoke(app, ["parse", str(tmp_path / "a.txt"), "--encoding", "nope"])
    assert result.exit_code == 2 and "unknown encoding 'nope'" in result.stderr


def test_lone_brackets_stay_linear():
    """Thousands of unmatched brackets in one paragraph (a known slow path) still parse."""
    text = "标题\n\n" + "第1项)说明。" * 8000 + "\n"
    [article] = publish.loads(text, format="text")
    assert article.blocks[0].text.count("）") == 8000
