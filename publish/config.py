"""The settings of a run, as data classes that check themselves, merged defaults → `publish.toml`
→ options here in the library, so that the Python API and the command line give the same
one-line errors.

A setting that cannot be used raises `ConfigError` naming its key (``build.jobs: must be int,
not 'many'``). Where the value came from decides how the error reads: a `publish.toml` adds its
file and line, an option its own spelling (``--engine must be one of …``), a Python argument
the key alone.

    publish.toml            template = "tabloid"; [paper] the masthead's facts; [build] batch settings;
                            [chars] the paper's private-use characters (造字); [[articles]] leads, priorities;
                            [press] icc, tac: the press's output profile and ink limit (--standard press)
    Config                  one publish.toml, its shape checked (unknown keys, tables)
    PdfSettings             newspaper or galley PDFs: template, paper facts, previews, strict, jobs
    AudioSettings           audio editions: engine, voice, prosody, requests, sound, lexicons …
    BuildSettings           what a batch build makes and how (publish build, publish.build)
    Workers                 where a batch runs: worker processes or a Dask scheduler
    EditorialSettings       the date of undated articles, --lead, [[articles]]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .editorial import ENTRY_KEYS, ArticleRule
from .errors import ConfigError, LexiconError, TemplateError, UsageError
from .fsutil import read_toml, toml_line
from .issue import FACT_KEYS, IssueFacts

CONFIG_NAME = "publish.toml"
TABLES = ("paper", "template", "build", "chars", "articles", "press")
PRESS_KEYS = ("icc", "tac")  # [press]: the press's output profile and total ink limit
MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)  # MPEG-2 Layer III, as 24 kHz mono needs
# a setting's key → its command-line option, where that is not "--" + the key with dashes
OPTIONS = {
    "edge_requests": "--requests",
    "requests": "--requests",
    "lexicons": "--lexicon",
    "use_cache": "--no-cache",
    "leads": "--lead",
}


def option_name(key: str) -> str:
    """How the command line spells the option of a setting (`build.edge_requests` → `--requests`)."""
    name = key.rpartition(".")[2]
    return OPTIONS.get(name, "--" + name.replace("_", "-"))


# ---- checks every settings class uses ---------------------------------------------------------


def check_types(settings: Any, section: str = "") -> None:
    """Each field's value against its annotation (int, float, str, bool, Path, tuples of them, or
    None where the annotation allows it): `section.key: must be int, not 'many'`."""
    hints = typing.get_type_hints(type(settings))
    for item in dataclasses.fields(settings):
        if not item.init or item.name == "facts":
            continue
        value = getattr(settings, item.name)
        allowed = _plain_types(hints[item.name])
        if allowed and not _is_instance(value, allowed):
            names = " or ".join(t.__name__ for t in allowed if t is not type(None))
            raise ConfigError(f"must be {names}, not {value!r}", key=_key(section, item.name))


def _plain_types(hint: Any) -> tuple[type, ...]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        found: list[type] = []
        for member in typing.get_args(hint):
            found += _plain_types(member)
        return tuple(found)
    if typing.get_origin(hint) is tuple:
        return (tuple,)
    return (hint,) if isinstance(hint, type) and hint is not Any else ()


def _is_instance(value: Any, allowed: tuple[type, ...]) -> bool:
    if isinstance(value, bool) and bool not in allowed:
        return False  # TOML's true is not the int 1
    if float in allowed and isinstance(value, int) and not isinstance(value, bool):
        return True
    return isinstance(value, allowed)


def _key(section: str, name: str) -> str:
    return f"{section}.{name}" if section else name


def at_least(value: int | None, least: int, key: str, most: int | None = None) -> None:
    """`key: must be at least N, not M` (and at most `most`); None passes."""
    if value is not None and (value < least or (most is not None and value > most)):
        limit = f"from {least} to {most}" if most is not None else f"at least {least}"
        raise ConfigError(f"must be {limit}, not {value}", key=key)


def check_engine(engine: str, key: str = "engine") -> None:
    from .speech.sound.engines import CHOICES

    if engine not in CHOICES:
        raise ConfigError(f"must be one of {', '.join(CHOICES)}, not {engine!r}", key=key)


def load_lexicon(*paths: Path | str, near: list[Path] = (), builtin: bool = True):  # type: ignore[assignment]
    """The lexicons a user asks for — the built-in one, those found beside the inputs `near`
    (the paper's, the user's), then `paths` — loaded; one that cannot be used is a usage error
    with its own file and line."""
    from .speech.text.lexicon import Lexicon, lexicon_files

    try:
        return Lexicon.load(*lexicon_files(near), *(Path(p) for p in paths), builtin=builtin)
    except OSError as error:
        raise ConfigError(f"cannot read the lexicon {error.filename}: {error.strerror}") from None
    except LexiconError as error:
        raise ConfigError(error.message, file=error.file, line=error.line) from None


def check_lexicons(paths: tuple[Path | str, ...]) -> None:
    """Every lexicon file the user names readable and valid, before any work."""
    if paths:
        load_lexicon(*paths, builtin=False)


def check_logo(facts: IssueFacts | None) -> None:
    """The paper's logo, when it has one, is an image or drawing that can be drawn (a bad logo
    fails here, before any work)."""
    if facts is None or not facts.logo:
        return
    if not Path(facts.logo).is_file():
        raise ConfigError(f"{facts.logo}: logo not found", key="paper.logo", label="")
    from .render.pdf import check_logo as check_drawable

    check_drawable(facts.logo)


PAGE_MODES = ("auto", "keep")


def check_pages(pages: str) -> None:
    """How 版次 become pages: `auto` (under-filled ones share a page, too much copy goes on at the
    next) or `keep` (one page per 版次, as the paper printed it)."""
    if pages not in PAGE_MODES:
        raise ConfigError(f"must be one of {', '.join(PAGE_MODES)}, not {pages!r}", key="pages")


def check_standard(standard: str) -> None:
    """The standard a PDF is made to: plain, press (PDF/X-4) or archive (PDF/A-2u)."""
    from .render.output import STANDARDS

    if standard not in STANDARDS:
        raise ConfigError(f"must be one of {', '.join(STANDARDS)}, not {standard!r}", key="standard")


TAC_RANGE = (100.0, 400.0)  # percent: below 100 no colour prints, 400 is every ink at full


def check_press(icc: str | None, tac: Any, section: str = "") -> None:
    """The press's profile (a CMYK ICC file: render.icc) and ink limit (a number of percent)."""
    if tac is not None:
        if isinstance(tac, bool) or not isinstance(tac, int | float):
            raise ConfigError(f"must be a number of percent, not {tac!r}", key=f"{section}tac")
        if not TAC_RANGE[0] <= tac <= TAC_RANGE[1]:
            raise ConfigError(f"must be from {TAC_RANGE[0]:g} to {TAC_RANGE[1]:g} percent, not {tac:g}", key=f"{section}tac")
    if icc is not None:
        from .render.icc import press_profile

        try:
            press_profile(icc)
        except ConfigError as error:
            raise ConfigError(error.reason, key=f"{section}icc") from None


