"""`publish pinyin`: the readings of a text, and what each speech engine would be sent for it."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ..errors import PublishError, UsageError
from .app import command
from .options import LexiconOption
from .output import err, is_file, plural

SourceOption = Annotated[
    str, typer.Argument(help="Text, a text file (UTF-8, UTF-16, GB18030…), or - for standard input.", show_default=False)
]
Tone3Option = Annotated[
    bool, typer.Option("--tone3", help="One line per input line: TONE3 readings of its Han characters (neutral 5, ü as v).")
]
AsJsonOption = Annotated[
    bool, typer.Option("--json", help="Every character with its reading, whether it is a polyphone and who decided.")
]
FixesOption = Annotated[
    bool, typer.Option("--fixes", help="Show what would be sent to the engine: each fix marked, e.g. 行[háng→航].")
]
EngineOption = Annotated[str, typer.Option("--engine", "-e", help="The engine --fixes are for: edge or offline.")]
NamesOption = Annotated[
    list[str] | None, typer.Option("--name", help="A person's name in the text: its surname gets the surname reading.")
]


@command
def pinyin(
    source: SourceOption,
    tone3: Tone3Option = False,
    as_json: AsJsonOption = False,
    lexicons: LexiconOption = None,
    fixes: FixesOption = False,
    engine: EngineOption = "edge",
    names: NamesOption = None,
) -> None:
    """The readings of a text: pypinyin's, with polyphones decided in context (g2pM's model,
    phrase dictionary first) and the lexicons (built-in, the paper's beside a FILE, the user's,
    --lexicon). Polyphones are
    marked * in the plain listing. --fixes shows, per line, what an engine would be sent.

    Example: publish pinyin 行长在银行工作 --tone3
    """
    if engine not in ("edge", "offline"):
        raise UsageError(f"--engine must be edge or offline, not {engine!r}")
    if fixes and tone3:
        raise UsageError("--fixes and --tone3 show different things: give one of them")
    file = Path(source) if source != "-" and is_file(source) else None
    if file is None and looks_like_path(source):
        raise UsageError("no such file", file=source)
    reader = readings_reader(file, lexicons or [])
    text = read_text(file) if file or source == "-" else source
    if fixes:
        unread = show_fixes(reader, engine, text, names or (), as_json)
    else:
        read = reader.read_many(lines_of(text), names or ())
        unread = show_tone3(read) if tone3 else show_readings(read, as_json)
    report_unread(unread, "<stdin>" if source == "-" else source if file else None, "sent" if fixes else "printed")


def readings_reader(file: Path | None, extra: list[Path]):
    """A reader with the built-in lexicon, the paper's beside `file`, the user's, then `extra`."""
    from ..config import load_lexicon
    from ..speech.text.readings import PinyinReader

    return PinyinReader(load_lexicon(*extra, near=[file] if file else []))


# Extensions of the files people give `publish pinyin`: an argument ending so names a file.
# (Patterns here are compiled on first use, by `re`: every other command would pay 2 ms for them.)
FILE_EXTENSIONS = r"\.(?:txt|text|md|markdown|json|jsonl|ndjson|csv|tsv|html?|xml|toml|docx?)$"


def looks_like_path(source: str) -> bool:
    """Whether an argument that is not a file was meant as one (a mistyped name): it ends with
    a text file's extension (稿件.txt), starts like a path (./, ~/, /), or has a path separator
    and neither Han characters nor spaces (drafts/today). Text with a slash (第2/3季度) is text."""
    if source == "-" or "\n" in source:
        return False
    if re.search(FILE_EXTENSIONS, source, re.IGNORECASE) or source.startswith(("/", "./", "../", "~/", ".\\")):
        return True
    return ("/" in source or "\\" in source) and not re.search(r"[\s\u3400-\u9fff]", source)


def read_text(file: Path | None) -> str:
    """The text of the file (None: standard input) in whichever encoding it is in: UTF-8 with
    or without BOM, UTF-16 with BOM, GB18030/GBK, Big5 (the readers' own detection)."""
    from ..ingest.decode import decode_bytes

    try:
        data = file.read_bytes() if file else sys.stdin.buffer.read()
    except OSError as error:
        raise PublishError(f"cannot read: {error.strerror or error}", file=file or "<stdin>") from None
    return decode_bytes(data, str(file or "<stdin>")).text if data.strip() else ""


def lines_of(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def show_fixes(reader, engine: str, text: str, names, as_json: bool) -> dict[str, list[int]]:
    """Each line marked with its fixes, and what the engine is sent where that differs. Returns
    the characters without a reading and their lines (sent as they are)."""
    from ..speech.text.pronounce import Pronouncer

    fixed = Pronouncer(engine, reader).fix_many(lines_of(text), names)
    if as_json:
        sys.stdout.write(json.dumps([asdict(f) for f in fixed], ensure_ascii=False) + "\n")
    else:
        for f in fixed:
            typer.echo(f.marked)
            if f.sent != f.text:
                typer.echo(f"  → {engine}: {f.sent}")
    found: dict[str, list[int]] = {}
    for number, f in enumerate(fixed, 1):
        for char in dict.fromkeys(f.text[at] for at in f.unread):
            found.setdefault(char, []).append(number)
    return found


def show_tone3(read) -> dict[str, list[int]]:
    """One line per input line: the TONE3 readings of its Han characters. Returns the
    characters without a reading and their lines."""
    from ..speech.text.readings import tone3, unread

    sys.stdout.write("".join(tone3(line) + "\n" for line in read))
    return unread(read)


def report_unread(found: dict[str, list[int]], where: str | None, done: str) -> None:
    """A warning for each character without a reading, once, at the first line it is on."""
    for char, lines in found.items():
        place = f"{where}:{lines[0]}: " if where else f"line {lines[0]}: " if lines[0] > 1 or len(lines) > 1 else ""
        more = f" (also on {plural(len(lines) - 1, 'other line')})" if len(lines) > 1 else ""
        err.warning(f"{place}{char} (U+{ord(char):04X}) has no reading: {done} as it is{more}")


def show_readings(read, as_json: bool) -> dict[str, list[int]]:
    """Each character with its reading (polyphones marked *), or all of it as JSON. Returns the
    characters without a reading and their lines."""
    from ..speech.text.readings import unread

    if as_json:
        data = [
            [{"char": r.char, "pinyin": r.pinyin, "polyphone": r.polyphone, "source": r.source} for r in line] for line in read
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        for line in read:
            typer.echo(" ".join(f"{r.char}({r.pinyin}{'*' if r.polyphone else ''})" if r.pinyin else r.char for r in line))
    return unread(read)
