"""Photos on articles: their caption blocks, the image files beside a dump that share its stem,
and finding each photo's file safely.

A photo's file is looked for only inside the image root (the input folder the user named, the
file's own folder when a file was named, or ``--image-root``): URLs, absolute paths, ``..``
escapes and links that lead out of the root are refused with one warning each and nothing is
read or fetched, so a crawled record cannot pull an arbitrary file into a PDF. A file that is
missing or not a readable image gets one warning too; the article is set without the photo and
its caption stays in the body.
"""

from __future__ import annotations

import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from ..article import Article, Block, BlockKind, Photo
from ..errors import InputWarning
from .normalize import normalize_text

PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")  # image files beside a dump that are its photos
PRINTABLE = ("JPEG", "MPO", "PNG", "WEBP", "GIF", "TIFF")  # what Pillow names the formats photos may come in
NAME_MAX = 1024  # characters: a longer "file name" is not one
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.\-]+:|//|\\\\)")
_ABSOLUTE = re.compile(r"^(?:[/\\~]|[A-Za-z]:)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ORIENTATION = 0x0112  # EXIF: 5–8 turn the picture a quarter, so width and height swap


def add_photo(article: Article, photo: Photo) -> None:
    """Give `article` the photo, with a caption block after the body when it has a caption or credit."""
    if photo.caption or photo.credit:
        photo.caption, photo.credit = normalize_text(photo.caption), normalize_text(photo.credit)
        block = Block(BlockKind.CAPTION, photo.caption, photo.lines, credit=photo.credit or None, image=photo.src or None)
        photo.block = len(article.blocks)
        article.blocks.append(block)
    article.photos.append(photo)


def photos_of_blocks(article: Article) -> None:
    """A photo for each caption block that names its file (Markdown ``![说明](file "署名")``)."""
    for index, block in enumerate(article.blocks):
        if block.kind is BlockKind.CAPTION and block.image:
            article.photos.append(Photo(block.image, block.text, block.credit or "", block=index, lines=block.lines))


_NUMBERED = re.compile(r"(.+)[-_](\d{1,3})")


@dataclass
class Folder:
    """The photos in each folder by the stem they share, listed once however many articles in
    the folder look for theirs: stem → [(number, file name)]."""

    indexes: dict[tuple[Path, tuple[str, ...]], dict[str, list[tuple[int, str]]]] = field(default_factory=dict)

    def photos(self, folder: Path, article_suffixes: tuple[str, ...]) -> dict[str, list[tuple[int, str]]]:
        key = (folder, article_suffixes)
        if key not in self.indexes:
            self.indexes[key] = _index(folder, article_suffixes)
        return self.indexes[key]


def _index(folder: Path, article_suffixes: tuple[str, ...]) -> dict[str, list[tuple[int, str]]]:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return {}
    split = [os.path.splitext(name) for name in names]
    articles = {stem for stem, suffix in split if suffix.lower() in article_suffixes}
    index: dict[str, list[tuple[int, str]]] = {}
    for name, (stem, suffix) in zip(names, split, strict=True):
        if suffix.lower() not in PHOTO_SUFFIXES:
            continue
        index.setdefault(stem, []).append((0, name))
        numbered = _NUMBERED.fullmatch(stem)
        if numbered and stem not in articles:  # X-2.jpg belongs to X-2.txt when there is one
            index.setdefault(numbered.group(1), []).append((int(numbered.group(2)), name))
    return index


def stem_files(path: Path, article_suffixes: tuple[str, ...], folder: Folder | None = None) -> list[str]:
    """The photos beside an article file that share its stem: for X.txt, X.jpg (.jpeg .png
    .webp), then X-2.png, X_3.jpg … by number. X-2.jpg belongs to X-2.txt when there is one."""
    found = (folder or Folder()).photos(path.parent, article_suffixes).get(path.stem, [])
    return [name for _, name in sorted(found)]


def attach_stem_photos(article: Article, names: list[str], sidecar_photos: list[Photo], caption: tuple[str, str]) -> None:
    """Give the article its sidecar's photos and the stem files beside it. A sidecar image
    without a src takes the next stem file; one stem photo takes the sidecar's own caption and
    credit; stem photos left without words take the body's captions no photo claims, those
    with a credit first (图片报道: the whole text is caption, the credited one goes under the photo)."""
    named = {os.path.normpath(p.src) for p in sidecar_photos if p.src}
    free = [n for n in names if n not in named]
    for photo in sidecar_photos:
        if not photo.src and free:
            photo.src = free.pop(0)
    bare = [Photo(name) for name in free]
    if len(bare) == 1 and not sidecar_photos and any(caption):
        bare[0].caption, bare[0].credit = caption
    claimed = {p.block for p in article.photos}
    orphans = [
        i
        for i, b in enumerate(article.blocks)
        if b.kind in (BlockKind.CAPTION, BlockKind.CREDIT) and not b.image and i not in claimed
    ]
    orphans.sort(key=lambda i: not (article.blocks[i].credit or article.blocks[i].kind is BlockKind.CREDIT))  # credited first
    for photo in sidecar_photos:
        add_photo(article, photo)
    for photo in bare:
        if not (photo.caption or photo.credit) and orphans:
            photo.block = orphans.pop(0)
            block = article.blocks[photo.block]
            block.image, photo.lines = photo.src, block.lines
            photo.caption = block.text if block.kind is BlockKind.CAPTION else ""
            photo.credit = block.credit or (block.text if block.kind is BlockKind.CREDIT else "")
            article.photos.append(photo)
        else:
            add_photo(article, photo)


@dataclass(frozen=True)
class Root:
    """The folder photos must lie in, as the user named it (for messages) and resolved."""

    named: Path
    real: Path

    @classmethod
    def of(cls, folder: Path) -> Root:
        return cls(folder, folder.resolve())


def find_photos(article: Article, root: Root) -> list[InputWarning]:
    """Look for each photo's file beside the article (inside `root`) and read its size; one
    warning for each photo refused, missing or unreadable (its `file` stays None)."""
    problems: list[InputWarning] = []
    file = article.source.file if article.source else ""
    folder = Path(file).parent
    for photo in article.photos:
        reason = _find(photo, folder, root)
        if reason is not None:
            photo.file, photo.width, photo.height = None, 0, 0
            line = photo.lines.first if photo.lines else None
            problems.append(InputWarning(f"《{article.title}》: {reason}: printed without it", file=file or None, line=line))
    return problems


def shown(src: str) -> str:
    """A file name as a message shows it: control characters escaped, at most 80 characters."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", src)
    return text if len(text) <= 80 else text[:79] + "…"


def _find(photo: Photo, folder: Path, root: Root) -> str | None:
    """Why the photo's file cannot be used (None: found, with its size set)."""
    src = photo.src.strip()
    if not src:
        return "a photo names no file"
    name = f"photo {shown(src)}"
    if len(src) > NAME_MAX:
        return f"{name} refused: a name of {len(src):,} characters"
    if _CONTROL.search(src):
        return f"{name} refused: control characters in its name"
    if _URL.match(src):
        return f"{name} refused: a URL (photos are never fetched)"
    if _ABSOLUTE.match(src):
        return f"{name} refused: an absolute path (name photos relative to the article's folder)"
    candidate = Path(os.path.normpath(folder / src.replace("\\", "/")))
    if not _inside(Path(os.path.abspath(candidate)), Path(os.path.abspath(root.named))):
        return f"{name} refused: outside the image root {root.named} (--image-root names another)"
    try:
        if not _inside(candidate.resolve(), root.real):
            return f"{name} refused: a link to a file outside the image root {root.named}"
        if not candidate.exists():
            return f"{name} not found"
        if candidate.is_dir():
            return f"{name} is a folder, not an image"
        if not candidate.is_file():  # a pipe or a device would block the reader, or never end
            return f"{name} is not a regular file"
    except (OSError, ValueError, RuntimeError) as error:
        return f"{name} cannot be read ({type(error).__name__})"
    size = _image_size(candidate)
    if isinstance(size, str):
        return f"{name} {size}"
    photo.file, (photo.width, photo.height) = str(candidate), size
    return None


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _image_size(path: Path) -> tuple[int, int] | str:
    """The size in pixels as the image displays (EXIF orientation applied), or what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                kind, (width, height) = image.format or "?", image.size
                if kind not in PRINTABLE:
                    return f"is a {kind} image (photos can be JPEG, PNG, WebP, GIF or TIFF)"
                if not _complete(path, kind, image):
                    return "is truncated"
                orientation = image.getexif().get(_ORIENTATION)
    except UnidentifiedImageError:
        return "is not an image (no format Pillow reads)"
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return "is too large to read safely (a decompression bomb?)"
    except Exception as error:  # Pillow raises its own mix (SyntaxError, OSError, struct.error …)
        return f"is not a readable image ({type(error).__name__})"
    if width < 1 or height < 1:
        return "is an empty image"
    return (height, width) if orientation in (5, 6, 7, 8) else (width, height)


def _complete(path: Path, kind: str, image) -> bool:
    """Whether the file holds the whole image: the end marker of a JPEG or PNG, the length a WebP
    declares; other formats are decoded to find out."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(12)
        handle.seek(max(0, size - 4096))
        tail = handle.read()
    if kind in ("JPEG", "MPO"):
        return b"\xff\xd9" in tail
    if kind == "PNG":
        return b"IEND" in tail[-64:]
    if kind == "WEBP":
        return head[:4] == b"RIFF" and int.from_bytes(head[4:8], "little") + 8 <= size
    image.load()
    return True
