"""How messages say a count in English: `1 section`, `2 sections`, `12,345 characters` — one
helper for every summary and error, so no message reads `1 sections`. Chinese text (今日4版,
（98字）) is not English and does not use it."""

from __future__ import annotations

IRREGULAR = {"process": "processes", "entry": "entries", "box": "boxes", "match": "matches", "index": "indexes"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """`count` and `word`, the word in the plural unless the count is one (`many`, or the
    known irregular form, or word + s); thousands separated by commas."""
    if count == 1:
        return f"{count:,} {word}"
    return f"{count:,} {many or IRREGULAR.get(word) or word + 's'}"
