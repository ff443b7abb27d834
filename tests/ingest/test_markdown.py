"""Markdown written by people: front matter, # title, ## headings, lists, images, lead quote."""

from __future__ import annotations

import datetime as dt

import pytest

import publish
from publish import BlockKind
from publish.errors import FormatError

DOC = """---
paper: 青梧日报
cn: CN99-0123
date: 2026-11-20
page: 3
page_name: 经济
kicker: 外贸一线观察
subtitle: ——一论稳住外贸基本盘
author: 本报评论员 仇慧敏
---

# 让小微外贸企业“出海”更有底气

> 稳外贸，关键在稳住千千万万家小微企业。

前10个月，全市外贸进出口总值同比增长8.7%，
其中小微企业贡献过半。

## 金融服务要更“解渴”

- 定期发布重点市场需求信息；
- 组织企业**抱团**参展。

![图为外贸企业员工在打包货物。](packing.jpg "本报记者 许晴 摄")

详见[青梧日报网](https://www.qingwu-daily.example)。
"""


def test_markdown_article(write):
    [article] = publish.load(write("c.md", DOC))
    assert article.source.format == "markdown"
    assert (article.kicker, article.title, article.subtitle) == (
        "外贸一线观察",
        "让小微外贸企业“出海”更有底气",
        "——一论稳住外贸基本盘",
    )
    assert (article.paper.name, article.paper.cn, article.paper.date, article.paper.page) == (
        "青梧日报",
        "CN99-0123",
        dt.date(2026, 11, 20),
        "3",
    )
    assert [(p.name, p.role.value) for p in article.people] == [("仇慧敏", "作者")]
    assert [b.kind for b in article.blocks] == [
        BlockKind.LEAD,
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.LIST_ITEM,
        BlockKind.LIST_ITEM,
        BlockKind.CAPTION,
        BlockKind.PARAGRAPH,
    ]
    assert article.blocks[1].text == "前10个月，全市外贸进出口总值同比增长8.7%，其中小微企业贡献过半。"
    assert article.blocks[4].text == "组织企业抱团参展。"
    caption = article.blocks[5]
    assert (caption.text, caption.credit, caption.image) == ("图为外贸企业员工在打包货物。", "本报记者 许晴 摄", "packing.jpg")
    assert article.blocks[6].text == "详见青梧日报网。"
    assert (article.blocks[1].lines.first, article.blocks[1].lines.last) == (16, 17)


def test_title_from_front_matter_only(write):
    [article] = publish.load(write("t.md", "---\ntitle: 只有前言里的标题\n---\n\n正文一段。\n"))
    assert article.title == "只有前言里的标题"
    assert [b.text for b in article.blocks] == ["正文一段。"]


def test_unclosed_front_matter_is_an_error(write):
    path = write("u.md", "---\ntitle: 标题\n\n正文。\n")
    with pytest.raises(FormatError, match="front matter opened with '---' is never closed") as info:
        publish.load(path)
    assert info.value.line == 1


def test_markdown_without_title(write):
    with pytest.raises(FormatError, match="no title"):
        publish.load(write("n.md", "只有正文，没有标题。\n"))


TABLE_DOC = """---
title: 前10个月各区外贸
date: 2026-11-20
page: 03
author:
  - 单丽华
  - 林小溪
---

各区增速*均为*正，**东城**领先。

| 区 | 增速 | 备注 |
|---|---:|---|
| 东城 | 12.5% | *新* |
| 西城 | 8.7% |  |

- 第一项
- 第二项

1. 报名
2. 参会
"""


