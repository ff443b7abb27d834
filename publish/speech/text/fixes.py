"""Pronunciation fixes for whole articles: each article's script fixed for the engine used, with
the lexicons of its input and the people it names.

`pronounce.py` fixes single texts; here the article level: which lexicons apply (the paper's
beside the input, the user's, then files given), one reader per set of lexicons and one
pronouncer per engine and set, and the script with every request fixed (`with_fixes`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from ...article import Article
from .lexicon import Lexicon, lexicon_files
from .pronounce import Pronouncer, mandarin
from .readings import WANTS_READING, PinyinReader, has_reading
from .script import Script


class Pronunciations:
    """Fixes articles' scripts for an engine, each article with the lexicons of its input (the
    paper's and the user's, then `extra`) and the people it names."""

    def __init__(
        self,
        extra: list[Path] | None = None,
        enabled: bool = True,
        voice: str | None = None,
        warn: Callable[[str], None] = lambda message: None,
    ):
        self.extra = list(extra or [])
        self.enabled = enabled
        self.voice = voice  # a voice that does not speak Mandarin gets no fixes
        self.warn = warn  # told once per article of each character without a reading
        self.reported: set[tuple[str | None, str, str]] = set()
        self.readers: dict[tuple[Path, ...], PinyinReader] = {}
        self.lexicons: dict[Path, tuple[Path, ...]] = {}  # an input's folder → its lexicon files
        self.pronouncers: dict[tuple[str, tuple[Path, ...]], Pronouncer] = {}

    def script(self, article: Article, script: Script, engine: str) -> Script:
        if not self.enabled or engine not in ("edge", "offline") or not mandarin(self.voice):
            self._report(article, script)
            return script
        source = article.source.file if article.source and article.source.file else None
        folder = Path(source).parent if source else Path()
        if folder not in self.lexicons:  # found once per folder, not once per article
            self.lexicons[folder] = tuple(lexicon_files([Path(source)] if source else []))
        files = (*self.lexicons[folder], *self.extra)
        if files not in self.readers:
            self.readers[files] = PinyinReader(Lexicon.load(*files))
        key = (engine, files)
        if key not in self.pronouncers:
            self.pronouncers[key] = Pronouncer(engine, self.readers[files])
        fixed = with_fixes(script, self.pronouncers[key], [p.name for p in article.people])
        self._report(article, fixed)
        return fixed

    def _report(self, article: Article, script: Script) -> None:
        """Warn once per article of each character that has no reading (㘃, 𠮷, a private-use
        造字): the engine is sent it as it is."""
        chars: dict[str, None] = {}
        for u in script.utterances:
            if u.fixed is not None:
                chars.update((u.spoken[at], None) for at in u.fixed.unread)
            else:
                chars.update((c, None) for c in u.spoken if WANTS_READING.match(c) and not has_reading(c))
        source = article.source.file if article.source and article.source.file else None
        for char in chars:
            key = (source, article.headline.printed_title, char)
            if key not in self.reported:
                self.reported.add(key)
                where = f"{source}: " if source else ""
                self.warn(f"{where}《{key[1]}》: {char} (U+{ord(char):04X}) has no reading: sent to the engine as it is")


def with_fixes(script: Script, pronouncer: Pronouncer, names: list[str] | None = None) -> Script:
    """The script with each request fixed for `pronouncer`'s engine; `names` are the people the
    article names (their surnames are read as surnames)."""
    said = [u for u in script.utterances if u.speakable]
    fixed = dict(zip(map(id, said), pronouncer.fix_many([u.spoken for u in said], names or ()), strict=True))
    sections = [replace(s, utterances=[replace(u, fixed=fixed.get(id(u))) for u in s.utterances]) for s in script.sections]
    return replace(script, sections=sections, engine=pronouncer.engine)


def issue_scripts(
    articles: list[Article],
    engine: str,
    lexicons: list[Path],
    fixes: bool = True,
    voice: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> Iterator[tuple[str, int, str]]:
    """The narration script of each issue (paper and date) as `publish audio --script` shows it,
    with `engine`'s fixes marked, one issue at a time: (issue key, number of articles, text)."""
    from ...issue import group_issues
    from .script import narration, review

    pronunciation = Pronunciations(lexicons, fixes, voice, warn)
    for issue in group_issues(articles):
        text = "".join(
            review(pronunciation.script(a, narration(a), engine), f"{n:02d} {a.headline.printed_title}") + "\n"
            for n, a in enumerate(issue.articles, 1)
        )
        yield issue.key, len(issue.articles), text
