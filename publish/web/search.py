"""The archive's search index: exact substring search over every article, answered in the
browser by `static/search.js` from small static files (no server code, no word segmenter).

Why this shape. Chinese has no spaces, and a word segmenter splits names and rare words
differently in the index and the query (习近平 → 习/近平), so search is by characters: a query
matches exactly the articles whose text contains it, after both are put through `normalise`
(NFKC, lower case, whitespace dropped: the same steps in search.js, tested to agree).

    grams        each article's set of character unigrams, bigrams and trigrams (ids only, no
                 positions). A query of 1-3 characters is one gram: its list is the exact answer.
                 A longer one is read segment by segment, newest first, only as far as the page
                 shown needs: the lists of its first and last trigram intersected (narrowed by
                 more of its trigrams while more than one candidate is left) give candidates, each
                 checked against the article's text, so results stay exact; the page says "at
                 least N" until every candidate is checked, never a number that is wrong.
    shards       the gram lists of a segment, grouped by CRC-32 (of the gram's UTF-8) modulo the
                 shard count into binary files of about SHARD_BYTES: a query fetches one shard per
                 gram per segment. A list is delta varints or a bitmap, whichever is smaller.
    segments     a closed year is one segment, each month of the newest year another: a nightly
                 build rewrites only its month's (a new year merges the old year's months once).
                 A segment's files live in `search/<key>.<digest>/`: a changed segment gets a new
                 folder, index.json (written last, atomically) switches to it, the old one is
                 removed, so a reader never mixes two builds and the files can be cached forever.
    documents    ids run newest first within a segment (date, then issue, then article number);
                 segments newest first, undated last. The document table comes in chunks of
                 CHUNK rows, fetched only for the results shown; texts (UTF-16LE, normalised) one
                 file per article, fetched only to check a long query's candidates.

Files (under OUT/search/):

    index.json                 {"version", "segments": [{"key", "folder",
                               "docs", "shards", "bytes", "chunk", "digest"}]}
    <folder>/s/<n>.bin         shard n: entries [u8 units][key UTF-16LE][varint len*2+bitmap][list]
    <folder>/d/<n>.json        documents n*CHUNK…: {"issues": [[key, paper, date]], "docs":
                               [[issue index, part, title, 版次]]}; a result links to <key>/<part>/index.html
    <folder>/t/<id>.u16        the article's normalised text
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError
from ..fsutil import write_if_changed
from ..wording import plural

FORMAT = 1  # bump when the files' shape changes: every segment is rebuilt
SHARD_BYTES = 2048  # a shard's target size: a query fetches one per gram per segment
CHUNK = 32  # documents per chunk of the document table
INDEX = "search/index.json"
_SPACE = re.compile("[\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]+")
_FOLDER = re.compile(r"^(\d{4}|\d{4}-\d{2}|undated)\.[0-9a-f]{12}$")


def normalise(text: str) -> str:
    """Text as search compares it: NFKC (full-width ＡＢＣ, ① and compatibility ideographs folded),
    lower case (Python's `lower` and JavaScript's `toLowerCase` agree; `casefold` has no JS twin),
    whitespace removed (a byline's 王　强 matches 王强; a query may span a line break)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text).lower())


@dataclass(frozen=True)
class Doc:
    """One article as search shows and checks it."""

    issue: str
    paper: str | None
    date: str | None
    number: int
    part: str
    title: str
    page: str | None
    text: str  # normalised

    def row(self) -> list:
        return [self.issue, self.paper, self.date, self.number, self.part, self.title, self.page]


def write_search(out: Path, issues: list[dict]) -> list[str]:
    """Write (or bring up to date) `out/search/` from the issues' article records (each the
    parsed `web/articles.json`); only segments whose articles changed are rewritten. Notes."""
    out = Path(out)
    segments = _segments(_docs(issues))
    old = _read_index(out)
    entries, rewritten = [], []
    for key, docs in segments:
        digest = _digest(docs)
        folder = f"{key}.{digest[:12]}"
        entry = old.get(folder)
        if entry is None or entry.get("digest") != digest or not (out / "search" / folder).is_dir():
            entry = _write_segment(out / "search" / folder, docs)
            entry.update(key=key, folder=folder, digest=digest)
            rewritten.append(key)
        entries.append(entry)
    index = {"version": FORMAT, "segments": entries}
    text = json.dumps(index, ensure_ascii=False, sort_keys=True, indent=1) + "\n"
    write_if_changed(out / INDEX, text)
    removed = _remove_stale(out / "search", {e["folder"] for e in entries})
    total = sum(len(docs) for _, docs in segments)
    if not rewritten and not removed:
        return []
    done = f"rewrote {', '.join(rewritten)}" if rewritten else "removed old segments"
    return [f"search index: {plural(total, 'article')} in {plural(len(segments), 'segment')}; {done}"]


def _docs(issues: Iterable[dict]) -> list[Doc]:
    """Every article of the issues as a Doc; a record without its key or texts is an error."""
    docs = []
    for issue in issues:
        key = issue.get("key") or issue.get("issue")
        where = f"{key or '?'}/web/articles.json"
        if not isinstance(key, str) or not isinstance(issue.get("articles"), list):
            raise BuildError("not an issue record: no issue key or article list", file=where)
        for position, article in enumerate(issue["articles"], 1):
            fields = {name: article.get(name) for name in ("part", "title", "text")}
            missing = [name for name, value in fields.items() if not isinstance(value, str)]
            if missing:
                raise BuildError(f"article {position}: no {' or '.join(missing)} (text)", file=where)
            page = article.get("page")
            docs.append(
                Doc(key, issue.get("paper"), issue.get("date"), int(article.get("number") or position), fields["part"],
                    fields["title"], None if page is None else str(page), normalise(fields["text"]))
            )  # fmt: skip
    return docs


def segment_key(date: str | None, newest_year: int | None) -> str:
    """A closed year's segment `YYYY`, the newest year's months `YYYY-MM`, or `undated`."""
    if not date:
        return "undated"
    year = int(date[:4])
    return date[:7] if year == newest_year else date[:4]


def _segments(docs: list[Doc]) -> list[tuple[str, list[Doc]]]:
    """Docs by segment, segments newest first (undated last), each's docs newest first (then by
    issue and article number: a day's papers in order, each in page order)."""
    years = [int(d.date[:4]) for d in docs if d.date]
    newest = max(years) if years else None
    docs = sorted(docs, key=lambda d: (d.issue, d.number))
    docs.sort(key=lambda d: d.date or "", reverse=True)  # stable: ties keep issue and number order
    groups: dict[str, list[Doc]] = {}
    for doc in docs:
        groups.setdefault(segment_key(doc.date, newest), []).append(doc)
    return sorted(groups.items(), key=lambda item: (item[0] != "undated", item[0]), reverse=True)


def _digest(docs: list[Doc]) -> str:
    """What a segment's files are made from: the format, the sizes, every document and text."""
    sha = hashlib.sha256(json.dumps([FORMAT, SHARD_BYTES, CHUNK]).encode())
    for doc in docs:
        sha.update(json.dumps(doc.row(), ensure_ascii=False).encode())
        sha.update(b"\x1e" + doc.text.encode("utf-8") + b"\x1d")
    return sha.hexdigest()


def grams(text: str) -> set[str]:
    """The unigrams, bigrams and trigrams of normalised text (by code point)."""
    found = set(text)
    found.update(map("".join, zip(text, text[1:], strict=False)))
    found.update(map("".join, zip(text, text[1:], text[2:], strict=False)))
    return found


def _write_segment(folder: Path, docs: list[Doc]) -> dict:
    """Write a segment's shards, document chunks and texts into a fresh `folder`; its entry."""
    if folder.exists():
        shutil.rmtree(folder)  # a build that stopped half-way: never listed in index.json
    for sub in ("s", "d", "t"):
        (folder / sub).mkdir(parents=True)
    postings: dict[str, list[int]] = defaultdict(list)
    for number, doc in enumerate(docs):
        for gram in grams(doc.text):
            postings[gram].append(number)
        (folder / "t" / f"{number}.u16").write_bytes(doc.text.encode("utf-16-le"))
    shards = _shards(postings, len(docs))
    for number, shard in enumerate(shards):
        (folder / "s" / f"{number}.bin").write_bytes(shard)
    for start in range(0, len(docs), CHUNK):
        (folder / "d" / f"{start // CHUNK}.json").write_text(_chunk(docs[start : start + CHUNK]), encoding="utf-8")
    return {"docs": len(docs), "shards": len(shards), "bytes": sum(map(len, shards)), "chunk": CHUNK}


def _chunk(docs: list[Doc]) -> str:
    """A chunk of the document table: its issues once, then a row per document."""
    issues: dict[str, int] = {}
    rows = []
    table = []
    for doc in docs:
        if doc.issue not in issues:
            issues[doc.issue] = len(table)
            table.append([doc.issue, doc.paper, doc.date])
        rows.append([issues[doc.issue], doc.part, doc.title, doc.page])
    return json.dumps({"issues": table, "docs": rows}, ensure_ascii=False, separators=(",", ":")) + "\n"


def varint(value: int) -> bytes:
    """LEB128: 7 bits a byte, low first, the high bit set on all but the last."""
    out = bytearray()
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)
    return bytes(out)


