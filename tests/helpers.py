"""Helpers the tests share: everything the model says about an article, as one string."""

from __future__ import annotations

from publish import Article


def model_text(article: Article, include_furniture: bool = True) -> str:
    """All text the model holds for an article, in order (headline, head bylines, blocks)."""
    head = article.headline
    parts = [head.kicker or "", head.printed_title, head.subtitle or ""]
    parts += [b.text for b in article.bylines if b.position == "head"]
    for block in article.blocks:
        parts += [block.marker or "", block.text, block.credit or ""]
    if include_furniture and article.source:
        parts += article.source.furniture
    return "".join(parts)
