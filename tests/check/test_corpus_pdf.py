"""The done-when figures of the composer, on every real article: the seed and the corpus set
into 13-character columns at 9 pt, then read back and judged by `publish check`."""

from __future__ import annotations

import pytest

import publish
from publish.check.pdf import check_pdf
from publish.pipeline import articles_pdf, printed_text
from tests.conftest import SEED, require_shared


@pytest.fixture(scope="module")
def corpus_report(tmp_path_factory):
    shared = require_shared()
    articles = publish.load([SEED, shared / "corpus"])
    assert len(articles) == 71
    made = articles_pdf(articles)
    path = tmp_path_factory.mktemp("corpus") / "corpus.pdf"
    path.write_bytes(made.data)
    return made, check_pdf(path, printed_text(articles))


def test_no_faults_at_all(corpus_report):
    made, report = corpus_report
    assert made.missing == []  # every character has a glyph in its role's fonts
    assert report.faults == []
    assert report.ok


def test_every_non_final_line_is_flush(corpus_report):
    _, report = corpus_report
    assert report.checked_flush > 5000
    assert report.flush == report.checked_flush


def test_expansion_within_a_tenth_em_on_95_percent_never_above_a_quarter(corpus_report):
    _, report = corpus_report
    assert report.share_within_target >= 0.95
    assert report.max_expansion <= 0.25 + 1e-3


def test_extracted_text_equals_the_articles(corpus_report):
    _, report = corpus_report
    assert report.text["equal"], report.text["first_difference"]
    assert report.text["expected_chars"] == report.text["extracted_chars"] > 90_000


def test_every_line_read_back_is_a_composed_line(corpus_report):
    made, report = corpus_report
    assert report.lines == made.lines


def test_fonts_embedded_subset_with_tounicode(corpus_report):
    _, report = corpus_report
    assert report.fonts and all(f["embedded"] and f["subset"] and f["tounicode"] for f in report.fonts)
    assert report.han_latin and min(report.han_latin) >= 0.125 - 0.01 and max(report.han_latin) <= 1 / 3 + 0.01
