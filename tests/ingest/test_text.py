"""Plain text written by people: title line, byline, paragraphs; hard-wrapped lines joined."""

from __future__ import annotations

import publish


def test_plain_text_article(write):
    path = write(
        "weather.txt",
        "强冷空气明起来袭\n——全市将降温8至10℃\n\n本报记者 曾晓岚\n\n受强冷空气影响，明天起我市将有一次明显降温过程。\n\n请市民注意防寒保暖。\n",
        encoding="gb18030",
    )
    [article] = publish.load(path)
    assert article.source.encoding == "gb18030" and article.source.format == "text"
    assert (article.title, article.subtitle) == ("强冷空气明起来袭", "——全市将降温8至10℃")
    assert [p.name for p in article.people] == ["曾晓岚"]
    assert len(article.blocks) == 2


def test_hard_wrapped_paragraphs_are_joined(write):
    body = "受强冷空气影响，明天起我市将有一次明显降温过\n程，最低气温将降至零下三度左右，请市民注意\n防寒保暖，出行注意安全。\n"
    [article] = publish.load(write("w.txt", "降温提醒\n\n" + body))
    assert [b.text for b in article.blocks] == [
        "受强冷空气影响，明天起我市将有一次明显降温过程，最低气温将降至零下三度左右，请市民注意防寒保暖，出行注意安全。"
    ]
    assert article.blocks[0].lines.first == 3 and article.blocks[0].lines.last == 5


def test_one_paragraph_per_line_when_not_wrapped(write):
    [article] = publish.load(write("w.txt", "降温提醒\n明天降温。\n后天回暖，气温回升到十度以上。\n"))
    assert [b.text for b in article.blocks] == ["明天降温。", "后天回暖，气温回升到十度以上。"]


def test_front_matter_in_plain_text(write):
    [article] = publish.load(write("f.txt", "---\npaper: 青梧晚报\ndate: 2026-11-21\n---\n降温提醒\n\n明天降温。\n"))
    assert (article.paper.name, article.title) == ("青梧晚报", "降温提醒")
