"""The e-paper dump form and its Founder ENP trailer, tag-stripped or not."""

from __future__ import annotations

import datetime as dt

import pytest

import publish
from publish.errors import FormatError
from publish.ingest.formats.enp import parse_trailer

DUMP = """国内统一刊号:CN99-0123 青梧日报社出版

2026年11月20日

第03版:经济

前10个月全市外贸数据出炉

外贸进出口总值同比增长8.7%

□ 单丽华

今年以来,我市外贸企业积极拓市场、抢订单,进出口保持稳中有进的态势。

跨境电商成新引擎

全市跨境电商交易额达到3,000万元,同比增长12.5%。

{trailer}
"""


@pytest.mark.parametrize(
    ("trailer", "facts"),
    [
        (
            "--> 2022-04-27 1 1 黔东南日报 c186197.html 1 稳就业 惠民生 办好家门口的招聘会 /enpproperty-->",
            {"date": "2022-04-27", "paper": "黔东南日报", "url": "c186197.html", "title": "稳就业 惠民生 办好家门口的招聘会"},
        ),
        (
            "--> 2026-11-20 09:30:00 单丽华 3 7 青梧日报 content_300106.htm 2 外贸进出口总值同比增长8.7% /enpproperty-->",
            {"date": "2026-11-20", "paper": "青梧日报", "author": "单丽华", "title": "外贸进出口总值同比增长8.7%"},
        ),
        (
            "<!--enpproperty <date>2026-11-20</date><author>单丽华</author><subtitle></subtitle><introtitle>前10个月</introtitle>"
            "<id>300106</id><nodename>青梧日报</nodename><url>c300106.html</url><title>外贸增长</title> /enpproperty-->",
            {
                "date": "2026-11-20",
                "paper": "青梧日报",
                "id": "300106",
                "author": "单丽华",
                "title": "外贸增长",
                "texts": ["前10个月"],
            },
        ),
        (
            "<!--enpproperty <founder-date>2017-10-09 23:59:57</founder-date><founder-pagenum>A01</founder-pagenum>"
            "<founder-papername>江西日报</founder-papername><founder-type>2</founder-type> /enpproperty-->",
            {"date": "2017-10-09 23:59:57", "paper": "江西日报", "page": "A01"},
        ),
        (
            "&nbsp;--> 2017-10-09 23:59:57 A01 江西日报 2 /enpproperty-->",
            {"date": "2017-10-09", "paper": "江西日报", "page": "A01"},
        ),
    ],
)
def test_trailer_by_token_shape(trailer, facts):
    parsed = parse_trailer(trailer)
    for key, value in facts.items():
        assert getattr(parsed, key) == value, key


def test_dump_with_page_label_and_trailer():
    text = DUMP.format(trailer="--> 2026-11-20 1 3 青梧日报 c300106.html 1 外贸进出口总值同比增长8.7% /enpproperty-->")
    [article] = publish.loads(text, name="p03.txt")
    assert article.source.format == "enp"
    assert (article.paper.name, article.paper.cn, article.paper.date) == ("青梧日报", "CN99-0123", dt.date(2026, 11, 20))
    assert (article.paper.page, article.paper.page_name) == ("3", "经济")
    assert (article.kicker, article.title, article.id) == ("前10个月全市外贸数据出炉", "外贸进出口总值同比增长8.7%", "300106")
    assert [p.name for p in article.people] == ["单丽华"]
    assert [b.kind.value for b in article.blocks] == ["paragraph", "heading", "paragraph"]
    assert "3,000万元，同比增长12.5%。" in article.blocks[2].text


def test_trailer_names_the_kicker_so_two_lines_split_right():
    """Without the trailer the second line could be a subtitle; the trailer's title settles it."""
    text = DUMP.format(
        trailer="--> 2026-11-20 前10个月全市外贸数据出炉 1 3 青梧日报 c300106.html 1 外贸进出口总值同比增长8.7% /enpproperty-->"
    )
    [article] = publish.loads(text)
    assert article.kicker == "前10个月全市外贸数据出炉"


def test_dump_without_trailer_still_reads():
    text = DUMP.format(trailer="")
    [article] = publish.loads(text, format="enp")
    assert article.title == "外贸进出口总值同比增长8.7%"
    assert article.paper.name == "青梧日报"  # from the publisher line


def test_trailer_only_is_an_error():
    text = "--> 2022-04-27 1 1 黔东南日报 c186197.html 1 标题 /enpproperty-->\n"
    with pytest.raises(FormatError, match="only an ENP trailer, no article text") as info:
        publish.loads(text, name="t.txt")
    assert info.value.line == 1


def test_masthead_only_is_an_error():
    with pytest.raises(FormatError, match="only masthead lines"):
        publish.loads("国内统一刊号:CN52-0017 黔东南日报社出版\n\n2022年04月27日\n", name="m.txt")


