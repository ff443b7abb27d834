"""Punctuation restoration and cleaning: Chinese marks back between Han, ASCII kept in Latin."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.ingest.normalize import clean_line, fold, normalize_text, restore_punctuation, strip_decoration


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("围绕乡村振兴目标,扎实推进基层治理创新", "围绕乡村振兴目标，扎实推进基层治理创新"),
        ("(作者单位:青梧市群众艺术馆)", "（作者单位：青梧市群众艺术馆）"),
        ("国内统一刊号:CN52-0017 黔东南日报社出版", "国内统一刊号：CN52-0017 黔东南日报社出版"),
        ("共有3,000人参加,9:30开始", "共有3,000人参加，9:30开始"),
        ("增长12.5%(同比),创新高!", "增长12.5%（同比），创新高！"),
        ("怎么办?!", "怎么办？！"),
        ("1,2,3号楼", "1，2，3号楼"),
        ("刚果(布)渔业公司", "刚果（布）渔业公司"),
        ('他说"好",我们就走', "他说“好”，我们就走"),
        ("“真榊”,日本首相", "“真榊”，日本首相"),
        ("她却一字未提......", "她却一字未提……"),
        ("一是加强学习;二是改进作风", "一是加强学习；二是改进作风"),
        ("详见http://www.xinmin.cn:8080/a?id=3,谢谢", "详见http://www.xinmin.cn:8080/a?id=3，谢谢"),
        ("函数f(x)的值", "函数f(x)的值"),
        ("比分3:1获胜", "比分3:1获胜"),
        ("共有1,200,000人", "共有1,200,000人"),
    ],
)
def test_restores_chinese_marks(damaged, restored):
    assert restore_punctuation(damaged) == restored


@pytest.mark.parametrize("latin", ["Hello, world! (really?)", "a:b;c", "f(x) = 3,000", "see www.xinmin.cn...", 'say "hi"'])
def test_latin_text_is_untouched(latin):
    assert restore_punctuation(latin) == latin


def test_clean_line_removes_residue():
    assert clean_line("本报记者&nbsp;&nbsp;王伟健\u200b") == "本报记者  王伟健"
    assert clean_line("a\u3000b\u00a0c\td") == "a b c d"
    assert clean_line("x?a=1&para=2") == "x?a=1&para=2"  # a URL, not an entity
    # bidi overrides, embeddings and isolates (copy residue) would turn a title round in a browser tab or feed
    assert clean_line("控制\u202e反向\u202c标题\u2067x\u2069") == "控制反向标题x"
    assert normalize_text("　　本报讯(记者　林晓雯)今天") == "本报讯（记者 林晓雯）今天"


def test_strip_decoration():
    assert strip_decoration("□ 刘俊明") == "刘俊明"
    assert strip_decoration("■■ 李 文") == "李 文"
    assert strip_decoration("刘俊明") == "刘俊明"


han = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
pieces = st.one_of(
    st.text(han, min_size=1, max_size=6),
    st.sampled_from(
        [
            ",",
            ":",
            ";",
            "!",
            "?",
            "(",
            ")",
            '"',
            "...",
            " ",
            "3,000",
            "9:30",
            "CN52-0017",
            "www.a.cn",
            "ABC",
            "，",
            "。",
            "“",
            "”",
        ]
    ),
)
texts = st.lists(pieces, max_size=25).map("".join)


@settings(max_examples=400, deadline=None)
@given(texts)
def test_restoration_is_idempotent(text):
    once = restore_punctuation(text)
    assert restore_punctuation(once) == once


@settings(max_examples=400, deadline=None)
@given(texts)
def test_restoration_changes_width_only(text):
    """Only punctuation width changes: NFKC (and ASCII quotes) give back the input."""
    assert fold(restore_punctuation(text)) == fold(text)
    han_in = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    assert [c for c in restore_punctuation(text) if "\u4e00" <= c <= "\u9fff"] == han_in


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60))
def test_ascii_only_text_never_changes(text):
    assert restore_punctuation(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text(han, min_size=1, max_size=5), st.integers(1000, 10**9), st.text(han, min_size=1, max_size=5))
def test_grouped_numbers_keep_their_commas(before, number, after):
    grouped = f"{number:,}"
    assert grouped in restore_punctuation(f"{before}{grouped}{after}")


@settings(max_examples=300, deadline=None)
@given(st.text(han, min_size=1, max_size=5), st.sampled_from(",;:!?"), st.text(han, min_size=1, max_size=5))
def test_marks_between_han_become_full_width(before, mark, after):
    restored = restore_punctuation(f"{before}{mark}{after}")
    assert restored == before + unicodedata.normalize("NFKC", mark).translate(str.maketrans(",;:!?", "，；：！？")) + after


@pytest.mark.parametrize(
    ("damaged", "restored"),
    [
        ("这是一次质变”,2021年以来", "这是一次质变”，2021年以来"),
        ("他说“够了”,3个人都笑了", "他说“够了”，3个人都笑了"),
        ("发展的“快车道”;2022年", "发展的“快车道”；2022年"),
    ],
)
def test_comma_after_a_closing_quote_before_a_number(damaged, restored):
    assert restore_punctuation(damaged) == restored


def test_comma_after_a_latin_quote_stays_ascii():
    assert restore_punctuation("“Hello”, 2021 was a year") == "“Hello”, 2021 was a year"
