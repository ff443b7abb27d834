"""The built-in input formats, one module per reader; `BUILTIN` lists them for the registry.

Each reader class names its format (`name`), the other names `--format` accepts for it
(`aliases`), its file extensions and a one-line description. No reader imports another: what
they share lives in `ingest.lines`, `ingest.slots` and `ingest.assemble`.
"""

from __future__ import annotations

from .enp import EnpReader
from .markdown import MarkdownReader
from .records import CsvReader, JsonLinesReader, JsonReader
from .rmrb import RmrbReader
from .text import TextReader
from .xmwb import XmwbReader

# Registration order: when two readers are equally sure of a file, the earlier one reads it.
BUILTIN = (
    EnpReader(),
    RmrbReader(),
    XmwbReader(),
    JsonReader(),
    JsonLinesReader(),
    CsvReader(),
    MarkdownReader(),
    TextReader(),
)
