"""Turn a file's bytes into text, detecting UTF-8 (BOM or not), UTF-16, GB18030/GBK and Big5."""

from __future__ import annotations

import codecs
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..errors import DecodeError, InputError
from .chars import HAN

# Magic numbers of files people drop into article folders by mistake.
_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or .docx/.xlsx)",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office document",
    b"\x1f\x8b": "a gzip archive",
    b"ID3": "an MP3 file",
    b"RIFF": "a RIFF (WAV/AVI/WebP) file",
    b"\x7fELF": "a program (ELF)",
}
# Control bytes text files do not hold (tab, line feed, form feed, carriage return and escape they may).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, file: str, encoding: str | None = None) -> Decoded:
    """Decode `data`, or raise InputError/DecodeError naming `file` and the line at fault.

    With `encoding` given, only that encoding is tried (strictly).
    """
    if not data.strip():
        raise InputError("empty file" if not data else "empty file (only white space)", file=file)
    if encoding:
        return Decoded(_strict(data, encoding, file), _canonical(encoding))
    for bom, name in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data, name, file), name)
    _reject_binary(data, file)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        failures = [utf8_error.start]
    decoded: list[tuple[float, int, str, str]] = []
    for order, name in enumerate(_CHINESE_CODECS):
        try:
            text = data.decode(name)
        except UnicodeDecodeError as error:
            failures.append(error.start)
            continue
        decoded.append((_score(text), -order, name, text))
    if decoded:
        score, _, name, text = max(decoded)
        if score >= 0.75:  # a wrong Chinese codec scores about 0.5
            return Decoded(text, name)
    at = max(failures)  # where the most nearly right reading broke down
    raise DecodeError(
        f"undecodable bytes (0x{data[min(at, len(data) - 1)]:02x} at byte {at}): "
        "not UTF-8, GB18030/GBK or Big5 text (use --encoding to force one)",
        file=file,
        line=data.count(b"\n", 0, at) + 1,
    )


# Tried in this order when a file is not UTF-8; the best-scoring reading wins, ties to the first.
_CHINESE_CODECS = ("gb18030", "big5", "cp950", "big5hkscs")


def _strict(data: bytes, encoding: str, file: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}", file=file) from None
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise DecodeError(
            f"undecodable bytes (0x{data[error.start]:02x} at byte {error.start}) for encoding {encoding}",
            file=file,
            line=line,
        ) from None


def _canonical(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name.replace("_", "-")
    except LookupError:
        return encoding


def _reject_binary(data: bytes, file: str) -> None:
    for magic, what in _SIGNATURES.items():
        if data.startswith(magic):
            raise InputError(f"binary file: this looks like {what}, not an article", file=file)
    head = data[:8192]
    if b"\x00" in head:
        line = data.count(b"\n", 0, head.index(b"\x00")) + 1
        raise InputError("binary file: it contains NUL bytes, not article text", file=file, line=line)
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(head) // 50):
        raise InputError("binary file: too many control bytes for article text", file=file)


def _score(text: str) -> float:
    """Share of the Han characters that are common in simplified or traditional Chinese.

    Text decoded with the wrong Chinese codec is full of rare characters and symbols.
    """
    sample = text[:20000]
    han = [ch for ch in sample if HAN.match(ch)]
    if len(han) < 4:
        odd = sum(1 for ch in sample if not ch.isascii())
        return 1.0 if odd == 0 else 0.0
    common = _common_han()
    return sum(1 for ch in han if ch in common) / len(han)


@lru_cache(maxsize=1)
def _common_han() -> frozenset[str]:
    """GB2312 level 1 (3,755 common simplified) and Big5 level 1 (5,401 common traditional)."""
    gb = _decode_pairs("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
    big5 = _decode_pairs("big5", range(0xA4, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)])
    return frozenset(gb | big5)


def _decode_pairs(encoding: str, leads: Iterable[int], trails: Iterable[int]) -> set[str]:
    """Every character a double-byte code table has at lead × trail (invalid pairs skipped)."""
    chars: set[str] = set()
    trails = list(trails)
    for lead in leads:
        for trail in trails:
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode(encoding))
    return chars
