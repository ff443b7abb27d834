"""Any Unicode through the whole pipeline — parse → PDF → narration script → pinyin: no
traceback, and every character accounted for (printed or reported as 〓, in the script, read
or passed on unchanged)."""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import publish
from publish.check.pdf import check_pdf, comparable_text
from publish.clreq import MISSING_MARK
from publish.pipeline import articles_pdf, printed_text
from publish.speech.text.readings import PinyinReader
from publish.speech.text.script import narration

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")

SPECIAL = [
    "\u0000", "\u0007", "\u001b", "\u007f", "\u0085", "\u200b", "\u200d", "\u2028", "\u2029",  # controls, separators
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202e", "\u2066", "\u2069",  # bidi marks
    "\u0301", "\u0308", "\u20dd", "\u3099",  # combining marks
    "\ufe0f", "\ufe00", "\U000e0100", "\U000e01ef",  # variation selectors
    "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f1e8\U0001f1f3", "\u2764\ufe0f", "\U0001f44d\U0001f3fd",  # emoji
    "\ue000", "\ue3a1", "\ue81e", "\uf8ff", "\U000f0000", "\U0010fffd",  # private use
    "\u3603", "\u4dae", "\U00020bb7", "\U0002a6a5", "\U00030ede", "\U00031350", "\uf90a", "\u845b\U000e0100",  # rare Han
    "\u05d0\u05d1", "\u0627\u0644", "\u0e01\u0e34", "\u1100\u1161", "\u0915\u094d\u0937",  # other scripts
    "\ufffd", "\ufeff", "\u3013", "〓", "%", "&", "<", "\\", "1/2", "IP57", "https://a.example/b?c=d",
]  # fmt: skip
any_char = st.characters(codec=None, exclude_categories=("Cs",))  # every plane, surrogates aside
pieces = st.one_of(st.sampled_from(SPECIAL), st.text(any_char, max_size=6), st.sampled_from(["。", "，", "新闻", "\n\n"]))
bodies = st.lists(pieces, min_size=1, max_size=30).map("".join)


def pdf_text(data: bytes) -> str:
    """The articles' text on the pages as `publish check` reads it (artifacts such as a drawn hyphen left out)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.pdf"
        path.write_bytes(data)
        return check_pdf(path).extracted


def marks_once(text: str) -> str:
    """A combining mark repeated at one place is drawn each time, but PDF readers (pdfium and
    poppler alike) drop a glyph drawn again where the same one stands: compare it once. pdfium
    also drops a zero-width mark stacked on another (U+3099 U+0308: poppler reads both), so of
    marks stacked after a non-mark only the first is compared."""
    kept = [c for i, c in enumerate(text) if not (i and _mark(c) and _mark(text[i - 1]))]
    return PRESENTATION_FORMS.sub(lambda m: unicodedata.normalize("NFKC", m.group()), "".join(kept))


def _mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


# ligatures and presentation forms (ﬀ, ﬁ, ﭐ…): PDF readers give the letters they stand for
PRESENTATION_FORMS = re.compile("[\ufb00-\ufdff\ufe70-\ufeff]")


@pytest.fixture(scope="module")
def reader() -> PinyinReader:
    return PinyinReader()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(any_char, max_size=12), body=bodies)
@example(title="", body="\n\u3099\u0308")  # a mark stacked on a mark: pdfium reads only the first
def test_any_unicode_goes_through_every_stage(title, body, reader):
    source = f"标题{title}\n\n正文{body}。\n"
    try:
        articles = publish.loads(source, format="text")
    except publish.PublishError:
        return  # one clear line for the user (tested in the readers' own tests)
    kept = "".join(json.dumps(a.to_dict(), ensure_ascii=False) for a in articles)
    mapped = {"\ue81e": "\u9fb4"}  # GB 18030-2005's private-use code point for 龴
    for char in HAN.findall(source):
        assert mapped.get(char, char) in kept, f"{char!r} (U+{ord(char):04X}) lost in parse"

    missing = []
    pdf = articles_pdf(articles, on_missing=missing.append)
    printed = comparable_text(printed_text(articles))
    for gone in {m.char for m in missing}:
        printed = printed.replace(gone, MISSING_MARK)
    extracted = comparable_text(pdf_text(pdf.data))
    assert sorted(marks_once(printed)) == sorted(marks_once(extracted))  # every printed character is on the page (or its 〓)

    for article in articles:
        script = narration(article)
        said = "".join(u.text for u in script.utterances) + "".join(script.skipped)
        for char in HAN.findall(printed_text([article])):
            assert char in said, f"{char!r} (U+{ord(char):04X}) lost in the narration script"
        for utterance in script.utterances:
            assert not any(unicodedata.category(c) == "Cc" for c in utterance.request)

    readings = reader.readings(source)
    assert len(readings) == len(source)
    lines = reader.tone3_lines(source)
    assert len(lines) == len(source.rstrip("\n").split("\n"))