def check_template(template: str) -> None:
    """A bad template is a usage error before any work (its own file, line and key)."""
    from .layout.template import load_template

    load_template(template)


# ---- publish.toml -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    """One `publish.toml` (none: empty), its shape checked: `template`, `[paper]`, `[build]`."""

    path: Path | None = None
    text: str = ""
    template: str | None = None
    paper: dict[str, Any] = field(default_factory=dict)
    build: Any = field(default_factory=dict)  # a table once `build_run` has checked it
    chars: dict[str, str] = field(default_factory=dict)  # [chars]: the paper's 造字, private-use character → text
    articles: tuple[ArticleRule, ...] = ()  # [[articles]]: the editor's lead and priorities
    press: dict[str, Any] = field(default_factory=dict)  # [press]: icc (a path from the file's folder), tac

    def facts(self) -> IssueFacts:
        """The `[paper]` facts (an empty set without them); a count in them is at least 1. Its
        `date` is not one of them: it dates undated articles (`date`), it does not redate others."""
        facts = self.checked(lambda: IssueFacts(**{k: v for k, v in self.paper.items() if k != "date"}))
        for name in ("issue_number", "pages"):
            self.checked(lambda name=name: at_least(getattr(facts, name), 1, f"paper.{name}"))
        return facts

    @property
    def date(self) -> dt.date | None:
        """`[paper] date`: the date of articles that carry none (a TOML date or "YYYY-MM-DD")."""
        return self.checked(lambda: issue_date(self.paper.get("date"), "paper.date"))

    def where(self, key: str) -> tuple[str | None, int | None]:
        """The file and line that set a key (`build.jobs`, `paper.name`, `template`)."""
        if self.path is None:
            return None, None
        return str(self.path), toml_line(self.text, key)

    def locate(self, error: ConfigError) -> ConfigError:
        """The error said of the file and line that set its key (unchanged without a key)."""
        if error.key is None:
            return error
        file, line = self.where(error.key)
        return error.located(file=file, line=line)

    def checked(self, make: typing.Callable[[], Any]) -> Any:
        """`make()`, its ConfigError located in this file."""
        try:
            return make()
        except ConfigError as error:
            raise self.locate(error) from None


