"""Paper facts from masthead lines, page labels and e-paper URLs."""

from __future__ import annotations

import datetime as dt

import pytest

from publish.ingest.facts import facts_from_url, is_paper_name, parse_date, parse_furniture, parse_page_label


@pytest.mark.parametrize(
    ("line", "facts"),
    [
        ("国内统一刊号:CN52-0017 黔东南日报社出版", {"cn": "CN52-0017", "publisher": "黔东南日报社出版"}),
        ("2022年04月27日", {"date": dt.date(2022, 4, 27)}),
        ("2017年03月25日 星期六", {"date": dt.date(2017, 3, 25)}),
        ("第13版:文体新闻/体育", {"page": "13", "page_name": "文体新闻/体育"}),
        ("第01版：要闻", {"page": "1", "page_name": "要闻"}),
        ("A01版", {"page": "A01"}),
        ("第2/3版:上海新闻", {"page": "2/3", "page_name": "上海新闻"}),
        ("邮发代号：65-1  总第12345期", {"post_code": "65-1"}),
        ("CN 11-0065 人民日报社出版 今日24版", {"cn": "CN11-0065", "publisher": "人民日报社出版"}),
    ],
)
def test_furniture(line, facts):
    paper = parse_furniture(line)
    assert paper is not None
    for key, value in facts.items():
        assert getattr(paper, key) == value


@pytest.mark.parametrize(
    "line", ["稳就业 惠民生 办好家门口的招聘会", "□ 林晓雯", "2026年11月20日，记者来到溪口镇。", "第一版的故事很长，我们慢慢说"]
)
def test_text_is_not_furniture(line):
    assert parse_furniture(line) is None


def test_dates():
    assert parse_date("2022-04-27 10:30") == dt.date(2022, 4, 27)
    assert parse_date("发布于2022/4/7") == dt.date(2022, 4, 7)
    assert parse_date("2022年13月40日") is None


def test_page_labels():
    assert parse_page_label("第6/7版:上海新闻") == ("6/7", "上海新闻")
    assert parse_page_label("不是版面") is None


def test_founder_epaper_urls():
    paper, article_id = facts_from_url("http://paper.people.com.cn/rmrb/html/2017-03/25/nw.D110000renmrb_20170325_3-02.htm")
    assert (paper.name, paper.date, paper.page, article_id) == (
        "人民日报",
        dt.date(2017, 3, 25),
        "2",
        "nw.D110000renmrb_20170325_3-02",
    )
    paper, article_id = facts_from_url("https://www.example.cn/html/2022-04/27/content_186197.htm")
    assert (paper.name, paper.date, article_id) == (None, dt.date(2022, 4, 27), "186197")
    paper, _ = facts_from_url("https://paper.xinmin.cn/html/xmwb/2022-04-01/1.htm")
    assert (paper.name, paper.date) == ("新民晚报", dt.date(2022, 4, 1))


@pytest.mark.parametrize(
    "name", ["参考消息", "南方周末", "环球时报", "三联生活周刊", "人民日报海外版", "新华每日电讯", "青梧晚报", "瞭望", "本溪日报"]
)
def test_paper_names_beyond_bao(name):
    assert is_paper_name(name)


@pytest.mark.parametrize("text", ["本报", "第3版", "要闻", "外贸进出口", "本地时政", "喜报", "日报"])
def test_not_paper_names(text):
    assert not is_paper_name(text)


def test_short_article_id_in_a_url():
    assert facts_from_url("c14.html")[1] == "14"
    assert facts_from_url("http://epaper.example.cn/html/content_7.htm")[1] == "7"
