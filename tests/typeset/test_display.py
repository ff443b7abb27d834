"""Display lines break between words (publish.words), never inside one while a word boundary fits."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from publish.typeset import FontStack
from publish.typeset.display import compose_display
from publish.words import HAN_RUN, cuts, frequency, word_edges

FONTS = FontStack()
SIZE = 18.0


def visible(line) -> str:
    return "".join(g.text for g in line.glyphs if g.text.strip() and not g.artifact)


def lines(text: str, chars: float) -> list[str]:
    return [visible(line) for line in compose_display(text, "headline", SIZE, chars * SIZE, FONTS)]


def segmented(text: str) -> str:
    edges = [0, *cuts(text), len(text)]
    return "|".join(text[a:b] for a, b in zip(edges, edges[1:], strict=False))


# Headlines written for these tests: (text, the words of it that a break must never split)
HEADLINES = [
    ("溪口镇首家智慧农贸市场开业", ["农贸", "智慧", "市场", "溪口镇"]),
    ("国务院常务会议部署推进新型城镇化", ["国务院", "常务", "会议", "城镇化", "部署", "推进"]),
    ("习近平会见来访的外国元首", ["习近平", "会见", "来访", "外国", "元首"]),
    ("王小明获评全国劳动模范", ["王小明", "获评", "劳动", "模范"]),
    ("张晓明当选青梧市人大代表", ["张晓明", "当选", "人大代表"]),
    ("浦东新区推动数字化转型再提速", ["浦东", "数字化", "转型", "提速"]),
    ("全市中小学明起恢复线下教学", ["中小学", "恢复", "线下", "教学"]),
    ("青梧机场新航站楼今日正式投入使用", ["机场", "航站楼", "今日", "正式", "投入使用"]),
]


@pytest.mark.parametrize("text,whole", HEADLINES)
def test_headlines_never_split_a_word_at_any_measure(text, whole):
    longest = max(len(word) for word in segmented(text).split("|"))
    for chars in range(longest, len(text) + 1):
        set_lines = lines(text, chars)
        assert "".join(set_lines) == text
        ends, at = [], 0
        for line in set_lines[:-1]:
            at += len(line)
            ends.append(at)
        for word in whole:
            start = text.index(word)
            assert not any(start < end < start + len(word) for end in ends), (chars, set_lines, word)


def test_the_reported_headline_breaks_between_words_and_balances():
    assert lines("溪口镇首家智慧农贸市场开业", 10) == ["溪口镇首家智慧", "农贸市场开业"]
    assert lines("国务院常务会议部署推进新型城镇化", 10) == ["国务院常务会议部署", "推进新型城镇化"]
    assert lines("王小明获评全国劳动模范", 8) == ["王小明获评", "全国劳动模范"]
    assert lines("应检未检将被依法处理", 6) == ["应检未检", "将被依法处理"]  # 将 does not end a line
    assert lines("在学习历史中更好走向未来", 8) == ["在学习历史中", "更好走向未来"]


def test_phrases_come_first_words_only_inside_a_phrase_too_wide():
    # the space is the editor's break; inside 办好家门口的招聘会 no word is broken when it fits
    assert lines("稳就业 惠民生 办好家门口的招聘会", 10) == ["稳就业惠民生", "办好家门口的招聘会"]
    assert lines("稳就业 惠民生 办好家门口的招聘会", 7) == ["稳就业惠民生", "办好家门口的", "招聘会"]
    # after a closing mark and before an opening one
    assert lines("读懂《民法典》里的民生温度", 8) == ["读懂《民法典》", "里的民生温度"]
    assert lines("冬日暖阳里的“红马甲”志愿者", 9) == ["冬日暖阳里的", "“红马甲”志愿者"]


def test_a_word_wider_than_the_measure_breaks_inside_by_the_clreq_rules():
    set_lines = lines("中华人民共和国成立七十周年", 4)
    assert "".join(set_lines) == "中华人民共和国成立七十周年"
    assert all(len(line) <= 4 for line in set_lines)


def test_word_list_and_segmentation():
    assert frequency("农贸") > 0 and frequency("贸市") == 0 and frequency("") == 0
    assert segmented("溪口镇首家智慧农贸市场开业") == "溪口镇|首家|智慧|农贸市场|开业"
    assert segmented("王小明获评全国劳动模范") == "王小明|获评|全国|劳动模范"  # a name the list lacks
    assert word_edges("开业 新春农贸市场") == {5}  # offsets in the text, inside its runs of Han characters
    assert cuts("") == () and cuts("农") == ()


VOCABULARY = [
    "市场",
    "智慧",
    "农贸",
    "开业",
    "首家",
    "会议",
    "部署",
    "推进",
    "新型",
    "城镇化",
    "国务院",
    "常务",
    "乡村",
    "振兴",
    "文明",
    "城市",
    "创建",
    "工作",
    "群众",
    "服务",
    "中心",
    "正式",
    "启用",
    "发布",
    "通知",
    "交通",
    "出行",
    "提示",
    "春运",
    "返乡",
    "旅客",
    "高铁",
    "线路",
    "开通",
    "在",
    "的",
    "为",
    "新",
    "再",
]


@st.composite
def headlines(draw) -> str:
    parts = draw(st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=10))
    seps = draw(st.lists(st.sampled_from(["", "", "", " ", "，"]), min_size=len(parts), max_size=len(parts)))
    return "".join(word + sep for word, sep in zip(parts, seps, strict=True)).strip(" ，")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=headlines(), chars=st.integers(8, 20))
def test_any_headline_keeps_its_characters_fits_and_breaks_between_words(text, chars):
    set_lines = lines(text, chars)
    assert "".join(set_lines) == "".join(text.split())
    assert all(line.right <= chars * SIZE + 0.1 for line in compose_display(text, "headline", SIZE, chars * SIZE, FONTS))
    # every word (with a mark after it) fits, so no line ends inside a word of its run
    inside = set()
    stripped, offset = "", {}
    for i, ch in enumerate(text):
        if ch != " ":
            offset[i] = len(stripped)
            stripped += ch
    for run in HAN_RUN.finditer(text):
        edges = {run.start() + cut for cut in cuts(run.group())}
        inside |= {offset[k] for k in range(run.start() + 1, run.end()) if k not in edges}
    at = 0
    for line in set_lines[:-1]:
        at += len(line)
        assert at not in inside, (set_lines, segmented(stripped))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.text(
        st.sampled_from("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出，、“”《》 "), min_size=1, max_size=40
    ),
    chars=st.integers(2, 14),
)
@example(text="“““““", chars=2)  # no allowed break fits: the rules give way before the measure does
def test_any_text_keeps_its_characters_within_the_measure(text, chars):
    set_lines = compose_display(text, "headline", SIZE, chars * SIZE, FONTS)
    assert "".join(visible(line) for line in set_lines) == "".join(text.split())
    assert all(line.right <= chars * SIZE + 0.1 for line in set_lines), [visible(line) for line in set_lines]
