"""An issue's article records for the web, made by the web task: `web/articles.json` (each
article's printed parts, photos, search text) and web-sized photos in `web/photos/`.

What an article record holds is what its print holds, as text: the headline block, the head
bylines, every body block as printed (小标题 as `heading` blocks, photo captions with their
credits as `caption` blocks, in reading order), except the jump lines of the source (`（下转第3版）`,
`>>>详见第5版`): the web article is shown whole, so a line sending the reader to a page of the
source paper points nowhere (the narration leaves them out for the same reason, so the audio's
cues and the article's text still agree). A photo whose caption prints as a block names that
block (`block`: the article view shows the photo there, above its caption); a photo that cannot
be read for the web is left out with a warning, its caption staying in the text.
"""

from __future__ import annotations

import io
import json
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..article import Article, Block, BlockKind, Photo
from ..errors import PhotoWarning
from ..fsutil import write_if_changed
from ..issue import IssueFacts

RECORD = "web/articles.json"
PHOTOS = "web/photos"
VERSION = 1
PHOTO_WIDTH = 800  # px: twice a 400-CSS-px column, for 2× screens
PHOTO_BYTES = 120_000  # a web photo's budget (the page view's is 250 KB in all)
QUALITIES = (80, 70, 60, 50, 40, 30)  # WebP qualities tried in turn until the photo fits its budget
LEFT_OUT = {BlockKind.JUMP}  # printed, but not part of the article read whole (see above)

Warn = Callable[[str], None]


