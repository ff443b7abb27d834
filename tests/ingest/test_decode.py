"""Encoding detection: UTF-8 (BOM or not), UTF-16, GB18030/GBK and Big5; clear errors otherwise."""

from __future__ import annotations

import codecs
import re

import pytest

from publish.errors import DecodeError, InputError
from publish.ingest.decode import decode_bytes

SIMPLIFIED = "推进城乡供水一体化建设，改善偏远村寨饮水条件。记者走访了溪口镇的农贸市场，摊主们说生意比去年好多了。"
TRADITIONAL = "臺灣的報紙在週末發行特刊，記者訪問了當地居民，討論環境保護與經濟發展的問題，大家都很關心。"


@pytest.mark.parametrize(
    ("data", "text", "encoding"),
    [
        (SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), SIMPLIFIED, "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), SIMPLIFIED, "utf-16"),
        (SIMPLIFIED.encode("gbk"), SIMPLIFIED, "gb18030"),
        (SIMPLIFIED.encode("gb18030"), SIMPLIFIED, "gb18030"),
        (TRADITIONAL.encode("big5"), TRADITIONAL, "big5"),
        (b"plain ASCII text\n", "plain ASCII text\n", "utf-8"),
    ],
)
def test_detects_the_encoding(data, text, encoding):
    decoded = decode_bytes(data, "a.txt")
    assert (decoded.text, decoded.encoding) == (text, encoding)


def test_rare_characters_outside_gbk_survive_gb18030():
    text = SIMPLIFIED + "𠮷𪚥"  # outside the BMP: only GB18030's four-byte forms carry them
    assert decode_bytes(text.encode("gb18030"), "a.txt").text == text


def test_forced_encoding_is_strict():
    with pytest.raises(DecodeError, match=r"for encoding utf-8") as info:
        decode_bytes(b"line one\n" + SIMPLIFIED.encode("gbk"), "a.txt", encoding="utf-8")
    assert info.value.line == 2


def test_undecodable_bytes_name_the_line():
    data = "第一行\n第二行\n".encode() + b"\xff\xfe\xfa bad \x80\x80\xff"
    with pytest.raises(DecodeError) as info:
        decode_bytes(data, "bad.txt")
    assert info.value.line == 3
    assert str(info.value).startswith("bad.txt:3: undecodable bytes")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b" \n\t\n", "empty file (only white space)"),
        (b"%PDF-1.7\n...", "looks like a PDF document"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "looks like a PNG image"),
        (b"abc\x00\x01\x02def", "contains NUL bytes"),
    ],
)
def test_not_text_at_all(data, reason):
    with pytest.raises(InputError, match=re.escape(reason)):
        decode_bytes(data, "x.txt")
