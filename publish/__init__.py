"""publish: Chinese newspaper articles in, print-ready pages and audio editions out.

>>> import publish
>>> [article] = publish.load("examples/qingwu-daily/2026-11-20-p04-1.txt")
>>> article.paper.name, article.title
"""

from __future__ import annotations

from .article import Article, Block, BlockKind, Byline, Dateline, Headline, Paper, Person, Role, Section, Source, Span
from .errors import DecodeError, FormatError, InputError, PublishError, UsageError
from .ingest import LoadResult, collect, load, loads, readers, register

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Block",
    "BlockKind",
    "Byline",
    "Dateline",
    "DecodeError",
    "FormatError",
    "Headline",
    "InputError",
    "LoadResult",
    "Paper",
    "Person",
    "PublishError",
    "Role",
    "Section",
    "Source",
    "Span",
    "UsageError",
    "__version__",
    "collect",
    "load",
    "loads",
    "readers",
    "register",
]
