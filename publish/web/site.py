"""The site of a build's output folder, from the issue records: HTML of every issue, page and
article, the archive, the whole-paper feeds and the search index; only what changed is written.

HTML comes from the Jinja2 templates in `templates/` with autoescape on, so every string of an
article is escaped. Each issue's pages are skipped when nothing they are made from changed (its
records, its audio files, its neighbours, the site's version): `site.json` keeps those digests
and the files the site wrote, so a later run removes only files it made itself."""

from __future__ import annotations

import calendar
import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from .._version import __version__
from ..digest import digest, file_digest
from ..errors import BuildError, PublishError, UsageError
from ..fsutil import write_if_changed
from ..wording import plural
from .align import align, read_vtt
from .issues import AUDIO, MADE, PAGES, Issue, Page, issue_folders, load_issue
from .record import view_parts

HERE = Path(__file__).parent
RECORD = "site.json"
CSP = Markup("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'")  # fmt: skip
WEEKDAYS = "一二三四五六日"
SPEEDS = (0.75, 1.0, 1.25, 1.5, 2.0)


def write_site(out: Path, settings: Any) -> list[str]:
    """Assemble the site in `out` (settings: config.BuildSettings); notes for the user."""
    return assemble(out, settings).notes


def assemble(out: Path, settings: Any) -> Site:
    """Assemble the site in `out`; the Site says what it wrote (`changed`) and its `notes`."""
    issues = [load_issue(folder) for folder in issue_folders(out)]
    site = Site(out, newest_first(issues), settings)
    pdf = getattr(settings, "pdf", True)  # --no-pdf: no page views, as asked (not worth a note)
    site.notes += gathered(
        [(key, note) for issue in issues for key, note in issue.notes if pdf or not note.startswith(f"no {PAGES}")]
    )
    site.write()
    return site


def rebuild(out: Path, episodes: int | None = None, base_url: str | None = None) -> Site:
    """`publish web OUT`: the site of a build folder again, from its records alone, with the
    settings it was last made with unless given."""
    from ..config import BuildSettings

    if not issue_folders(out):
        raise UsageError(f"no issue folders of publish build here (each has a {MADE})", file=out)
    remembered = read_settings(out)
    episodes = episodes if episodes is not None else remembered.get("episodes")
    base_url = base_url if base_url is not None else remembered.get("base_url")
    pdf = remembered.get("pdf")  # a --no-pdf build has no page views to miss
    settings = BuildSettings(
        episodes=episodes if isinstance(episodes, int) else 100,
        base_url=base_url if isinstance(base_url, str) else "",
        pdf=pdf if isinstance(pdf, bool) else True,
    )
    try:
        return assemble(out, settings)
    except OSError as error:
        raise BuildError(f"cannot write the web edition: {error.strerror or error}", file=error.filename or out) from None


def newest_first(issues: list[Issue]) -> list[Issue]:
    """Dated issues newest first (papers by name on one day), then undated ones by name."""
    dated = sorted((i for i in issues if i.date), key=lambda i: (i.date, _desc(i.name), _desc(i.key)), reverse=True)
    return dated + sorted((i for i in issues if not i.date), key=lambda i: i.key)


def _desc(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)  # reversed again by the sort: ascending


SITE_FILE = re.compile(  # the files the site writes, relative to OUT (search/ keeps its own)
    r"(index|search)\.html|archive/[^/.][^/]*\.html|feeds/[^/.][^/]*\.xml|static/[^/.][^/]*"
    r"|[^/.][^/]*/(index|page-\d+)\.html|[^/.][^/]*/[^/.][^/]*/index\.html"
)


