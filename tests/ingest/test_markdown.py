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
