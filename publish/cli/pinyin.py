"""`publish pinyin`: the readings of a text, and what each speech engine would be sent for it."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from ..errors import PublishError, UsageError
from .app import command
from .options import LexiconOption
from .output import is_file

SourceOption = Annotated[str, typer.Argument(help="Text, a UTF-8 text file, or - for standard input.", show_default=False)]
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
    reader = readings_reader(file, lexicons or [])
    text = sys.stdin.read() if source == "-" else read_text(source) if file else source
    if fixes:
        show_fixes(reader, engine, text, names or (), as_json)
    elif tone3:
        sys.stdout.write("".join(line + "\n" for line in reader.tone3_lines(text, names or ())))
    else:
        show_readings(reader, text, names or (), as_json)


def readings_reader(file: Path | None, extra: list[Path]):
    """A reader with the built-in lexicon, the paper's beside `file`, the user's, then `extra`."""
    from ..config import load_lexicon
    from ..speech.text.readings import PinyinReader

    return PinyinReader(load_lexicon(*extra, near=[file] if file else []))


def read_text(source: str) -> str:
    try:
        return Path(source).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PublishError(f"{source}: cannot read as UTF-8 text ({error})") from None


def lines_of(text: str) -> list[str]:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def show_fixes(reader, engine: str, text: str, names, as_json: bool) -> None:
    """Each line marked with its fixes, and what the engine is sent where that differs."""
    from ..speech.text.pronounce import Pronouncer

    fixed = Pronouncer(engine, reader).fix_many(lines_of(text), names)
    if as_json:
        sys.stdout.write(json.dumps([asdict(f) for f in fixed], ensure_ascii=False) + "\n")
        return
    for f in fixed:
        typer.echo(f.marked)
        if f.sent != f.text:
            typer.echo(f"  → {engine}: {f.sent}")


def show_readings(reader, text: str, names, as_json: bool) -> None:
    """Each character with its reading (polyphones marked *), or all of it as JSON."""
    read = reader.read_many(lines_of(text), names)
    if as_json:
        data = [
            [{"char": r.char, "pinyin": r.pinyin, "polyphone": r.polyphone, "source": r.source} for r in line] for line in read
        ]
        sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        return
    for line in read:
        typer.echo(" ".join(f"{r.char}({r.pinyin}{'*' if r.polyphone else ''})" if r.pinyin else r.char for r in line))