class Site:
    """One assembly of the site: the issues newest first, their neighbours, and the record of
    what an earlier run wrote."""

    def __init__(self, out: Path, issues: list[Issue], settings: Any):
        self.out, self.issues, self.settings = out, issues, settings
        self.notes: list[str] = []
        self.papers = sorted({i.name for i in issues})
        self.brand = f"{self.papers[0]} 数字报" if len(self.papers) == 1 else "数字报"
        self.older: dict[str, Issue] = {}
        self.newer: dict[str, Issue] = {}
        for paper in self.papers:
            run = [i for i in issues if i.name == paper and i.date]
            for newer, older in zip(run, run[1:], strict=False):
                self.older[newer.key], self.newer[older.key] = older, newer
        self.record = _read_record(out)
        self.written: list[str] = []  # the site files this run made (relative to OUT), each written or already so
        self.changed = 0  # files written (new or different) by this run
        self.paper_feeds: dict[str, str] = {}  # paper → its feed's file (feeds() fills it; home and archive link it)

    def write(self) -> None:
        """Every file of the site (issues skipped when unchanged), then remove what an earlier
        run wrote and this one no longer does."""
        kept: dict[str, Any] = {}
        for issue in self.issues:
            kept[issue.key] = self.issue_files(issue)
        top = []
        self.written = top
        for name in sorted(p.name for p in (HERE / "static").iterdir() if p.is_file()):
            self.put(f"static/{name}", (HERE / "static" / name).read_bytes())
        feeds = self.feeds()
        self.put("index.html", self.render("home.html", "", home=self.home(), feeds=feeds))
        self.archive()
        self.put("search.html", self.render("search.html", "", crumbs=[("检索", None)], feeds=feeds))
        self.search()
        old_top = self.record.get("files", [])
        self.remove(old_top, top)
        record = {"version": __version__, "settings": self.remembered(), "files": sorted(top), "issues": kept}
        write_if_changed(self.out / RECORD, json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    def remembered(self) -> dict[str, Any]:
        """The settings `publish web` takes over when it re-assembles the site."""
        settings = self.settings
        return {
            "episodes": getattr(settings, "episodes", 100),
            "base_url": getattr(settings, "base_url", ""),
            "pdf": getattr(settings, "pdf", True),
        }

    # ---- one issue ---------------------------------------------------------------------------

    def issue_files(self, issue: Issue) -> dict[str, Any]:
        """Write an issue's pages unless nothing they are made from changed; its record entry."""
        before = self.record.get("issues", {}).get(issue.key)
        before = before if isinstance(before, dict) else {}
        inputs = self.inputs(issue)
        files = [f for f in before.get("files", []) if isinstance(f, str)]
        if before.get("inputs") == inputs and all((self.out / f).is_file() for f in files):
            return before
        self.written = []
        try:
            self.write_issue(issue)
        except OSError:
            raise  # the output folder's fault: the build says it
        except Exception as error:  # a record the checks let through but the pages cannot use
            self.notes.append(f"{issue.key}: its pages could not be made: {type(error).__name__}: {error}")
            return {"inputs": "", "files": files}
        self.remove(files, self.written)
        return {"inputs": inputs, "files": sorted(self.written)}

    def inputs(self, issue: Issue) -> str:
        """The digest of what an issue's pages are made from: its records, the build's record of
        its tasks (their digests: a new audio edition), the audio files there are (by size; times
        would make the record differ between two builds of the same input)."""
        stats = []
        for article in issue.articles:
            for name in ("article.mp3", "article.vtt", "chapters.vtt"):
                path = issue.folder / article["part"] / name
                if path.is_file():
                    stats.append((article["part"], name, path.stat().st_size))
        made = file_digest(issue.folder / MADE)
        neighbours = [n.key if n else "" for n in (self.older.get(issue.key), self.newer.get(issue.key))]
        made_of = {"version": __version__, "site": site_digest(), "records": hashlib.sha256(issue.raw).hexdigest(),
                   "made": made, "audio": stats, "neighbours": neighbours, "brand": self.brand, "pdf": issue.pdf,
                   "feed": [issue.feed, issue.playlist]}  # fmt: skip
        return digest(made_of, 32)

    def write_issue(self, issue: Issue) -> None:
        base = issue.key + "/"
        older, newer = self.older.get(issue.key), self.newer.get(issue.key)
        context = {"issue": issue, "older": older, "newer": newer, "long_date": long_date(issue.date)}
        crumbs = [("往期", "archive/index.html"), (issue_title(issue), None)]
        feeds = [(f"{issue.name} {long_date(issue.date)}", base + "feed.xml")] if issue.feed else []
        self.put(
            base + "index.html",
            self.render("issue.html", "../", crumbs=crumbs, feeds=feeds, pages=self.page_list(issue), **context),
        )
        for n, page in enumerate(issue.pages):
            crumbs = [(issue_title(issue), base + "index.html"), (page.title, None)]
            view = self.page_view(issue, page)
            before, after = issue.pages[n - 1] if n else None, issue.pages[n + 1] if n + 1 < len(issue.pages) else None
            self.put(base + page.file, self.render("page.html", "../", crumbs=crumbs, feeds=feeds, page=page, view=view,
                                                   before=before, after=after, **context))  # fmt: skip
        for n, article in enumerate(issue.articles):
            pages = issue.pages_of(n)
            crumbs = [(issue_title(issue), base + "index.html")]
            if pages:
                crumbs.append((pages[0].title, base + pages[0].file))
            crumbs.append((article["title"], None))
            before, after = issue.articles[n - 1] if n else None, issue.articles[n + 1] if n + 1 < len(issue.articles) else None
            body = self.article_view(issue, n, article)
            self.put(f"{base}{article['part']}/index.html", self.render("article.html", "../../", crumbs=crumbs, feeds=feeds,
                     article=article, pages=pages, before=before, after=after, **body, **context))  # fmt: skip

    def page_list(self, issue: Issue) -> list[dict[str, Any]]:
        """The issue's pages, each with its articles (index, article); articles on no page last."""
        listed, seen = [], set()
        for page in issue.pages:
            indexes = sorted({a for a, _ in page.areas if 0 <= a < len(issue.articles)} | _by_label(issue, page))
            seen.update(indexes)
            listed.append({"page": page, "articles": [issue.articles[i] for i in indexes]})
        rest = [a for n, a in enumerate(issue.articles) if n not in seen]
        if rest:
            listed.append({"page": None, "articles": rest})
        return listed

    def page_view(self, issue: Issue, page: Page) -> list[dict[str, Any]]:
        """The page's articles with their areas' SVG paths, in the order of the articles."""
        areas: dict[int, list[list[float]]] = {}
        for index, rects in page.areas:
            if 0 <= index < len(issue.articles):
                areas.setdefault(index, []).extend(rects)
        listed = [{"article": issue.articles[i], "path": svg_path(areas[i])} for i in sorted(areas)]
        extra = sorted(_by_label(issue, page) - set(areas))
        return listed + [{"article": issue.articles[i], "path": ""} for i in extra]

    def article_view(self, issue: Issue, index: int, article: dict[str, Any]) -> dict[str, Any]:
        """The article's printed parts (with cue spans when its audio has subtitles), its audio."""
        folder = issue.folder / article["part"]
        audio = (folder / "article.mp3").is_file()
        parts = printed_parts(article)
        runs = None
        if audio and (folder / "article.vtt").is_file():
            try:
                cues = read_vtt((folder / "article.vtt").read_text(encoding="utf-8"))
                runs = align(cues, [text for _, text in parts])
            except Exception as error:
                self.notes.append(f"{folder / 'article.vtt'}: the sentences are not highlighted: {error}")
        seen: set[str] = set()
        shown = [{"kind": kind, "runs": cue_runs(runs[n], seen) if runs and n < len(runs) else [{"text": text}]}
                 for n, (kind, text) in enumerate(parts)]  # fmt: skip
        head = len(parts) - len(article["blocks"])
        placed = {
            p["block"]: p for p in article["photos"] if p.get("block") is not None and 0 <= p["block"] < len(article["blocks"])
        }
        for block, photo in placed.items():  # a photo where it is printed, its caption block as its caption
            shown[head + block]["photo"] = photo
        loose = [p for p in article["photos"] if p.get("block") not in placed]
        chapters = issue.audio.get(article["part"], {}).get("sections", []) if audio else []
        return {"parts": shown, "photos": loose, "audio": audio, "chapters": [{**c, "clock": clock(c["start"])} for c in chapters],
                "chapter_track": audio and (folder / "chapters.vtt").is_file(),
                "caption_track": audio and (folder / "article.vtt").is_file(), "speeds": SPEEDS}  # fmt: skip

    # ---- the whole site ----------------------------------------------------------------------

    def home(self) -> list[dict[str, Any]]:
        """Each paper's latest issue, the paper with the newest issue first (undated ones last),
        with the paper's issues before it."""
        latest: dict[str, list[Issue]] = {}
        for issue in self.issues:  # newest first
            latest.setdefault(issue.name, []).append(issue)
        shown = []
        for paper, issues in latest.items():
            issue = issues[0]
            shown.append({"issue": issue, "long_date": long_date(issue.date), "front": issue.pages[0] if issue.pages else None,
                          "pages": self.page_list(issue), "feed": self.paper_feeds.get(paper), "earlier": issues[1:6]})  # fmt: skip
        return shown

    def archive(self) -> None:
        """往期: archive/YYYY.html per year (archive/index.html the newest), month calendars
        newest first; undated issues listed on every year's page."""
        by_year: dict[int, list[Issue]] = {}
        for issue in self.issues:
            if issue.date:
                by_year.setdefault(int(issue.date[:4]), []).append(issue)
        undated = [i for i in self.issues if not i.date]
        years = sorted(by_year, reverse=True) or [None]
        for year in years:
            months = month_grids(by_year.get(year, []), len(self.papers) > 1) if year else []
            page = self.render("archive.html", "../", crumbs=[("往期", "archive/index.html"), (f"{year}年" if year else "全部", None)],
                               year=year, years=[y for y in years if y], months=months, undated=undated, weekdays=WEEKDAYS,
                               feeds=list(self.paper_feeds.items()))  # fmt: skip
            if year == years[0]:
                self.put("archive/index.html", page)
            if year:
                self.put(f"archive/{year}.html", page)

    def feeds(self) -> list[tuple[str, str]]:
        """feeds/<paper>.xml: the whole paper's podcast feed, its latest `episodes` articles."""
        self.paper_feeds = {}
        papers = {p: [i for i in self.issues if i.name == p and i.feed and AUDIO not in i.broken] for p in self.papers}
        if not any(papers.values()):
            return []
        from ..speech.sound.feed import issue_episodes, paper_feed

        names = feed_names(self.papers)
        base = getattr(self.settings, "base_url", "") or ".."  # the feeds' URLs lead from feeds/ to the issues
        for paper, issues in papers.items():
            if not issues:
                continue
            name = f"feeds/{names[paper]}.xml"
            try:
                episodes = [e for i in issues if i.manifest for e in issue_episodes(i.manifest, source=i.folder / AUDIO)]
                feed = paper_feed(episodes, title=paper, author=paper, base_url=base, limit=self.settings.episodes)
            except (PublishError, ValueError, TypeError) as error:  # a manifest the checks let through
                self.notes.append(f"{name}: the paper's feed is not made: {error}")
                continue
            self.put(name, feed)
            self.paper_feeds[paper] = name
        return [(f"{paper} 全部音频", name) for paper, name in sorted(self.paper_feeds.items())]

    def search(self) -> None:
        """The search index, by the search module (it keeps its own segments up to date)."""
        from .search import write_search

        try:  # what it returns says what it rewrote: news, not a warning
            write_search(self.out, [i.record for i in self.issues if i.record is not None])
        except (PublishError, ValueError, TypeError) as error:  # records the checks let through
            self.notes.append(f"the search index is not made: {error}")

    # ---- writing -----------------------------------------------------------------------------

    def render(self, template: str, root: str, **context: Any) -> str:
        """A page from its template; `root` leads from the page's folder back to OUT."""
        context = {"crumbs": [], "feeds": [], **context}
        return environment().get_template(template).render(root=root, brand=self.brand, csp=CSP, **context)

    def put(self, name: str, data: str | bytes) -> None:
        """Write one site file (relative to OUT) unless it holds that already."""
        self.written.append(name)
        if write_if_changed(self.out / name, data):
            self.changed += 1

    def remove(self, before: list[str], now: list[str]) -> None:
        """Remove the files an earlier run of the site wrote and this one did not: only names the
        site makes (a damaged site.json cannot make it delete the build's PDFs or records)."""
        keep = set(now)
        for name in before:
            if isinstance(name, str) and name not in keep and SITE_FILE.fullmatch(name):
                (self.out / name).unlink(missing_ok=True)


def gathered(notes: list[tuple[str, str]]) -> list[str]:
    """The issues' notes as lines: a record missing in several issues said once, with their names."""
    lines, missing = [], {}
    for issue, note in notes:
        if note.startswith("no "):
            missing.setdefault(note, []).append(issue)
        else:
            lines.append(note)
    for note, issues in missing.items():
        names = ", ".join(issues[:5]) + (f" and {len(issues) - 5} more" if len(issues) > 5 else "")
        lines.append(f"{names}: {note}" if len(issues) == 1 else f"{plural(len(issues), 'issue')} ({names}): {note}")
    return lines


def _by_label(issue: Issue, page: Page) -> set[int]:
    """Articles printed on `page` by their record's page label, when no area of any page has them."""
    placed = {a for p in issue.pages for a, _ in p.areas}
    return {n for n, a in enumerate(issue.articles) if n not in placed and a.get("page") == page.label}


def _read_record(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    files, issues = data.get("files"), data.get("issues")
    return {**data, "files": files if isinstance(files, list) else [], "issues": issues if isinstance(issues, dict) else {}}


def read_settings(out: Path) -> dict[str, Any]:
    """The settings the site in `out` was last made with (episodes, base_url, pdf), for `publish web`."""
    found = _read_record(out).get("settings")
    return found if isinstance(found, dict) else {}


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment: the package's templates, autoescape on for .html (and .xml)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["url"] = lambda path: quote(path, safe="/")
    env.filters["issue_title"] = issue_title
    env.filters["long_date"] = long_date
    env.filters["seconds"] = lambda value: f"{value:.3f}"
    env.filters["pt"] = _n
    return env


@lru_cache(maxsize=1)
def site_digest() -> str:
    """The digest of the site's code, templates and static files: a new look (or alignment of
    the sentences) remakes every page, even within one version of publish."""
    files = sorted(
        [*HERE.glob("*.py"), *(p for folder in ("templates", "static") for p in (HERE / folder).iterdir() if p.is_file())]
    )
    return digest([(p.name, file_digest(p)) for p in files], 32)


def printed_parts(article: dict[str, Any]) -> list[tuple[str, str]]:
    """The article's printed parts in reading order, as (kind, text): record.view_parts' head
    (kicker, title, the column tag （…）, subtitle, bylines), then the body's blocks by kind;
    what the subtitle cues are aligned against."""
    head = [("byline-head" if kind == "byline" else kind, text) for kind, text in view_parts({**article, "blocks": []})]
    return head + [(b["kind"], b["text"]) for b in article["blocks"]]


def cue_runs(runs: Any, seen: set[str]) -> list[dict[str, Any]]:
    """One printed part's runs (align.Run: text, cue or None) as dicts for the template: {"text"}
    for plain text; with "cue", "begin", "end" and "first" for a cue's piece, where only the
    cue's first piece on the page (not in `seen`, the cues of the parts before) has its id."""
    shown = []
    for run in runs or []:
        cue = getattr(run, "cue", None)
        if cue is None:
            shown.append({"text": getattr(run, "text", run) if not isinstance(run, str) else run})
            continue
        shown.append({"text": run.text, "cue": cue.id, "begin": cue.start, "end": cue.end, "first": cue.id not in seen})
        seen.add(cue.id)
    return shown


def svg_path(rects: list[list[float]]) -> str:
    """An SVG path of rectangles (x, y, w, h in pt from the top-left): one closed subpath each."""
    return " ".join(f"M{_n(x)} {_n(y)}h{_n(w)}v{_n(h)}h{_n(-w)}z" for x, y, w, h in rects)


def _n(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def month_grids(issues: list[Issue], several: bool) -> list[dict[str, Any]]:
    """A year's month calendars, newest month first: weeks of 7 days from Monday, each day with
    its issues (papers by name); days outside the month are None."""
    by_day: dict[str, list[Issue]] = {}
    for issue in issues:
        by_day.setdefault(issue.date, []).append(issue)
    months = sorted({(int(d[:4]), int(d[5:7])) for d in by_day}, reverse=True)
    grids = []
    for year, month in months:
        weeks = []
        for week in calendar.Calendar(0).monthdayscalendar(year, month):
            days = []
            for day in week:
                found = sorted(by_day.get(f"{year:04d}-{month:02d}-{day:02d}", []), key=lambda i: (i.name, i.key)) if day else []
                days.append({"day": day, "issues": found} if day else None)
            weeks.append(days)
        grids.append({"year": year, "month": month, "weeks": weeks, "several": several, "count": sum(
            len(v) for k, v in by_day.items() if k.startswith(f"{year:04d}-{month:02d}"))})  # fmt: skip
    return grids


def long_date(date: str | None) -> str:
    """2026年11月20日 星期五 (empty for an undated issue)."""
    if not date:
        return ""
    year, month, day = (int(p) for p in date.split("-"))
    weekday = "一二三四五六日"[calendar.weekday(year, month, day)]
    return f"{year}年{month}月{day}日 星期{weekday}"


def issue_title(issue: Issue) -> str:
    """青梧日报 2026年11月20日, or the folder's name for an undated issue."""
    if issue.date:
        year, month, day = (int(p) for p in issue.date.split("-"))
        return f"{issue.name} {year}年{month}月{day}日"
    return f"{issue.name}（{issue.key}）"


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}" if whole >= 3600 else f"{whole // 60}:{whole % 60:02d}"


def feed_names(papers: list[str]) -> dict[str, str]:
    """Each paper's feed file name (without .xml), one per paper: a name its characters had to be
    replaced in (C#报, C%报 → C_报; "." → paper) gets a digest of the paper's name, so it stays the
    same whatever other papers there are; a name still taken (also by case) gets -2, -3 …"""
    names, taken = {}, set()
    for paper in sorted(papers):
        base = file_name(paper)
        if base != paper:
            base += "-" + hashlib.sha256(paper.encode("utf-8")).hexdigest()[:6]
        name, n = base, 2
        while name.casefold() in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name.casefold())
        names[paper] = name
    return names


def file_name(paper: str) -> str:
    """A paper's name as a file name: characters a file system or URL objects to replaced."""
    cleaned = "".join("_" if c in '/\\:*?"<>|#%' or ord(c) < 32 else c for c in paper).strip(". ")
    return cleaned or "paper"
