"""PDFs checked together, and against the articles they were made from: each article is matched
with the PDF that must hold it — the PDF of its issue (paper and date, as the PDF's title and
page furniture name them), else the PDF holding most of its text — so a difference is reported
on the PDF it is in, whatever order the PDFs and the sources were given in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, PublishError
from ..wording import plural
from .pdf import CheckReport, Fault, check_pdf, comparable_text, compare_articles

SHINGLE = 12  # characters: a run this long found in a PDF's text is taken as the article's
DATED = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}年\d{1,2}月\d{1,2}日")  # a PDF that names the day of its issue


@dataclass(frozen=True)
class Source:
    """An article a PDF must hold: its printed text, how messages name it, and what it can be
    matched with a PDF by (its paper's name, date and 版次, when known)."""

    text: str
    label: str
    paper: str = ""
    date: dt.date | None = None
    page: str = ""


@dataclass
class SetReport:
    """The PDFs checked: a report each, the PDFs that could not be read, and — with sources —
    the articles in no PDF and the comparison of all of them (each article once)."""

    reports: list[CheckReport]
    unread: list[PublishError] = field(default_factory=list)
    together: dict | None = None  # with sources: the comparisons of every PDF added up
    nowhere: list[Source] = field(default_factory=list)  # articles whose text no PDF holds

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports) and not self.unread and not self.nowhere

    def summary(self) -> str:
        lines = [r.summary() for r in self.reports]
        if self.together is not None:
            lines += [
                f"text differs in {r.file}: {r.text['first_difference']}" for r in self.reports if r.text and not r.text["equal"]
            ]
            lines += [f"text in no PDF: {s.label}" for s in self.nowhere]
            t = self.together
            state = "same as the source" if t["equal"] else "DIFFERS"
            lines.append(
                f"text of the {plural(len(self.reports), 'PDF')} against {plural(t['articles'], 'article')}: {state} "
                f"({plural(t['expected_chars'], 'character')}, {plural(t['pieces'], 'piece')})"
            )
        return "\n".join(lines)


@dataclass
class Checked:
    """The reports of the PDFs named (each with `ok` and `summary()`), and the PDFs that could
    not be read (PublishErrors)."""

    reports: list
    unread: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports) and not self.unread

    def summary(self) -> str:
        return "\n".join(r.summary() for r in self.reports)


def check_each(paths: list[Path], check_one: Callable[[Path], Any]) -> Checked:
    """`check_one` on each PDF named (files, or folders of them); one that cannot be read is
    reported and the others still checked."""
    files, unread = pdf_files(paths)
    reports = []
    for path in files:
        try:
            reports.append(check_one(path))
        except Exception as error:  # pdfium, pypdf, qpdf and a damaged file's odd objects raise many kinds
            unread.append(InputError(f"cannot read as PDF ({' '.join(str(error).split()) or type(error).__name__})", file=path))
    return Checked(reports, unread)


def pdf_files(paths: list[Path]) -> tuple[list[Path], list[PublishError]]:
    """The PDFs named: files as given, folders searched for *.pdf (sorted, hidden entries
    skipped); a missing path or a folder without PDFs is a problem, as in every command."""
    found: list[Path] = []
    problems: list[PublishError] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".pdf" and p.is_file() and not _hidden(p, path))
            found += inside
            if not inside:
                problems.append(InputError("no PDF files here", file=path))
        elif path.exists():
            found.append(path)
        else:
            problems.append(InputError("no such file or directory", file=path))
    return found, problems


def _hidden(path: Path, top: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(top).parts)


def check_pdfs(paths: list[Path], sources: list[Source] | None = None) -> SetReport:
    """Check each PDF (one that cannot be read is reported and the others still checked);
    given the sources, each article must be in the PDF it is matched with, exactly once."""
    files, unread = pdf_files(paths)
    reports = []
    for path in files:
        try:
            reports.append(check_pdf(path))
        except Exception as error:  # pdfium raises its own errors for unreadable files
            unread.append(InputError(f"cannot read as PDF ({error})", file=path))
    found = SetReport(reports, unread)
    if sources is not None and reports:
        _compare(found, sources)
    return found


def _compare(found: SetReport, sources: list[Source]) -> None:
    """Each PDF's text against the articles matched with it; the sums in `found.together`."""
    facts = [_facts(r) for r in found.reports]
    texts = [comparable_text(r.extracted) for r in found.reports]
    shingles = [(text, _shingles(text)) for text in texts]
    matched: list[list[Source]] = [[] for _ in found.reports]
    for source in sources:
        at = _match(source, facts, shingles)
        if at is None:
            found.nowhere.append(source)
        else:
            matched[at].append(source)
    total = {"equal": not found.nowhere, "articles": len(sources), "expected_chars": 0, "pieces": 0, "lost": 0, "added": 0}
    for report, articles in zip(found.reports, matched, strict=True):
        text = compare_articles([s.text for s in articles], report.extracted)
        if text["first_article"] is not None:
            text["first_difference"] = f"{articles[text['first_article']].label}: {text['first_difference']}"
        text["articles"] = [s.label for s in articles]
        report.text = text
        if not text["equal"]:
            report.faults.append(Fault("text differs from the source", 0, text["first_difference"]))
        total["equal"] = total["equal"] and text["equal"]
        for key in ("expected_chars", "pieces", "lost", "added"):
            total[key] += text[key]
    total["expected_chars"] += sum(len(comparable_text(s.text)) for s in found.nowhere)
    found.together = total


def _facts(report: CheckReport) -> str:
    """What a PDF says of its issue: its title and subject, and its page furniture (masthead,
    running heads: the paper's name and the date)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(report.file)
    try:
        meta = pdf.get_metadata_dict()
    finally:
        pdf.close()
    return " ".join([meta.get("Title", ""), meta.get("Subject", ""), report.furniture])


def _names_issue(facts: str, source: Source) -> bool:
    """Whether a PDF names the article's issue: its date (2026-11-20 or 2026年11月20日) and,
    when the article has one, its paper's name."""
    if source.date is None:
        return False
    d = source.date
    dated = d.isoformat() in facts or f"{d.year}年{d.month}月{d.day}日" in facts
    return dated and (not source.paper or source.paper in facts)


def _shingles(text: str) -> set[str]:
    return {text[i : i + SHINGLE] for i in range(max(1, len(text) - SHINGLE + 1))}


def _share(text: str, pdf: tuple[str, set[str]]) -> float:
    """How much of an article's text (white space aside) a PDF's text (and its runs) holds, 0 to 1."""
    text = comparable_text(text)
    if len(text) < SHINGLE:
        return 1.0 if text and text in pdf[0] else 0.0
    mine = _shingles(text)
    return len(mine & pdf[1]) / len(mine)


def _match(source: Source, facts: list[str], shingles: list[tuple[str, set[str]]]) -> int | None:
    """The PDF an article must be in: among the PDFs naming its issue (else all of them), the
    one holding most of its text; the PDF of its issue (and page) when none holds any; the only PDF
    when there is one (and it is not of another day); else none (the article is in no PDF)."""
    of_issue = [n for n, f in enumerate(facts) if _names_issue(f, source)]
    pool = of_issue or list(range(len(facts)))
    share, best = max((_share(source.text, shingles[n]), -n) for n in pool)
    if share > 0:
        return -best
    if of_issue:  # its text is nowhere: blamed on its issue's PDF (of its page, when one PDF a page)
        return next((n for n in of_issue if source.page and f"第{source.page}版" in facts[n]), of_issue[0])
    return 0 if len(facts) == 1 and not (source.date and DATED.search(facts[0])) else None
