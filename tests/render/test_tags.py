"""Tagged PDF: a screen reader (pdfium's structure-tree reader) finds each article's whole
text under its own Art, in reading order, across its jump pages; nothing is drawn outside
tags and artifacts; photos are Figures with their caption as alternative text."""

from __future__ import annotations

import pikepdf
import pytest

import publish
from publish.article import Article, Block, BlockKind
from publish.issue import group_issues
from publish.layout.blocks import block_text, headline_parts
from publish.layout.columns import placed_captions, placed_photos
from publish.pipeline import newspaper_pdfs
from tests.conftest import EXAMPLES
from tests.tagged import art_texts, plain, read_tags


def printed_text(article: Article) -> str:
    """What the article prints, in reading order: headline block, captions of its photos, body."""
    parts = [text for text, _, _ in headline_parts(article)]
    for photo in placed_photos(article):
        inside = photo.block is not None and photo.block < len(article.blocks)
        block = article.blocks[photo.block] if inside else Block(BlockKind.CAPTION, photo.caption, credit=photo.credit or None)
        parts.append(block_text(block))
    under = placed_captions(article)
    parts += [block_text(b) for i, b in enumerate(article.blocks) if i not in under]
    return plain("".join(parts))


def check_issues(articles: list[Article], **options) -> list:
    """Every issue's PDF read back: each article's text whole under its Art, no loose text."""
    issues = group_issues(articles)
    made = newspaper_pdfs(articles, jobs=1, **options)
    assert len(made) == len(issues)
    for issue, pdf in zip(issues, made, strict=True):
        pages = read_tags(pdf.data)
        assert [p.loose for p in pages] == [""] * len(pages)
        texts = art_texts(pages)
        titles = [a.headline.printed_title or a.title for a in issue.articles]
        assert sorted(texts) == sorted(titles)
        for article, title in zip(issue.articles, titles, strict=True):
            assert plain(texts[title]) == printed_text(article), title
    return made


def test_every_example_article_reads_whole_under_its_art():
    check_issues(publish.load(EXAMPLES))
