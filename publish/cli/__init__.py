"""The `publish` command line: one module per command, each a thin function (options → the
library → what to print). A PublishError becomes one line and its exit code in `app.command`."""

from .app import app, main, register
from .audio import audio
from .build import build
from .check import check
from .formats import formats
from .parse import parse
from .pdf import pdf
from .pinyin import pinyin
from .voices import voices
from .web import web

register(parse, pdf, check, audio, voices, pinyin, build, web, formats)

__all__ = ["app", "main"]
