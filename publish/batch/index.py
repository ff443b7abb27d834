"""`OUT/index.json` and `OUT/index.html`: every issue built into the output folder, by this run
or an earlier one (a nightly run adds its day to the archive), with its PDF, previews and audio."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .._version import __version__
from ..fsutil import write_if_changed
from ..wording import plural
from .records import read_manifest

INDEX = "index.json"


def write_index(out: Path, html: bool = True) -> None:
    """Both index files (`html` False: index.json alone, the web edition writes index.html),
    from the build.json of every issue folder in `out`."""
    listed = []
    for folder in sorted(p for p in out.iterdir() if p.is_dir()) if out.is_dir() else []:
        made = read_manifest(folder)
        if not made:
            continue
        entry: dict[str, Any] = {"issue": folder.name}
        for kind, name in (("pdf", "pdf"), ("feed", "audio")):
            if isinstance(made.get(kind), dict) and "files" in made[kind]:
                entry[name] = {k: v for k, v in made[kind].items() if k not in ("digest", "parts")}
                entry.setdefault("articles", made[kind].get("articles", 0))
        listed.append(entry)
    out.mkdir(parents=True, exist_ok=True)
    # rewritten only when they change: a run with nothing to do leaves them (and mirrors) alone
    write_if_changed(out / INDEX, json.dumps({"version": __version__, "issues": listed}, ensure_ascii=False, indent=2) + "\n")
    if html:
        write_if_changed(out / "index.html", index_html(listed))


def index_html(issues: list[dict[str, Any]]) -> str:
    """A table of the issues: articles, the PDF with its first page, the feed and playlist."""
    rows = ["<tr>" + "".join(_cells(entry)) + "</tr>" for entry in issues]
    return (
        '<!doctype html>\n<html lang="zh"><head><meta charset="utf-8"><title>publish: issues</title></head><body>\n'
        "<table>\n<tr><th>issue</th><th>articles</th><th>pages</th><th>audio</th></tr>\n"
        + "\n".join(rows)
        + "\n</table>\n</body></html>\n"
    )


def _cells(entry: dict[str, Any]) -> list[str]:
    key = entry["issue"]
    cells = [f"<td>{escape(key)}</td>", f"<td>{entry.get('articles', '')}</td>"]
    pdf = entry.get("pdf")
    if pdf:
        first = next((f for f in pdf["files"] if f.endswith(".png")), None)
        thumb = f'<img src="{quote(key)}/{quote(first)}" height="120" alt="">' if first else ""
        pages = pdf.get("pages", 0)
        cells.append(f'<td><a href="{quote(key)}/{quote(key)}.pdf">PDF, {plural(pages, "page")}</a> {thumb}</td>')
    else:
        cells.append("<td></td>")
    audio = entry.get("audio")
    if audio and audio.get("articles"):
        seconds = round(audio.get("duration", 0))
        length = f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        links = f'<a href="{quote(key)}/feed.xml">feed</a> · <a href="{quote(key)}/playlist.m3u8">playlist</a>'
        cells.append(f"<td>{links}, {length}</td>")
    else:
        cells.append("<td></td>")
    return cells