def find_config(inputs: list[Path]) -> Path | None:
    """The `publish.toml` in the first input folder (or the folder of the first input file)."""
    for item in inputs:
        folder = item if item.is_dir() else item.parent
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def load_config(inputs: list[Path]) -> Config:
    """The inputs' `publish.toml`, read and checked (empty without one)."""
    path = find_config(inputs)
    return read_config(path) if path is not None else Config()


def read_config(path: Path) -> Config:
    """A `publish.toml`: an optional `template`, `[paper]` facts (name, cn, publisher,
    issue_number, pages, post_code, website, logo; date for undated articles), `[[articles]]`
    (the editor's lead and priorities) and `[build]` settings. Relative paths in
    it (a template .toml, the logo, the output) are taken from its folder."""
    data, text = read_toml(path, ConfigError)
    problem = _shape_problem(data)
    if problem is not None:
        raise problem.located(file=path, line=toml_line(text, problem.key or ""))
    paper, template = data.get("paper", {}), data.get("template")
    # [build] is checked by `build_run` alone: `publish pdf` does not read it
    chars = _private_chars(data.get("chars", {}), path, text)
    rules = _article_rules(data.get("articles", []), path, text)
    press = _press_table(data.get("press", {}), path, text)
    config = Config(path, text, _beside(path, template, ".toml"), dict(paper), data.get("build", {}), chars, rules, press)
    if isinstance(config.paper.get("logo"), str) and config.paper["logo"]:
        config.paper["logo"] = _beside(path, config.paper["logo"])
    if isinstance(config.build, dict) and isinstance(config.build.get("output"), str) and config.build["output"]:
        config.build["output"] = _beside(path, config.build["output"])
    return config


def _press_table(table: Any, path: Path, text: str) -> dict[str, Any]:
    """`[press]`: `icc` (the press's CMYK profile, relative to the file's folder) and `tac` (the
    total ink limit in percent), each checked here with the file and line at fault."""
    if not isinstance(table, dict):
        raise ConfigError("[press] must be a table", key="press", label="", file=path, line=toml_line(text, "press"))
    press = dict(table)
    try:
        for key in press:
            if key not in PRESS_KEYS:
                raise ConfigError(f"unknown key; known: {', '.join(PRESS_KEYS)}", key=f"press.{key}")
        if isinstance(press.get("icc"), str):
            press["icc"] = _beside(path, press["icc"])
        if "icc" in press and not isinstance(press["icc"], str):
            raise ConfigError(f"must be the path of an ICC profile, not {press['icc']!r}", key="press.icc")
        check_press(None, press.get("tac"), "press.")  # the profile is read when a run is for the press
    except ConfigError as error:
        raise error.located(file=path, line=toml_line(text, error.key or "press")) from None
    return press


CHAR_KEY = re.compile(r"U\+([0-9A-Fa-f]{4,6})")
CHAR_VALUE_MAX = 8  # characters: one character, or a short spelled-out form such as 「⿰石页」


def _private_chars(table: Any, path: Path, text: str) -> dict[str, str]:
    """`[chars]`: ``"U+E3A1" = "䶮"`` — each key a private-use code point, each value the
    character (or a short text) that stands for it; an error names the line at fault."""
    if not isinstance(table, dict):
        raise ConfigError("[chars] must be a table", key="chars", label="", file=path, line=toml_line(text, "chars"))
    chars: dict[str, str] = {}
    for key, value in table.items():
        problem = _char_problem(key, value)
        if problem:
            label = f'chars."{key}"'
            line = toml_line(text, label) or toml_line(text, f"chars.'{key}'") or toml_line(text, "chars")
            raise ConfigError(problem, key=label, file=path, line=line)
        chars[chr(int(key[2:], 16))] = value
    return chars


