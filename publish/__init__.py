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
the command line. Every name is imported on first use.
"""

from __future__ import annotations

from ._version import __version__

# name → the module it comes from, imported when first asked for: `publish --help` and
# `publish check` never read an article (the readers' import is 40 ms), some load reportlab, numpy …
_FROM = {
    "publish.article": (
        "Article",
        "Block",
        "BlockKind",
        "Byline",
        "Dateline",
        "Headline",
        "Paper",
        "Person",
        "Role",
        "Section",
        "Source",
        "Span",
    ),
    "publish.errors": ("ConfigError", "DecodeError", "FormatError", "InputError", "PublishError", "UsageError"),
    "publish.ingest": ("LoadResult", "collect", "load", "loads", "readers", "register"),
    "publish.issue": ("IssueFacts",),
    "publish.config": ("AudioSettings", "BuildSettings", "PdfSettings", "Workers", "load_config"),
    "publish.pipeline": ("articles_pdf", "newspaper_pdfs", "printed_text"),
    "publish.batch": ("build",),
    "publish.speech.sound.editions": ("audio_editions",),
}
_LAZY = {name: module for module, names in _FROM.items() for name in names}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'publish' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
