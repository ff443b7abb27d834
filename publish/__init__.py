"""publish: Chinese newspaper articles in, print-ready pages and audio editions out.

>>> import publish
>>> [article] = publish.load("examples/qingwu-daily/2026-11-20-p04-1.txt")
>>> article.paper.name, article.title
('青梧日报', '外婆家的柿子树')
>>> [issue] = publish.newspaper_pdfs([article], publish.PdfSettings(template="tabloid").layout)
>>> publish.build(publish.load("examples"), "out/site", publish.BuildSettings(edge_requests=0))
Traceback (most recent call last):
publish.errors.ConfigError: build.edge_requests: must be at least 1, not 0

The settings classes check themselves, so a Python program gets the same one-line errors as
the command line. The typesetting, audio and batch functions are imported on first use.
"""

from __future__ import annotations

from ._version import __version__
from .article import Article, Block, BlockKind, Byline, Dateline, Headline, Paper, Person, Role, Section, Source, Span
from .errors import ConfigError, DecodeError, FormatError, InputError, PublishError, UsageError
from .ingest import LoadResult, collect, load, loads, readers, register
from .issue import IssueFacts

# name → the module it comes from, imported when first asked for (some load reportlab, numpy …)
_LAZY = {
    "AudioSettings": "publish.config",
    "BuildSettings": "publish.config",
    "PdfSettings": "publish.config",
    "Workers": "publish.config",
    "load_config": "publish.config",
    "articles_pdf": "publish.pipeline",
    "newspaper_pdfs": "publish.pipeline",
    "printed_text": "publish.pipeline",
    "build": "publish.batch",
    "audio_editions": "publish.speech.sound.editions",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'publish' has no attribute {name!r}")


__all__ = [
    "Article",
    "AudioSettings",
    "Block",
    "BlockKind",
    "BuildSettings",
    "Byline",
    "ConfigError",
    "Dateline",
    "DecodeError",
    "FormatError",
    "Headline",
    "InputError",
    "IssueFacts",
    "LoadResult",
    "Paper",
    "PdfSettings",
    "Person",
    "PublishError",
    "Role",
    "Section",
    "Source",
    "Span",
    "UsageError",
    "Workers",
    "__version__",
    "articles_pdf",
    "audio_editions",
    "build",
    "collect",
    "load",
    "load_config",
    "loads",
    "newspaper_pdfs",
    "printed_text",
    "readers",
    "register",
]