def _char_problem(key: str, value: Any) -> str | None:
    m = CHAR_KEY.fullmatch(key)
    if not m:
        return 'the key must be a code point written U+XXXX (e.g. "U+E3A1")'
    code = int(m.group(1), 16)
    if not (0xE000 <= code <= 0xF8FF or 0xF0000 <= code <= 0xFFFFD or 0x100000 <= code <= 0x10FFFD):
        return f"U+{code:04X} is not a private-use code point (U+E000–U+F8FF, U+F0000–U+10FFFD): only 造字 are mapped"
    if not isinstance(value, str) or not value:
        return f"must be the character that stands for U+{code:04X}, not {value!r}"
    if len(value) > CHAR_VALUE_MAX or any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in value):
        return f"must be one character or a short text ({CHAR_VALUE_MAX} characters at most, no spaces), not {value!r}"
    return None


def _shape_problem(data: dict[str, Any]) -> ConfigError | None:
    """What is wrong with a publish.toml's shape (unknown keys, a table that is not one), if anything."""
    unknown = sorted(set(data) - set(TABLES))
    if unknown:
        return ConfigError(f"unknown key {unknown[0]!r}; known: {', '.join(TABLES)}", key=unknown[0], label="")
    paper = data.get("paper", {})
    if not isinstance(paper, dict):
        return ConfigError("[paper] must be a table", key="paper", label="")
    for key in paper:
        if key not in FACT_KEYS:
            return ConfigError(f"unknown key; known: {', '.join(sorted(FACT_KEYS))}", key=f"paper.{key}")
    template = data.get("template")
    if template is not None and not isinstance(template, str):
        return ConfigError("must be a template name or a .toml path", key="template")
    return None


def _article_rules(entries: Any, path: Path, text: str) -> tuple[ArticleRule, ...]:
    """`[[articles]]`: each entry `match` (a title's text or a file name) with `lead = true`
    and/or `priority = N`; an error names the entry's line (or its key's)."""
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        where = toml_line(text, "articles")
        raise ConfigError(
            "must be [[articles]] tables (match = …, lead = true, priority = N)", key="articles", file=path, line=where
        )
    headers = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"\s*\[\[\s*articles\s*\]\]", line)]
    rules = []
    for number, entry in enumerate(entries):
        first = headers[number] if number < len(headers) else toml_line(text, "articles")
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        problem = ConfigError(f"unknown key; known: {', '.join(ENTRY_KEYS)}", key=unknown[0]) if unknown else None
        if problem is None:
            try:
                rules.append(ArticleRule(**entry))
            except ConfigError as error:
                problem = error
        if problem is not None:
            raise ConfigError(
                problem.reason, key=f"articles.{problem.key}", file=path, line=_entry_line(text, first, problem.key)
            )
    return tuple(rules)


def _entry_line(text: str, first: int | None, key: str | None) -> int | None:
    """The line of `key = …` in the array-of-tables entry whose header is on line `first`."""
    if first is None:
        return None
    lines = text.splitlines()
    for number in range(first + 1, len(lines) + 1):
        line = lines[number - 1]
        if re.match(r"\s*\[", line):
            break
        if key and re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return first


def issue_date(value: Any, key: str = "date") -> dt.date | None:
    """A date given as a date or as `YYYY-MM-DD` text (None: not given)."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"must be a date YYYY-MM-DD, not {value!r}", key=key)


def _beside(path: Path, value: str | None, suffix: str = "") -> str | None:
    """A relative file path in `path`'s folder (a name without `suffix` is not a path)."""
    if not value or Path(value).is_absolute() or (suffix and not value.endswith(suffix)):
        return value
    return str(path.parent / value)


def merged(config: Config, make: typing.Callable[..., Any], table: dict[str, Any], options: dict[str, Any]) -> Any:
    """`make(**values)` from a `publish.toml` table and the options given (None: not given), the
    options winning; an error names the option, or the file and line, that set the value."""
    given = {key: value for key, value in options.items() if value is not None}
    try:
        return make(**{**table, **given})
    except ConfigError as error:
        name = (error.key or "").rpartition(".")[2]
        if name in given:
            raise error.located(label=option_name(name)) from None
        if name in table:
            raise config.locate(error) from None
        raise


