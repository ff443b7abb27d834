"""A build's tasks: per issue (paper and date) its PDF, per article its audio, per issue the
feed over its articles — each with a digest of everything it is made from (the articles'
content, the template, the fonts, the lexicons, the settings, the version of publish)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .._version import __version__
from ..article import Article
from ..config import BuildSettings
from ..digest import digest, file_digest, files_digest
from ..errors import PublishError
from ..issue import group_issues

KINDS = ("pdf", "web", "audio", "feed")


@dataclass(eq=False)  # a task is itself (hashable, compared by identity): archives have 10⁵ of them
class Task:
    """One unit of work: an issue's PDF, its web records, one article's audio, or an issue's feed."""

    kind: str  # pdf | web | audio | feed
    issue: str  # the issue key, paper-date
    articles: list[Article]  # the issue's; for audio the one article
    digest: str
    folder: Path  # OUT/<issue>
    part: str = ""  # audio: the article's folder in the issue (NN-<id>)
    number: int = 0  # audio: the article's place in the issue
    parts: tuple[tuple[str, str], ...] = ()  # feed: (folder, digest) of each article's audio task
    lexicons: str = ""  # audio: digest of the lexicons it is read with (the paper's, the user's, --lexicon)
    fresh: bool = False  # --force: nothing of earlier files is taken over (section files)
    started: bool = False  # it began in a worker process that then died
    failed: tuple[str, ...] = ()  # feed: articles whose audio failed in this run

    @property
    def name(self) -> str:
        return f"{self.issue} {self.part} {self.kind}" if self.part else f"{self.issue} {self.kind}"

    @property
    def order(self) -> tuple[str, int, int]:
        return (self.issue, KINDS.index(self.kind), self.number)


def plan(articles: list[Article], out: Path, settings: BuildSettings) -> list[Task]:
    """The tasks of a build: per issue (paper and date) its PDF, per article its audio, per
    issue the feed over its articles."""
    from ..layout.template import find_template  # reportlab comes with it: only when PDFs are made

    template = file_digest(find_template(settings.template)) if settings.pdf else ""
    fonts = fonts_digest() if settings.pdf else ""
    audio_settings = settings_digest(settings, "audio") if settings.audio else {}
    tasks = []
    seen: dict[str, int] = {}
    for issue in group_issues(articles, settings.facts):
        key = issue.key
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:  # two papers under one name (publish.toml's) on one date: keep both
            key = f"{key}-{seen[key]}"
        folder = out / key
        contents = [article.content_digest() for article in issue.articles]
        if settings.pdf:
            tasks.append(Task("pdf", key, issue.articles, pdf_digest(contents, settings, template, fonts), folder))
        if settings.web:
            made_of = {"articles": contents, "settings": settings_digest(settings, "web")}
            tasks.append(Task("web", key, issue.articles, task_digest(made_of), folder))
        if settings.audio:
            tasks += audio_tasks(key, folder, issue.articles, contents, settings, audio_settings)
    return tasks


def pdf_digest(contents: list[str], settings: BuildSettings, template: str, fonts: str) -> str:
    logo = settings.facts.logo if settings.facts else None
    made_of = {"articles": contents, "settings": settings_digest(settings, "pdf"), "template": template,
               "fonts": fonts, "logo": file_digest(Path(logo)) if logo else ""}  # fmt: skip
    return task_digest(made_of)


def audio_tasks(
    key: str, folder: Path, articles: list[Article], contents: list[str], settings: BuildSettings, audio: dict[str, Any]
) -> list[Task]:
    """Per article its audio task, then the issue's feed task over them."""
    from ..issue import article_folder

    lexicons = task_digest({"found": lexicons_digest(articles), "given": audio["lexicons"]})
    made = []
    for number, (article, content) in enumerate(zip(articles, contents, strict=True), 1):
        part = article_folder(number, article)
        made_of = task_digest({"article": content, "number": number, "lexicons": lexicons, "settings": audio})
        made.append(Task("audio", key, [article], made_of, folder, part, number, lexicons=lexicons))
    parts = tuple((t.part, t.digest) for t in made)
    feed = task_digest({"parts": parts, "settings": settings_digest(settings, "feed")})
    return [*made, Task("feed", key, articles, feed, folder, parts=parts)]


def settings_digest(settings: BuildSettings, kind: str) -> dict[str, Any]:
    """The settings a task of `kind` depends on."""
    facts = asdict(settings.facts) if settings.facts else None
    if kind == "pdf":
        icc = file_digest(Path(settings.icc)) if settings.icc else ""
        output = {"standard": settings.standard, "icc": icc, "tac": settings.tac, "tagged": settings.tagged}
        return {"template": settings.template, "facts": facts, "previews": settings.previews, "dpi": settings.preview_dpi,
                "pages": settings.pages, "web": settings.web, **output}  # fmt: skip
    if kind == "web":
        return {"facts": facts}
    if kind == "feed":
        return {"base_url": settings.base_url, "facts": facts}
    from ..speech.sound.edition import FILES

    lexicons = [file_digest(Path(p)) for p in settings.lexicons]
    return {"engine": settings.engine, "voice": settings.voice, "lexicons": lexicons, "files": FILES}


def task_digest(parts: dict[str, Any]) -> str:
    """A task's digest: what it is made from, and this version of publish."""
    return digest({"version": __version__, **parts}, 16)


def lexicons_digest(articles: list[Article]) -> str:
    """The paper and user lexicons the articles' inputs would be read with."""
    from ..speech.text.lexicon import lexicon_files

    sources = sorted({Path(a.source.file) for a in articles if a.source and a.source.file})
    try:
        files = lexicon_files(sources)
    except PublishError:
        files = []  # the task itself reports it
    return files_digest((str(f), f) for f in files)


def fonts_digest() -> str:
    """The fonts in use ($PUBLISH_FONTS, else the bundled ones), by content (0.1 s a build)."""
    from ..typeset.fonts import FONT_DIR

    files = sorted(p for p in FONT_DIR.glob("*") if p.suffix.lower() in (".otf", ".ttf", ".ttc")) if FONT_DIR.is_dir() else []
    return files_digest((p.name, p) for p in files)
