"""Turn paths (files or folders) into Articles: find inputs, pair sidecars, decode, pick a reader.

Each file is read on its own: a bad file (or a bad record in it) becomes an error in the
result and every other input is still read.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..article import Article
from ..errors import InputError, InputWarning, PublishError, UsageError
from .assemble import add_meta_author
from .decode import decode_bytes
from .fields import read_fields, sidecar_photo_text
from .outputs import own_file, own_folder
from .photos import Folder, Root, attach_stem_photos, find_photos, stem_files
from .private_use import resolve_private_use
from .registry import Document, detect, get_reader

ARTICLE_SUFFIXES = (".txt", ".text", ".md", ".markdown", ".json", ".jsonl", ".ndjson", ".csv", ".tsv")
_TEXT_SUFFIXES = (".txt", ".text", ".md", ".markdown")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".tif", ".tiff", ".bmp", ".svg", ".heic")  # never articles


@dataclass(frozen=True)
class Input:
    """One file to read, as the user named it, with a sidecar `.json` record when one sits beside it."""

    path: Path
    sidecar: Path | None = None
    root: Path | None = None  # the folder its photos must lie in: the folder named, or the file's own

    @property
    def name(self) -> str:
        return str(self.path)


@dataclass
class LoadResult:
    """What a load produced: the articles, the problems (one per bad file or record), and counts."""

    articles: list[Article] = field(default_factory=list)
    errors: list[PublishError] = field(default_factory=list)
    warnings: list[InputWarning] = field(default_factory=list)  # read, with a doubt worth a line
    skipped: list[Skipped] = field(default_factory=list)  # publish's own outputs found among the inputs
    files: int = 0
    bytes: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def find_inputs(
    paths: Iterable[str | Path], sidecars: bool = True, skipped: list[Skipped] | None = None
) -> tuple[list[Input], list[PublishError]]:
    """Expand folders (recursively, sorted, hidden entries skipped) and pair `X.txt` with `X.json`.
    Inside a folder, publish's own outputs are skipped (noted in `skipped` when given); a file
    or folder named as such is read. An image file named is a photo, not an input (noted too)."""
    files: list[Path] = []
    roots: dict[Path, Path] = {}
    images: list[Path] = []
    errors: list[PublishError] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            # a folder of publish's outputs named as input is read as it is: the user asked for it
            noted = None if own_folder(path) else ([] if skipped is None else skipped)
            found = sorted(_walk(path, path, noted))
            if not found:
                errors.append(InputError("no article files here (.txt .md .json .jsonl .csv)", file=path))
            files.extend(found)
            for file in found:
                roots.setdefault(file, path)
        elif path.is_file() and path.suffix.lower() in IMAGE_SUFFIXES:
            images.append(path)  # `publish pdf dump/*` names the photos beside the articles too
        elif path.is_file():
            files.append(path)
            roots.setdefault(path, path.parent)
        elif path.exists():
            errors.append(InputError("not a regular file", file=path))
        else:
            errors.append(InputError("no such file or directory", file=path))
    why = "photos are read with the article that names them or shares their stem"
    if images and not files:
        errors += [InputError(f"an image, not an article: {why}", file=path) for path in images]
    elif skipped is not None:
        skipped += [Skipped(path, f"an image: {why}") for path in images]
    unique = list(dict.fromkeys(files))
    if not sidecars:
        return [Input(p, None, roots.get(p)) for p in unique], errors
    texts = {p.with_suffix("").as_posix() for p in unique if p.suffix.lower() in _TEXT_SUFFIXES}
    inputs: list[Input] = []
    for p in unique:
        if p.suffix.lower() == ".json" and p.with_suffix("").as_posix() in texts:
            continue  # the record beside a text article describes it: read as its sidecar
        side = p.with_suffix(".json") if p.suffix.lower() in _TEXT_SUFFIXES else None
        inputs.append(Input(p, side if side is not None and side.is_file() else None, roots.get(p)))
    return inputs, errors


@dataclass(frozen=True)
class Skipped:
    """A file or folder inside an input folder that was not read: publish's own output."""

    path: Path
    why: str

    def __str__(self) -> str:
        return f"skipped {self.path}{'/' if self.path.is_dir() else ''}: {self.why}"


def _walk(folder: Path, top: Path, skipped: list[Skipped] | None) -> Iterator[Path]:
    """The article files under `folder` (unsorted), leaving out hidden entries and (unless
    `skipped` is None) publish's own output folders and files, noted in `skipped`. Linked
    folders are not followed."""
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            why = own_folder(entry) if skipped is not None and not entry.is_symlink() else None
            if why and skipped is not None:
                skipped.append(Skipped(entry, why))
            elif not entry.is_symlink():
                yield from _walk(entry, top, skipped)
        elif entry.is_file() and entry.suffix.lower() in ARTICLE_SUFFIXES and not _hidden(entry.relative_to(top)):
            why = own_file(entry) if skipped is not None else None
            if why and skipped is not None:
                skipped.append(Skipped(entry, why))
            else:
                yield entry


_NOT_ARTICLES = ("readme", "license", "licence", "changelog", "notice", "copying")


def _hidden(relative: Path) -> bool:
    """Hidden entries and project files (README, LICENSE…) that sit among articles."""
    if relative.stem.lower().split(".")[0] in _NOT_ARTICLES:
        return True
    return any(part.startswith(".") for part in relative.parts)