# ---- PDFs ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfSettings:
    """How articles become PDFs: the template (a bundled name, a .toml path, a loaded Template,
    or "galley" for plain columns), the paper's facts over the articles', previews beside each
    PDF, clreq strict line breaking, and processes to compose with (None: the cores)."""

    template: Any = "broadsheet"
    facts: IssueFacts = field(default_factory=IssueFacts)
    previews: bool = True
    preview_dpi: int = 72
    strict: bool = False
    jobs: int | None = None
    pages: str = "auto"  # auto: under-filled 版次 share a page; keep: one page per 版次
    standard: str = "plain"  # plain | press (PDF/X-4) | archive (PDF/A-2u): render.output
    icc: str | None = None  # press: the CMYK output profile ([press] icc; None: found on the system, else bundled)
    tac: float | None = None  # press: total ink limit, percent ([press] tac; None: the profile's)
    tagged: bool = True  # a structure tree (PDF/UA-1) in every standard

    def __post_init__(self) -> None:
        check_types(self)
        at_least(self.preview_dpi, 10, "preview_dpi", 600)
        at_least(self.jobs, 1, "jobs")
        check_pages(self.pages)
        check_standard(self.standard)
        check_press(self.icc if self.standard == "press" else None, self.tac)
        check_logo(self.facts)
        if not self.galley:
            _ = self.layout  # a bad template fails here, before any work

    @property
    def galley(self) -> bool:
        return self.template == "galley"

    @property
    def output(self):
        """What the renderer draws for and the finishing pass writes (render.output.Output)."""
        from .render.output import Output

        return Output(self.standard, self.icc, self.tac, self.tagged)

    @cached_property
    def layout(self):
        """The page template (layout.template.Template)."""
        from .layout.template import Template, load_template

        return self.template if isinstance(self.template, Template) else load_template(self.template)


def pdf_settings(
    config: Config | None, *, template: str | None = None, paper: dict[str, Any] | None = None, **options: Any
) -> PdfSettings:
    """PdfSettings from `publish.toml` (its template and [paper] facts) and the options: `paper`
    facts (None: not given) win over the file's, `template` over its template."""
    config = config or Config()
    settings = _pdf_settings(config, template, paper, options)
    press_options(settings.standard, options)
    return settings


def press_options(standard: str, options: dict[str, Any]) -> None:
    """`--icc` and `--tac` given for a PDF that is not for the press are a mistake, not ignored
    (a `[press]` table in publish.toml is simply not used then)."""
    given = [key for key in ("icc", "tac") if options.get(key) is not None]
    if given and standard != "press":
        raise UsageError(f"--{given[0]} is for the press: it goes with --standard press (not {standard})")


def _pdf_settings(config: Config, template: str | None, paper: dict[str, Any] | None, options: dict[str, Any]) -> PdfSettings:
    if template == "galley":  # the option only: a publish.toml names a page template
        return merged(config, PdfSettings, {}, {"template": template, **options})
    if config.template == "galley" and not template:
        problem = ConfigError("galley is not a page template (it is an option: publish pdf -t galley)", key="template")
        raise config.locate(problem)
    chosen = template or config.template or "broadsheet"
    facts = config.facts().merged(**(paper or {}))
    try:
        return merged(config, PdfSettings, config.press, {"template": chosen, "facts": facts, **options})
    except ConfigError as error:
        given = {"template": template, "paper.logo": (paper or {}).get("logo"), "icc": options.get("icc")}
        raise from_file(config, error, given) from None


def from_file(config: Config, error: ConfigError, given: dict[str, Any]) -> ConfigError:
    """An error about the template or the logo said of the publish.toml line that named it —
    unless an option gave the value (`given`), or it is about a line of the template file itself."""
    key = error.key or ("template" if isinstance(error, TemplateError) and error.file is None else None)
    if key == "icc" and not given.get("icc") and config.press.get("icc"):
        key = "press.icc"  # the profile [press] names
    if key not in ("template", "paper.logo", "press.icc") or given.get(key) or config.path is None:
        return error
    label = key if key == "press.icc" or not error.key else error.label
    return config.locate(type(error)(error.reason, key=key, label=label))


# ---- the editor's word -------------------------------------------------------------------------


