"""What a built site holds, read from its files (the layout in publish/web/__init__.py): its issues,
page views, article views, records and subtitle cues. A missing part fails the test with one line
naming what is absent, so a site step that wrote nothing reads as such, not as a crash."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

PAGES = "web/pages.json"
RECORD = "web/articles.json"
PAGE_VIEW = re.compile(r"page-(\d{2,})\.html")


def issues(site: Path) -> list[Path]:
    """The issue folders that have article records."""
    found = sorted(path.parent.parent for path in site.glob(f"*/{RECORD}"))
    if not found:
        pytest.fail(f"no issue records in the built site ({site}/<issue>/{RECORD}): did the web task write them?")
    return found


def page_views(site: Path) -> list[Path]:
    """Every page view, issue by issue, page by page."""
    found = sorted(path for path in site.glob("*/page-*.html") if PAGE_VIEW.fullmatch(path.name))
    if not found:
        pytest.fail(f"no page views in the built site ({site}/<issue>/page-NN.html): did the site step write them?")
    return found


def article_views(site: Path) -> list[Path]:
    """Every article view (<issue>/<part>/index.html)."""
    found = sorted(path for path in site.glob("*/*/index.html") if path.parent.name not in ("archive", "static", "search"))
    if not found:
        pytest.fail(f"no article views in the built site ({site}/<issue>/<part>/index.html): did the site step write them?")
    return found


def html_files(site: Path) -> list[str]:
    """Every HTML file of the site, relative to it."""
    return sorted(path.relative_to(site).as_posix() for path in site.rglob("*.html"))


def read_json(path: Path) -> dict:
    if not path.is_file():
        pytest.fail(f"{path} is missing")
    return json.loads(path.read_text(encoding="utf-8"))


def records(issue: Path) -> list[dict]:
    """The issue's article records, in issue order."""
    return read_json(issue / RECORD)["articles"]


def pages(issue: Path) -> list[dict]:
    """The issue's pages with their images and article areas."""
    return read_json(issue / PAGES)["pages"]


def page_entry(view: Path) -> dict:
    """The pages.json entry of a page view (page-NN.html: NN is the page's number in the PDF)."""
    number = int(PAGE_VIEW.fullmatch(view.name)[1])
    for page in pages(view.parent):
        if page["number"] == number:
            return page
    pytest.fail(f"{view}: page {number} is not in {view.parent / PAGES}")


def issue_pdf(issue: Path) -> Path:
    """The issue's PDF (pages.json names it; beside web/ or in it)."""
    name = read_json(issue / PAGES).get("pdf") or f"{issue.name}.pdf"
    for where in (issue / "web" / name, issue / name):
        if where.is_file():
            return where
    pytest.fail(f"the PDF {name} named in {issue / PAGES} is not in {issue}")


@dataclass(frozen=True)
class Cue:
    id: str
    start: float
    end: float
    text: str

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


def _seconds(stamp: str) -> float:
    parts = [float(part) for part in stamp.replace(",", ".").split(":")]
    while len(parts) < 3:
        parts.insert(0, 0.0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def vtt_cues(path: Path) -> list[Cue]:
    """The cues of a WebVTT file (identifier '' where a cue has none)."""
    if not path.is_file():
        pytest.fail(f"{path} is missing: the article view's subtitles")
    blocks = re.split(r"\n\s*\n", path.read_text(encoding="utf-8").replace("\r\n", "\n").strip())
    cues = []
    for block in blocks[1:]:
        lines = block.split("\n")
        timing = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if timing is None:
            continue  # NOTE, STYLE, REGION blocks
        ident = lines[0].strip() if timing == 1 else ""
        start, end = (part.split()[0] for part in lines[timing].split("-->"))
        cues.append(Cue(ident, _seconds(start), _seconds(end.strip()), "\n".join(lines[timing + 1 :])))
    return cues


SPACE = re.compile("[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")


def normal(text: str) -> str:
    """Text as search compares it (search.py's `normalise`): NFKC, lower case (JavaScript's
    toLowerCase; casefold has no twin there), whitespace dropped."""
    return SPACE.sub("", unicodedata.normalize("NFKC", text).lower())


KINDS = ("home", "issue", "page", "article", "archive", "search")


def page_types(site: Path) -> dict[str, str]:
    """One page of each type, relative to the site; the article view the heaviest kind there is
    (with photos and audio, when an article has them)."""
    for name in ("index.html", "archive/index.html", "search.html"):
        if not (site / name).is_file():
            pytest.fail(f"the built site has no {name} ({site}): did the site step write it?")
    view = page_views(site)[0]

    def weight(article: Path) -> tuple[int, int]:
        record = {r["part"]: r for r in records(article.parent.parent)}.get(article.parent.name, {})
        return len(record.get("photos") or []), (article.parent / "article.mp3").is_file()

    article = max(article_views(site), key=weight)
    return {
        "home": "index.html",
        "issue": f"{view.parent.name}/index.html",
        "page": view.relative_to(site).as_posix(),
        "article": article.relative_to(site).as_posix(),
        "archive": "archive/index.html",
        "search": "search.html",
    }