def read_input(
    item: Input,
    format: str | None = None,
    encoding: str | None = None,
    chars: Mapping[str, str] | None = None,
    image_root: Path | None = None,
    folder: Folder | None = None,
) -> tuple[list[Article], list[PublishError], int]:
    """Articles and problems (errors, and `InputWarning`s) from one input file, and how many
    bytes it had. `chars` maps the paper's private-use characters (publish.toml's [chars]);
    photos are looked for inside `image_root` (default: the input's root, see `Input.root`)."""
    try:
        data = item.path.read_bytes()
    except OSError as error:
        return [], [InputError(f"cannot read: {error.strerror or error}", file=item.name)], 0
    errors: list[PublishError] = []
    sidecar = _read_sidecar(item.sidecar, errors) if item.sidecar else None
    try:
        decoded = decode_bytes(data, item.name, encoding)
        text, unmapped = resolve_private_use(decoded.text, chars)
        errors += private_use_warnings(item.name, unmapped)
        doc = Document(item.name, text, decoded.encoding, sidecar)
        reader = get_reader(format) if format else detect(doc)
        results = reader.read(doc)
    except PublishError as error:
        return [], [*errors, error], len(data)
    except Exception as error:  # a bug in a reader must not sink the other inputs
        problem = PublishError(
            f"internal error while reading ({type(error).__name__}: {error}); please report this file", file=item.name
        )
        return [], [*errors, problem], len(data)
    articles = [r for r in results if isinstance(r, Article)]
    errors += [r for r in results if not isinstance(r, Article)]
    if sidecar is not None:
        for article in articles:
            apply_sidecar(article, sidecar)
    try:
        errors += _photos(item, articles, sidecar, image_root, folder)
    except Exception as error:  # a bug in finding photos must not sink the other inputs either
        errors.append(
            PublishError(
                f"internal error while finding photos ({type(error).__name__}: {error}); please report this file", file=item.name
            )
        )
    return articles, errors, len(data)


def _photos(
    item: Input, articles: list[Article], sidecar: dict | None, image_root: Path | None, folder: Folder | None
) -> list[InputWarning]:
    """Attach the photos a sidecar names and the image files sharing the input's stem (to its
    one article), then find every photo's file inside the image root: a warning for each that
    cannot be used."""
    problems: list[InputWarning] = []
    stems = stem_files(item.path, ARTICLE_SUFFIXES, folder)
    sidecar_photos = read_fields(sidecar).photos if sidecar else []
    if len(articles) == 1 and (stems or sidecar_photos):
        attach_stem_photos(articles[0], stems, sidecar_photos, sidecar_photo_text(sidecar) if sidecar else ("", ""))
    elif len(articles) > 1 and stems:
        problems.append(
            InputWarning(
                f"{', '.join(stems)} beside a file of {len(articles)} articles: not attached to any "
                "(name each article's photos in its record's images)",
                file=item.name,
            )
        )
    if any(article.photos for article in articles):
        root = Root.of(image_root or item.root or item.path.parent)
        for article in articles:
            problems += find_photos(article, root)
    return problems


def private_use_warnings(file: str, unmapped: list[tuple[int, str]]) -> list[InputWarning]:
    """One warning per line and private-use character that nothing maps."""
    return [
        InputWarning(
            f"private-use character U+{ord(ch):04X} (a 造字 with no standard code point) kept as is: "
            f'map it in publish.toml, [chars] "U+{ord(ch):04X}" = "…"',
            file=file,
            line=line,
        )
        for line, ch in unmapped
    ]


def _read_sidecar(path: Path, errors: list[PublishError]) -> dict | None:
    try:
        value = json.loads(decode_bytes(path.read_bytes(), str(path)).text)
    except (OSError, PublishError, json.JSONDecodeError) as error:
        reason = error.msg if isinstance(error, json.JSONDecodeError) else str(error)
        errors.append(InputError(f"sidecar record ignored: {reason}", file=path))
        return None
    return value if isinstance(value, dict) else None


def apply_sidecar(article: Article, record: dict) -> None:
    """Fill what the text lacks (paper, date, page, url, id, author, lead, priority) from the record beside it."""
    fields = read_fields(record)
    if fields.paper is not None:
        article.paper.fill_from(fields.paper)
    article.url = article.url or fields.url
    article.id = article.id or fields.id
    if fields.author:
        add_meta_author(article.bylines, fields.author, None)
    article.lead_story = article.lead_story or fields.lead
    article.priority = fields.priority if article.priority is None else article.priority


def collect(
    paths: Iterable[str | Path],
    *,
    format: str | None = None,
    encoding: str | None = None,
    sidecars: bool = True,
    on_file: Callable[[Input], None] | None = None,
    chars: Mapping[str, str] | None = None,
    image_root: str | Path | None = None,
) -> LoadResult:
    """Read every input; problems are collected, never raised (see `LoadResult.errors` and
    `.warnings`). `chars` maps the paper's private-use characters (publish.toml's [chars]).
    Photos must lie inside `image_root` (default: each input folder named, or a file's folder)."""
    if format:
        get_reader(format)  # an unknown format is a usage error before any file is read
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise UsageError(f"unknown encoding {encoding!r}") from None
    if image_root is not None and not Path(image_root).is_dir():
        raise UsageError(f"image root {image_root} is not a folder")
    root = Path(image_root) if image_root is not None else None
    result, folder = LoadResult(), Folder()
    inputs, result.errors = find_inputs(paths, sidecars, result.skipped)
    for item in inputs:
        if on_file:
            on_file(item)
        articles, problems, size = read_input(item, format, encoding, chars, root, folder)
        result.articles.extend(articles)
        result.warnings.extend(p for p in problems if isinstance(p, InputWarning))
        result.errors.extend(p for p in problems if not isinstance(p, InputWarning))
        result.files += 1
        result.bytes += size
    return result