def test_kicker_title_subtitle_and_two_role_byline():
    text = (
        "国内统一刊号:CN99-0123 青梧日报社出版\n\n2026年05月10日 星期日\n\n凯里路上的雨季\n\n部署今年防汛工作\n\n"
        "——确保人民群众生命财产安全\n\n本报记者 杨光 通讯员 吴丽\n\n本报讯(记者 杨光 通讯员 吴丽)5月9日,全市防汛工作会议召开。\n\n"
        "会议要求,各地要在5月15日前完成隐患排查。\n\n"
        "--> 2026-05-10 1 1 青梧日报 c500123.html 1 部署今年防汛工作 /enpproperty-->\n"
    )
    [article] = publish.loads(text)
    assert (article.kicker, article.title, article.subtitle) == (
        "凯里路上的雨季",
        "部署今年防汛工作",
        "——确保人民群众生命财产安全",
    )
    assert [(p.name, p.role.value) for p in article.people] == [("杨光", "记者"), ("吴丽", "通讯员")]
    assert article.dateline.text == "本报讯"
    assert article.blocks[0].text.startswith("本报讯（记者 杨光 通讯员 吴丽）5月9日，")


def test_dump_without_blank_lines_between_paragraphs():
    text = (
        "溪口镇首家智慧农贸市场开门\n□ 单丽华\n昨天,溪口镇首家智慧农贸市场开门迎客,一百多个摊位全部启用。\n"
        "●时间:每天6:00—19:00\n●地点:溪口镇新街12号\n市场负责人说,下一步将开通网上订菜。\n"
    )
    [article] = publish.loads(text, format="enp")
    assert article.title == "溪口镇首家智慧农贸市场开门"
    assert [b.kind.value for b in article.blocks] == ["paragraph", "list_item", "list_item", "paragraph"]


def test_photo_dump():
    text = "银杏满街秋意浓\n\n本报记者 许晴 摄\n\n图为11月19日,市民在银杏大道上拍照留念。\n\n--> 2026-11-20 1 1 青梧日报 c300103.html 1 银杏满街秋意浓 /enpproperty-->\n"
    [article] = publish.loads(text)
    assert [(p.name, p.role.value) for p in article.people] == [("许晴", "摄影")]
    assert [b.kind.value for b in article.blocks] == ["caption"]


def test_trailer_over_several_lines_then_a_footer():
    text = (
        "青山村通了公交车\n\n本报记者 杨光\n\n5月11日,青山村第一班公交车开进了村口。\n\n"
        "<!--enpproperty 2023-05-12 1 3\n青山日报 c200001.html 1 青山村通了公交车\n/enpproperty-->\n"
        "责任编辑:王五\n"
    )
    [article] = publish.loads(text)
    assert (article.paper.name, article.id, article.paper.date) == ("青山日报", "200001", dt.date(2023, 5, 12))
    assert [(b.kind.value, b.text) for b in article.blocks] == [
        ("paragraph", "5月11日，青山村第一班公交车开进了村口。"),
        ("note", "责任编辑：王五"),
    ]


def test_tagged_web_article_trailer_names_the_source_paper():
    trailer = (
        "<!--enpproperty <articleid>5364886</articleid><date>2016-10-31 09:28:27.0</date><author>郭奋</author>"
        "<title>茅台三季报</title><keyword>茅台</keyword><subtitle>两位数增长</subtitle><introtitle></introtitle>"
        "<siteid>2</siteid><nodeid>423</nodeid><nodename>本地时政</nodename><sourcename>青山日报</sourcename>/enpproperty-->"
    )
    parsed = parse_trailer(trailer)
    assert (parsed.paper, parsed.id, parsed.title, parsed.subtitle, parsed.author) == (
        "青山日报",
        "5364886",
        "茅台三季报",
        "两位数增长",
        "郭奋",
    )
    [article] = publish.loads(f"茅台三季报\n\n正文第一段。\n\n{trailer}\n")
    assert article.subtitle == "两位数增长"


@pytest.mark.parametrize("paper", ["参考消息", "南方周末", "青梧周刊"])
def test_paper_names_not_ending_in_bao_in_header_and_trailer(paper):
    dump = (
        f"{paper}\n\n2026年11月20日 星期五\n\n第03版:经济\n\n外贸数据出炉\n\n正文第一段,讲外贸。\n\n"
        f"--> 2026-11-20 1 1 {paper} c14.html 1 外贸数据出炉 /enpproperty-->\n"
    )
    parsed = parse_trailer(dump.splitlines()[-1])
    assert (parsed.paper, parsed.url) == (paper, "c14.html")
    [article] = publish.loads(dump)
    assert (article.paper.name, article.id, article.title) == (paper, "14", "外贸数据出炉")
    assert [b.text for b in article.blocks] == ["正文第一段，讲外贸。"]
    [article] = publish.loads(dump.rsplit("-->", 2)[0].rsplit("\n", 1)[0] + "\n")  # the header alone names it
    assert article.paper.name == paper


def test_the_nodename_slot_names_a_paper_of_any_name():
    parsed = parse_trailer("--> 2026-11-20 1 1 瞭望东方 c14.html 1 外贸数据出炉 /enpproperty-->")
    assert (parsed.paper, parsed.title) == ("瞭望东方", "外贸数据出炉")
    parsed = parse_trailer("--> 2026-11-20 单丽华 3 7 青梧日报 content_300106.htm 2 标题 /enpproperty-->")
    assert (parsed.paper, parsed.author) == ("青梧日报", "单丽华")
