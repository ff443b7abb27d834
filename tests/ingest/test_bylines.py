"""Bylines and datelines: names padded, glued and listed in every way newspapers print them."""

from __future__ import annotations

import json

import pytest

import publish
from publish.ingest.bylines import is_bare_byline, looks_like_name, parse_byline, parse_dateline


def people(text):
    parsed = parse_byline(text)
    return None if parsed is None else [(p.name, str(p.role)) for p in parsed.people]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("□ 刘俊明", [("刘俊明", "作者")]),
        ("■ 李 文", [("李文", "作者")]),
        ("本报记者  王伟健", [("王伟健", "记者")]),
        ("本报记者\u00a0\u00a0王伟健", [("王伟健", "记者")]),
        ("赵  鹏   林  蔚", [("赵鹏", "作者"), ("林蔚", "作者")]),
        ("岳宗德  李  明", [("岳宗德", "作者"), ("李明", "作者")]),
        ("首席记者  潘高峰", [("潘高峰", "记者")]),
        ("本报记者 周明远 通讯员 林小溪", [("周明远", "记者"), ("林小溪", "通讯员")]),
        ("本报特约通讯员  石磊  记者  韩雪", [("石磊", "通讯员"), ("韩雪", "记者")]),
        ("本报赴肯尼亚特派记者  周文澜", [("周文澜", "记者")]),
        ("吴建勋摄影报道", [("吴建勋", "摄影")]),
        ("本报记者 韩 雪摄影报道", [("韩雪", "摄影")]),
        ("新华社记者  王建威摄", [("王建威", "摄影")]),
        ("周文澜摄（新华社发）", [("周文澜", "摄影")]),
        ("本报评论员 仇慧敏", [("仇慧敏", "作者")]),
        ("焦翔、李锋、鲍捷", [("焦翔", "作者"), ("李锋", "作者"), ("鲍捷", "作者")]),
        ("阿依古丽·买买提", [("阿依古丽·买买提", "作者")]),
        # not bylines
        ("本报记者从中国人民银行获悉", None),
        ("■记者手记", None),
        ("——编 者", None),
        ("围绕乡村振兴目标，扎实推进基层治理创新", None),
        ("甲 乙 丙", None),
    ],
)
def test_parse_byline(text, expected):
    assert people(text) == expected


@pytest.mark.parametrize(
    ("text", "bare"), [("陈亚楠", True), ("吴越", True), ("求助", False), ("人民视觉", False), ("本报记者 王伟健", False)]
)
def test_bare_bylines_need_a_common_surname(text, bare):
    assert is_bare_byline(text) is bare


def test_compound_surnames():
    assert looks_like_name("欧阳文")
    assert looks_like_name("司马南")
    assert not looks_like_name("欧阳")


@pytest.mark.parametrize(
    ("paragraph", "text", "agency", "place", "date", "names"),
    [
        (
            "本报堪培拉3月24日电 （记者秦朗、许洁、邓凯）澳方表示",
            "本报堪培拉3月24日电",
            "本报",
            "堪培拉",
            "3月24日",
            ["秦朗", "许洁", "邓凯"],
        ),
        ("据新华社北京4月2日电（记者  方舟）记者从有关部门", "据新华社北京4月2日电", "新华社", "北京", "4月2日", ["方舟"]),
        ("本报讯（记者 孟群舒 通讯员 余若怡）今天", "本报讯", "本报", None, None, ["孟群舒", "余若怡"]),
        ("新华社成都4月21日电   四川省气象台", "新华社成都4月21日电", "新华社", "成都", "4月21日", []),
        ("本报北京3月25日电（沈悦、罗晶）一场", "本报北京3月25日电", "本报", "北京", "3月25日", ["沈悦", "罗晶"]),
    ],
)
def test_parse_dateline(paragraph, text, agency, place, date, names):
    parsed = parse_dateline(paragraph)
    assert (parsed.dateline.text, parsed.dateline.agency, parsed.dateline.place, parsed.dateline.date) == (
        text,
        agency,
        place,
        date,
    )
    assert [p.name for p in parsed.people] == names
    if names:
        assert str(parsed.people[0].role) == "记者"


def test_no_dateline_in_ordinary_prose():
    assert parse_dateline("本报记者日前走访了溪口镇。") is None
    assert parse_dateline("北京4月21日电（记者 X）") is None  # no agency: not a dateline we trust


def test_metadata_author_is_the_byline_when_the_text_prints_none(write):
    record = {"title": "溪口镇农贸市场开门", "content": "市场今天开门。", "authors": ["单丽华", "林小溪"]}
    [article] = publish.load(write("r.json", json.dumps(record, ensure_ascii=False)))
    assert article.headline_block[-1] == ("byline", "单丽华、林小溪")
    [article] = publish.load(write("m.md", "---\nauthor: 本报记者 周明远\n---\n\n# 标题在此\n\n正文一段。\n"))
    assert article.headline_block == [("title", "标题在此"), ("byline", "本报记者 周明远")]
    assert [b.text for b in article.blocks] == ["正文一段。"]


def test_metadata_author_is_not_printed_twice(write):
    [article] = publish.load(write("m.md", "---\nauthor: 周明远\n---\n\n# 标题在此\n\n本报记者 周明远\n\n正文一段。\n"))
    assert article.headline_block == [("title", "标题在此"), ("byline", "本报记者 周明远")]
    [article] = publish.load(write("n.md", "---\nauthor: 林小溪\n---\n\n# 标题在此\n\n本报记者 周明远\n\n正文一段。\n"))
    assert [b.text for b in article.bylines if b.position == "head"] == ["本报记者 周明远"]
    assert [p.name for p in article.people] == ["周明远", "林小溪"]


def test_a_record_author_is_printed_and_read(write):
    from publish.layout.blocks import headline_parts
    from publish.speech.text.script import narration, review

    record = {"title": "溪口镇农贸市场开门", "content": "市场今天开门。", "writer": "单丽华"}
    [article] = publish.load(write("r.json", json.dumps(record, ensure_ascii=False)))
    assert ("单丽华", "byline") in [(text, role) for text, role, _ in headline_parts(article)]
    assert "单丽华" in review(narration(article))