def write_issue_record(
    articles: list[Article], folder: Path, issue: str, warn: Warn | None = None, facts: IssueFacts | None = None
) -> list[str]:
    """Write the issue's article records and photo derivatives; the files written, relative to
    `folder`. Photos that cannot be made are told to `warn` (else as a PhotoWarning warning);
    `facts` (the settings' paper facts) name the paper and date over the articles' own."""
    from ..issue import article_folder

    tell = warn or (lambda message: warnings.warn(message, stacklevel=3))
    entries, written = [], []
    for number, article in enumerate(articles, 1):
        part = article_folder(number, article)
        photos = [
            _made(article, photo, folder / PHOTOS / f"{number:02d}-{k}.webp", tell) for k, photo in enumerate(article.photos, 1)
        ]
        written += [made.src for made in photos if made is not None]
        entries.append(article_record(article, number, part, photos))
    names = [facts.name] if facts and facts.name else [article.paper.name for article in articles if article.paper.name]
    dates = [facts.date] if facts and facts.date else [article.paper.date for article in articles if article.paper.date]
    record = {
        "version": VERSION,
        "issue": issue,
        "paper": names[0] if names else None,
        "date": dates[0].isoformat() if dates else None,
        "articles": entries,
    }
    write_if_changed(folder / RECORD, json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    if (folder / PHOTOS).is_dir():
        _remove_stale(folder / PHOTOS, {Path(src).name for src in written})
    return [RECORD, *(f"web/{src}" for src in sorted(written))]


@dataclass(frozen=True)
class WebPhoto:
    """A photo made for the web: its file relative to `web/`, its size in pixels."""

    src: str
    width: int
    height: int


def article_record(article: Article, number: int, part: str, photos: list[WebPhoto | None]) -> dict[str, Any]:
    """One article's entry of `articles.json` (the contract in `publish/web/__init__.py`)."""
    from ..layout.blocks import block_text

    head = article.headline
    kept = [(index, block) for index, block in enumerate(article.blocks) if block.kind not in LEFT_OUT]
    position = {index: n for n, (index, _) in enumerate(kept)}
    blocks = [{"kind": str(block.kind), "text": block_text(block)} for _, block in kept]
    entries, unblocked = [], []  # unblocked: captions printed under a photo, in no block
    for photo, made in zip(article.photos, photos, strict=True):
        at = position.get(photo.block) if photo.block is not None else None
        caption = block_text(_caption(photo)) if at is None and (photo.caption or photo.credit) else ""
        if made is None:
            if caption:  # the photo is not shown: its caption stays, as a block (nothing lost)
                blocks.append({"kind": str(BlockKind.CAPTION), "text": caption})
            continue
        entry = {"src": made.src, "width": made.width, "height": made.height, "caption": photo.caption, "credit": photo.credit}
        entries.append({**entry, "block": at})
        unblocked += [caption] if caption else []
    bylines = [b.text for b in article.bylines if b.position == "head"]
    printed = [head.kicker, head.printed_title, head.subtitle, *bylines, *(b["text"] for b in blocks), *unblocked]
    return {
        "number": number,
        "part": part,
        "id": article.id,
        "page": article.paper.page,
        "page_name": article.paper.page_name,
        "kicker": head.kicker,
        "title": head.title,
        "subtitle": head.subtitle,
        "column": head.column,
        "bylines": bylines,
        "blocks": blocks,
        "photos": entries,
        "text": "\n".join(text for text in printed if text),
    }


def _caption(photo: Photo) -> Block:
    return Block(BlockKind.CAPTION, photo.caption, credit=photo.credit or None)


def view_parts(entry: dict[str, Any]) -> list[tuple[str, str]]:
    """(part, text) of what an article view prints of a record entry, in reading order: 引题,
    主题, the column tag （…）, 副题, head bylines, then each block (captions included). The
    strings `align.align` cuts into the runs the audio's cues read."""
    parts = [("kicker", entry.get("kicker")), ("title", entry.get("title"))]
    column = entry.get("column")
    parts += [("column", f"（{column}）" if column else None), ("subtitle", entry.get("subtitle"))]
    parts += [("byline", text) for text in entry.get("bylines", [])]
    parts += [("block", block["text"]) for block in entry.get("blocks", [])]
    return [(name, text) for name, text in parts if text]


def _remove_stale(photos: Path, keep: set[str]) -> None:
    """Photos of articles (or photos) the issue no longer has."""
    for path in photos.iterdir():
        if path.is_file() and path.suffix == ".webp" and path.name not in keep:
            path.unlink(missing_ok=True)


# ---- web photos ---------------------------------------------------------------------------


def _made(article: Article, photo: Photo, target: Path, warn: Warn) -> WebPhoto | None:
    """The article's photo made for the web at `target`; None when it has no file (its reader
    warned already) or cannot be read now (told to `warn`: the article, the file, why)."""
    if not photo.file:
        return None
    try:
        return web_photo(photo.file, target)
    except PhotoWarning as problem:
        where = f"{article.source.file}: " if article.source else ""
        warn(f"{where}《{article.title}》: {problem}; the web edition shows its caption without it")
        return None


def web_photo(path: str, target: Path) -> WebPhoto:
    """The photo at `path` as a WebP at most PHOTO_WIDTH wide and PHOTO_BYTES large, written to
    `target` (upright, sRGB, transparency on white, no metadata: no EXIF location leaves the
    building), or a PhotoWarning (the file and why)."""
    data, size = encode_photo(path)
    write_if_changed(target, data)
    return WebPhoto(f"photos/{target.name}", *size)


def encode_photo(path: str) -> tuple[bytes, tuple[int, int]]:
    """The WebP bytes of the photo at `path` and its size, or a PhotoWarning (file and reason)."""
    from PIL import Image, UnidentifiedImageError

    from ..render.images import one_line

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # a 100-megapixel photo is a photo
            image = Image.open(path)
        with image:
            shown, graphic = _web_image(image)
            return _webp(shown, graphic)
    except FileNotFoundError:
        raise PhotoWarning("photo not found", file=path) from None
    except UnidentifiedImageError:
        raise PhotoWarning("photo is not an image Pillow can read", file=path) from None
    except Image.DecompressionBombError:
        raise PhotoWarning("photo is too large to read", file=path) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise PhotoWarning(f"photo is broken: {one_line(error)}", file=path) from None


def _web_image(image) -> tuple[Any, bool]:
    """The photo upright, at most PHOTO_WIDTH wide, in RGB (sRGB) or L; and whether it is a
    graphic (a non-JPEG file of at most 256 colours: charts, maps), kept lossless when it fits."""
    from PIL import Image, ImageOps

    from ..render.icc import cmyk_to_srgb
    from ..render.images import GRAPHIC_COLOURS, SIDEWAYS, _flattened, _is_srgb, _orientation, _to_srgb

    orientation = _orientation(image)
    sideways = orientation in SIDEWAYS
    if image.format in ("JPEG", "MPO"):  # DCT scaling: decode at ½, ¼ or ⅛ when that is still wide enough
        image.draft(image.mode, (1, PHOTO_WIDTH) if sideways else (PHOTO_WIDTH, 1))
    profile, source_format, source_mode = image.info.get("icc_profile"), image.format, image.mode
    upright = ImageOps.exif_transpose(image) if orientation else image
    flat = _flattened(upright)
    if flat.mode == "CMYK":
        flat = cmyk_to_srgb(flat, profile)
    elif flat.mode == "RGB" and not _is_srgb(profile):
        flat = _to_srgb(flat, profile)
    if flat.mode not in ("RGB", "L"):
        flat = flat.convert("RGB")
    graphic = source_format not in ("JPEG", "MPO") and (
        source_mode in ("1", "P", "PA") or flat.getcolors(GRAPHIC_COLOURS) is not None
    )
    if flat.width > PHOTO_WIDTH:
        height = max(1, round(flat.height * PHOTO_WIDTH / flat.width))
        flat = flat.resize((PHOTO_WIDTH, height), Image.Resampling.LANCZOS)
    return flat, graphic


def _webp(image, graphic: bool) -> tuple[bytes, tuple[int, int]]:
    """The WebP bytes (and size) that fit PHOTO_BYTES: lossless for a graphic, else at the first of
    QUALITIES that fits; a photo that fits at none is made smaller until it does."""
    from PIL import Image

    def encode(picture, **options: Any) -> bytes:
        buffer = io.BytesIO()
        picture.save(buffer, "WEBP", method=4, **options)
        return buffer.getvalue()

    if graphic:
        data = encode(image, lossless=True)
        if len(data) <= PHOTO_BYTES:
            return data, image.size
    for quality in QUALITIES:
        data = encode(image, quality=quality)
        if len(data) <= PHOTO_BYTES:
            return data, image.size
    while image.width > 16:  # over the budget at the lowest quality: smaller, by the share it is over
        scale = 0.95 * math.sqrt(PHOTO_BYTES / len(data))
        image = image.resize((max(1, int(image.width * scale)), max(1, int(image.height * scale))), Image.Resampling.LANCZOS)
        data = encode(image, quality=QUALITIES[-1])
        if len(data) <= PHOTO_BYTES:
            break
    return data, image.size
