"""Crawler records in JSON, JSON Lines and CSV; one bad record never stops the others."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import publish
from publish import BlockKind

RECORD = {
    "special_title": "寒潮来临前",
    "title": "南岭街道志愿者上门送“暖心包”",
    "subtitle": "320户独居老人收到过冬物资",
    "content": "    昨天，南岭街道的志愿者把棉被送到老人家中。    冷不冷？缺不缺？志愿者一户户问清楚。    本报记者  吴思远",
    "url": "https://evening.qingwu.example/html/2026-11-21/3.htm",
    "date": "2026-11-21",
    "ban": "第3版:城市新闻",
    "paper": "青梧晚报",
}


def test_single_json_record(write):
    path = write("one.json", json.dumps(RECORD, ensure_ascii=False))
    [article] = publish.load(path)
    assert (article.kicker, article.title, article.subtitle) == (
        "寒潮来临前",
        "南岭街道志愿者上门送“暖心包”",
        "320户独居老人收到过冬物资",
    )
    assert (article.paper.name, article.paper.date, article.paper.page, article.paper.page_name) == (
        "青梧晚报",
        dt.date(2026, 11, 21),
        "3",
        "城市新闻",
    )
    assert [b.kind for b in article.blocks] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH, BlockKind.BYLINE]
    assert [(p.name, p.role.value) for p in article.people] == [("吴思远", "记者")]
    assert article.source.format == "json" and article.source.record == 1


def test_json_list_and_wrapped_records_report_their_lines(write):
    second = dict(RECORD, title="第二篇", content="<p>第一段。</p><p>第二段&nbsp;写完了。</p>")
    path = write("list.json", json.dumps({"articles": [RECORD, second]}, ensure_ascii=False, indent=2))
    articles = publish.load(path)
    assert [a.title for a in articles] == ["南岭街道志愿者上门送“暖心包”", "第二篇"]
    assert [b.text for b in articles[1].blocks] == ["第一段。", "第二段 写完了。"]
    path = write("array.json", json.dumps([RECORD, second], ensure_ascii=False, indent=2))
    articles = publish.load(path)
    assert [a.source.lines.first for a in articles] == [2, 12]


def test_chinese_field_names_and_author_field(write):
    record = {
        "标题": "溪口镇农贸市场开门",
        "正文": "市场今天开门。\n摊位有120个。",
        "作者": "单丽华",
        "日期": "2026年11月20日",
        "版次": "A02",
    }
    [article] = publish.load(write("cn.json", json.dumps(record, ensure_ascii=False)))
    assert article.title == "溪口镇农贸市场开门"
    assert [b.text for b in article.blocks] == ["市场今天开门。", "摊位有120个。"]
    assert article.paper.page == "A02" and article.paper.date == dt.date(2026, 11, 20)
    assert [(p.name, p.role.value) for p in article.people] == [("单丽华", "作者")]
    assert article.bylines[0].position == "head"  # the only byline: printed and read
    assert ("byline", "单丽华") in article.headline_block


def test_jsonl_with_a_broken_line(write):
    good = json.dumps(RECORD, ensure_ascii=False)
    path = write(
        "feed.jsonl",
        "\n".join([good, '{"title": "坏记录", "content": ', good.replace("暖心包", "棉被"), '["not", "a record"]']) + "\n",
    )
    result = publish.collect([path])
    assert [a.title for a in result.articles] == ["南岭街道志愿者上门送“暖心包”", "南岭街道志愿者上门送“棉被”"]
    assert [str(e) for e in result.errors] == [
        f"{path}:2: invalid JSON in record 2: Expecting value (column 29)",
        f"{path}:4: record 4 is a JSON list, not an object with fields",
    ]


def test_csv_records(write):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["special_title", "title", "subtitle", "content", "date", "ban"])
    writer.writeheader()
    writer.writerow({k: RECORD[k] for k in writer.fieldnames})
    writer.writerow({"title": "", "content": "没有标题的记录", "date": "2026-11-21", "ban": ""})
    path = write("feed.csv", buffer.getvalue())
    result = publish.collect([path])
    assert [a.title for a in result.articles] == ["南岭街道志愿者上门送“暖心包”"]
    assert [str(e) for e in result.errors] == [f"{path}:3: record 2 has no title field (title, 标题, headline, …)"]


def test_invalid_json_file_names_the_line(write):
    path = write("bad.json", '{\n  "title": "标题",\n  "content": "正文"\n  "date": "2026-11-21"\n}\n')
    result = publish.collect([path])
    assert [str(e) for e in result.errors] == [f"{path}:4: invalid JSON: Expecting ',' delimiter (column 3)"]


def test_jsonl_with_crlf_and_line_separators_inside_strings(write):
    record = dict(RECORD, content="第一段\u2028仍是第一段。    第二段。")
    line = json.dumps(record, ensure_ascii=False)
    path = write("crlf.jsonl", f"{line}\r\n{line}\r\n")
    result = publish.collect([path])
    assert result.errors == []
    assert [a.source.lines.first for a in result.articles] == [1, 2]