@dataclass(frozen=True)
class EditorialSettings:
    """What the editor says beyond the articles' files: the date of undated articles (a date or
    `YYYY-MM-DD`), the texts naming each page's lead (`--lead`), publish.toml's [[articles]]."""

    date: Any = None
    leads: tuple[str, ...] = ()
    rules: tuple[ArticleRule, ...] = ()

    def __post_init__(self) -> None:
        check_types(self)
        object.__setattr__(self, "date", issue_date(self.date))
        for text in self.leads:
            if not isinstance(text, str) or not text.strip():
                raise ConfigError(f"must be the text of a title or a file name, not {text!r}", key="leads")


def editorial_settings(config: Config | None, *, date: str | None = None, leads: list[str] | None = None) -> EditorialSettings:
    """EditorialSettings from `publish.toml` ([paper] date, [[articles]]) and the options
    (`--date` wins over [paper] date; None: not given)."""
    config = config or Config()
    table = {"date": config.date, "rules": config.articles}
    return merged(config, EditorialSettings, table, {"date": date, "leads": tuple(leads) if leads else None})


# ---- audio --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AudioSettings:
    """How articles are read aloud: the engine (auto, edge, offline) and voice, prosody as
    edge-tts spells it, requests to the engine at once, processes making the files (None: the
    cores), the sound of the edition (gap between sections, MP3 bit rate, cover art, feed URL),
    the clip cache (None: the default; `use_cache` False: a scratch one), extra lexicons and
    whether pronunciation fixes are sent."""

    engine: str = "auto"
    voice: str | None = None
    rate: str = "+0%"
    volume: str = "+0%"
    pitch: str = "+0Hz"
    requests: int = 4
    processes: int | None = None
    gap: float = 1.5
    bitrate: int = 64
    cover: Path | None = None
    base_url: str = ""
    cache: Path | None = None
    use_cache: bool = True
    lexicons: tuple[Path, ...] = ()
    fixes: bool = True

    def __post_init__(self) -> None:
        check_types(self)
        check_engine(self.engine)
        _ = self.prosody
        at_least(self.requests, 1, "requests", 32)
        at_least(self.processes, 1, "processes")
        if not 0 <= self.gap <= 10:
            raise ConfigError(f"must be from 0 to 10 seconds, not {self.gap}", key="gap")
        if self.bitrate not in MP3_BITRATES:
            raise ConfigError(f"{self.bitrate}: 24 kHz MP3 has {', '.join(map(str, MP3_BITRATES))} kbit/s", key="bitrate")
        if self.cover is not None and (not self.cover.is_file() or self.cover.suffix.lower() not in (".png", ".jpg", ".jpeg")):
            raise ConfigError(f"{self.cover}: not a PNG or JPEG file", key="cover")
        check_lexicons(self.lexicons)

    @property
    def prosody(self):
        """Rate, volume and pitch (speech.sound.engines.base.Prosody, which checks their spelling)."""
        from .speech.sound.engines.base import Prosody

        return Prosody(self.rate, self.volume, self.pitch)

    def edition(self):
        """The sound of the edition (speech.sound.edition.EditionSettings)."""
        from .speech.sound.edition import EditionSettings

        return EditionSettings(gap=self.gap, bitrate=self.bitrate, cover=self.cover, base_url=self.base_url)


def audio_settings(**options: Any) -> AudioSettings:
    """AudioSettings from the options (None: not given); `publish audio` reads no publish.toml."""
    return merged(Config(), AudioSettings, {}, options)


# ---- batch builds -------------------------------------------------------------------------------

# `publish.toml`'s [build] table: key → the type of its value
BUILD_KEYS: dict[str, type] = {
    "pdf": bool,
    "audio": bool,
    "jobs": int,
    "scheduler": str,
    "previews": bool,
    "preview_dpi": int,
    "engine": str,
    "voice": str,
    "edge_requests": int,
    "base_url": str,
    "output": str,
    "standard": str,
    "tagged": bool,
    "web": bool,
    "episodes": int,
}