def test_tables_emphasis_and_lists(write):
    result = publish.collect([write("t.md", TABLE_DOC)])
    assert not result.errors and not result.warnings
    [article] = result.articles
    assert (article.title, article.paper.date, article.paper.page) == ("前10个月各区外贸", dt.date(2026, 11, 20), "3")
    assert article.headline_block[-1] == ("byline", "单丽华、林小溪")
    assert [(b.kind.value, b.marker, b.text) for b in article.blocks] == [
        ("paragraph", None, "各区增速均为正，东城领先。"),
        ("paragraph", None, "区｜增速｜备注"),
        ("paragraph", None, "东城｜12.5%｜新"),
        ("paragraph", None, "西城｜8.7%｜"),
        ("list_item", "●", "第一项"),
        ("list_item", "●", "第二项"),
        ("list_item", "1.", "报名"),
        ("list_item", "2.", "参会"),
    ]
    assert [b.lines.first for b in article.blocks[1:4]] == [12, 14, 15]


def test_unsupported_syntax_is_kept_and_reported(write):
    text = (
        '# 标题\n\n正文提到一处注释[^1]。\n\n<div class="box">\n<p>盒子里的话。</p>\n</div>\n\n<!-- 作者自留的备注 -->\n\n'
        "```\n代码一行\n```\n\n这段有~~删掉的~~字。\n\n[^1]: 注释的内容。\n"
    )
    path = write("w.md", text)
    result = publish.collect([path])
    assert not result.errors
    assert [b.text for b in result.articles[0].blocks] == [
        "正文提到一处注释[^1]。",
        "盒子里的话。",
        "代码一行",
        "这段有删掉的字。",
        "[^1]：注释的内容。",
    ]
    assert [str(w) for w in result.warnings] == [
        f"{path}:3: Markdown: footnote references ([^1]) are not supported: kept as text",
        f"{path}:5: Markdown: an HTML block is not supported: its text is kept, the tags dropped",
        f"{path}:11: Markdown: a code block is not supported: its lines are printed as plain paragraphs",
        f"{path}:15: Markdown: struck-out text (~~…~~): printed as plain text",
        f"{path}:17: Markdown: footnote [^1] is not supported: printed as a paragraph",
    ]
    assert "作者自留的备注" not in str(result.articles[0].to_dict())


def test_a_lead_of_two_paragraphs(write):
    [article] = publish.load(write("l.md", "# 标题\n\n> 提要第一段。\n>\n> 提要第二段。\n\n正文。\n"))
    assert [(b.kind.value, b.text) for b in article.blocks] == [
        ("lead", "提要第一段。"),
        ("lead", "提要第二段。"),
        ("paragraph", "正文。"),
    ]


@pytest.mark.parametrize(
    ("front", "line", "reason"),
    [
        ("title: 标题\nkicker: [未闭合\n", 3, "front matter is not valid YAML: "),
        ("title: 标题: 还有冒号\n", 2, "front matter is not valid YAML: mapping values are not allowed here"),
        ("- 只是一个列表\n", 2, "front matter must be 'key: value' lines (an ASCII colon, then a space)"),
        ("标题：全角冒号\n", 2, "front matter must be 'key: value' lines (an ASCII colon, then a space)"),
    ],
)
def test_bad_yaml_front_matter_is_one_line(write, front, line, reason):
    path = write("y.md", f"---\n{front}---\n\n正文。\n")
    with pytest.raises(FormatError) as info:
        publish.load(path)
    assert info.value.line == line
    assert str(info.value).startswith(f"{path}:{line}: {reason}")
    assert "\n" not in str(info.value)


def test_front_matter_that_yaml_would_trip_on(write):
    [article] = publish.load(write("d.md", "---\ndate: 2026-13-45\ntitle: 标题\n---\n\n正文。\n"))
    assert (article.title, article.paper.date) == ("标题", None)  # an impossible date is no date, not a crash
    with pytest.raises(FormatError, match="a YAML alias loop"):
        publish.load(write("a.md", "---\ntitle: 标题\nx: &x [*x]\n---\n\n正文。\n"))
    [article] = publish.load(write("t.md", '+++\ntitle = "标题"\ndate = 2026-11-20\n+++\n\n正文。\n'))
    assert (article.title, article.paper.date) == ("标题", dt.date(2026, 11, 20))