def encode_list(ids: list[int], count: int, small: list[bytes]) -> tuple[bytes, bool]:
    """A gram's ascending document ids: delta varints (the first id, then each gap less one) or,
    when no longer, a bitmap of `count` bits (bit i of byte i//8, low bit first). (bytes, is_bitmap)."""
    size = (count + 7) // 8
    if len(ids) == 1 and ids[0] < len(small) and size > 1:  # most trigrams: one article
        return small[ids[0]], False
    if len(ids) < size:
        gaps = [ids[0], *(b - a - 1 for a, b in zip(ids, ids[1:], strict=False))]
        delta = b"".join(small[g] if g < len(small) else varint(g) for g in gaps)
        if len(delta) <= size:
            return delta, False
    bitmap = bytearray(size)
    for i in ids:
        bitmap[i >> 3] |= 1 << (i & 7)
    return bytes(bitmap), True


def shard_of(gram: str, shards: int) -> int:
    """The shard holding `gram`: CRC-32 of its UTF-8 (zlib's; search.js computes the same)."""
    return zlib.crc32(gram.encode("utf-8")) % shards


def _shards(postings: dict[str, list[int]], count: int) -> list[bytes]:
    """The segment's gram lists as shard files of about SHARD_BYTES, entries sorted by gram."""
    small = [varint(i) for i in range(max(count, 1 << 14))]
    lead = [bytes((n,)) for n in range(7)]  # a gram's length in UTF-16 units: 1-6
    one = [small[len(v) * 2] + v for v in small[:count]] if count > 8 else []  # the list of a gram in one article
    entries = {}
    for gram, ids in postings.items():
        units = gram.encode("utf-16-le")
        if len(ids) == 1 and one:
            entries[gram] = lead[len(units) // 2] + units + one[ids[0]]  # most trigrams: encode_list's answer, faster
            continue
        data, bitmap = encode_list(ids, count, small)
        head = len(data) * 2 + bitmap
        entries[gram] = b"".join((lead[len(units) // 2], units, small[head] if head < len(small) else varint(head), data))
    total = sum(map(len, entries.values()))
    number = max(1, -(-total // SHARD_BYTES))
    groups: list[list[str]] = [[] for _ in range(number)]
    for gram in entries:
        groups[shard_of(gram, number)].append(gram)
    return [b"".join(entries[g] for g in sorted(group)) for group in groups]


def _read_index(out: Path) -> dict[str, dict]:
    """The segments of the index.json there, by folder ({} when none or unreadable)."""
    try:
        index = json.loads((out / INDEX).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(index, dict) or index.get("version") != FORMAT:
        return {}
    return {e["folder"]: e for e in index.get("segments", []) if isinstance(e, dict) and "folder" in e}


def _remove_stale(search: Path, keep: set[str]) -> list[str]:
    """Remove the segment folders index.json no longer lists (only folders named as ours)."""
    removed = []
    if search.is_dir():
        for folder in sorted(search.iterdir()):
            if folder.is_dir() and _FOLDER.match(folder.name) and folder.name not in keep:
                shutil.rmtree(folder)
                removed.append(folder.name)
    return removed