@dataclass(frozen=True)
class BuildSettings:
    """What a batch build makes and how: PDFs (template, paper facts, previews) and audio
    (engine, voice, clip cache, extra lexicons, requests to edge-tts at once for the whole run or
    cluster, the URL the feeds' enclosures start with)."""

    pdf: bool = True
    audio: bool = True
    template: str = "broadsheet"
    pages: str = "auto"  # auto | keep, as for PdfSettings
    facts: IssueFacts | None = None
    previews: bool = True
    preview_dpi: int = 72
    engine: str = "auto"
    voice: str | None = None
    cache: str | None = None  # the clip cache folder (None: the default one)
    lexicons: tuple[str, ...] = ()
    edge_requests: int = 4  # requests to edge-tts at once, for the whole run or cluster
    base_url: str = ""  # where the issues will be served: the feeds' enclosures start with it
    standard: str = "plain"  # plain | press | archive, as for PdfSettings
    icc: str | None = None  # [press] icc
    tac: float | None = None  # [press] tac
    tagged: bool = True
    web: bool = True  # the digital edition (数字报): page views, article views, archive, search
    episodes: int = 100  # the latest articles in each paper's whole feed (feeds/<paper>.xml)

    def __post_init__(self) -> None:
        check_types(self, "build")
        if not self.pdf and not self.audio:
            raise ConfigError("--no-pdf and --no-audio leave nothing to build")
        check_engine(self.engine, "build.engine")
        at_least(self.edge_requests, 1, "build.edge_requests")
        at_least(self.preview_dpi, 10, "build.preview_dpi", 600)
        at_least(self.episodes, 1, "build.episodes", 100_000)
        check_lexicons(self.lexicons)
        if self.pdf:
            check_template(self.template)
            check_pages(self.pages)
            check_standard(self.standard)
            check_press(self.icc if self.standard == "press" else None, self.tac)
            check_logo(self.facts)

    @property
    def output(self):
        """What the PDFs are made to (render.output.Output)."""
        from .render.output import Output

        return Output(self.standard, self.icc, self.tac, self.tagged)


@dataclass(frozen=True)
class Workers:
    """Where a build runs: `jobs` worker processes on this machine (1: this process), or a Dask
    scheduler: "local" for a LocalCluster of `jobs` workers, or an address (tcp://host:8786)."""

    jobs: int | None = None  # None: the cores available
    scheduler: str | None = None

    def __post_init__(self) -> None:
        check_types(self, "build")
        at_least(self.jobs, 1, "build.jobs", 256)
        if self.scheduler and self.scheduler != "local" and "://" not in self.scheduler:
            raise ConfigError(f"{self.scheduler}: give an address like tcp://host:8786, or local", key="build.scheduler")

    @property
    def count(self) -> int:
        """Worker processes (or Dask workers of a local cluster): `jobs`, else the cores."""
        from .runtime import default_jobs

        return self.jobs or default_jobs()


def check_build_table(table: Any) -> None:
    """[build]: a table of known keys, each value of its type (whether or not an option overrides it)."""
    if not isinstance(table, dict):
        raise ConfigError("[build] must be a table", key="build", label="")
    for key, value in table.items():
        wanted = BUILD_KEYS.get(key)
        if wanted is None:
            raise ConfigError(f"unknown key; known: {', '.join(BUILD_KEYS)}", key=f"build.{key}")
        if not _is_instance(value, (wanted,)):
            raise ConfigError(f"must be {wanted.__name__}, not {value!r}", key=f"build.{key}")


@dataclass(frozen=True)
class BuildRun:
    """A `publish build` as its options and `publish.toml` settle it."""

    settings: BuildSettings
    workers: Workers
    output: Path


def build_run(
    config: Config, *, output: Path | None = None, jobs: int | None = None, scheduler: str | None = None, **options: Any
) -> BuildRun:
    """The settings of `publish build` from `publish.toml` ([build], the template and [paper]) and
    the options (None: not given)."""
    config.checked(lambda: check_build_table(config.build))
    table = {k: v for k, v in config.build.items() if k not in ("jobs", "scheduler", "output")}
    table["facts"] = config.facts()
    table.update(config.press)
    if config.template:
        table["template"] = config.template
    try:
        settings = merged(config, BuildSettings, table, options)
    except ConfigError as error:
        raise from_file(config, error, {"template": options.get("template"), "icc": options.get("icc")}) from None
    press_options(settings.standard, options)
    given = {"jobs": jobs, "scheduler": scheduler}
    workers = merged(config, Workers, {k: config.build[k] for k in ("jobs", "scheduler") if k in config.build}, given)
    out = output or Path(config.build.get("output") or "out/build")
    if out.exists() and not out.is_dir():
        problem = ConfigError(f"{out} exists and is not a folder", key="build.output")
        raise problem.located(label="--output") if output else config.locate(problem)
    return BuildRun(settings, workers, out)
