"""Chinese words, so that a headline breaks between words, never inside one.

The word list (data/words.txt, from jieba's dictionary, MIT: see data/README.md) is mapped on
first use and searched by bisection, never loaded into a table (well under a millisecond). A run of
Han characters is cut where its most probable sequence of words (the product of the words'
frequencies, as jieba does it, without its model for unknown words) has a boundary; a common
surname before a one- or two-character given name stays with it (王小明, 李强).
"""

from __future__ import annotations

import math
import mmap
import re
from functools import lru_cache
from pathlib import Path

WORDS = Path(__file__).with_name("data") / "words.txt"
LONGEST = 6  # characters: the longest word listed
LOG_TOTAL = math.log(59_936_591)  # the counts of the list added up (tools/build_words.py prints it)
UNLISTED = math.log(0.5) - LOG_TOTAL  # a character the list does not have: rarer than any it has
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# The commonest single-character surnames (about 85 % of the population): one before a short
# given name the list does not know is read as a name, not a word and two characters.
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤"
)


@lru_cache(maxsize=1)
def _table() -> mmap.mmap | bytes:
    """The word list: `word<TAB>count` lines sorted by their bytes, mapped (not read: only the
    pages a search touches are loaded)."""
    with WORDS.open("rb") as file:
        try:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):  # a file system that cannot map it
            return file.read()


def _lookup(word: str) -> tuple[bool, int]:
    """Whether a listed word starts with `word`, and `word`'s own count (0 if not listed)."""
    table, key = _table(), word.encode()
    low, high = 0, len(table)
    while low < high:  # bisection over line starts: the first line not below `key`
        start = table.rfind(b"\n", 0, (low + high) // 2) + 1
        end = table.find(b"\n", start)
        if table[start:end] < key:
            low = end + 1
        else:
            high = start
    end = table.find(b"\n", low)
    line = table[low:end]
    if not line.startswith(key):
        return False, 0
    if line.startswith(b"\t", len(key)):
        return True, int(line[len(key) + 1 :])
    return True, 0


def frequency(word: str) -> int:
    """How often the list saw `word` (0: not a listed word)."""
    return _lookup(word)[1]


@lru_cache(maxsize=8192)
def cuts(run: str) -> tuple[int, ...]:
    """Where the words of a run of Han characters meet (offsets strictly inside the run)."""
    n = len(run)
    if n < 2:
        return ()
    options: list[list[tuple[int, float]]] = []  # per start: (end, log probability) of each word there
    for i in range(n):
        found = []
        for j in range(i + 1, min(n, i + LONGEST) + 1):
            prefix, count = _lookup(run[i:j])
            if count:
                found.append((j, math.log(count) - LOG_TOTAL))
            elif j == i + 1:
                found.append((j, UNLISTED))
            if not prefix:
                break
        options.append(found)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i] = max((score + best[j][0], j) for j, score in options[i])
    words, at = [], 0
    while at < n:
        words.append(run[at : best[at][1]])
        at = best[at][1]
    edges, at = [], 0
    for word in _names(words)[:-1]:
        at += len(word)
        edges.append(at)
    return tuple(edges)


def _names(words: list[str]) -> list[str]:
    """The words with a lone common surname joined to the short given name after it: 王|小明 →
    王小明, 张|晓|明 → 张晓明 (two lone characters or a two-character word; else one lone one)."""
    out: list[str] = []
    k = 0
    while k < len(words):
        word = words[k]
        if len(word) == 1 and word in SURNAMES and k + 1 < len(words) and len(words[k + 1]) <= 2:
            take = 3 if len(words[k + 1]) == 1 and k + 2 < len(words) and len(words[k + 2]) == 1 else 2
            out.append("".join(words[k : k + take]))
            k += take
        else:
            out.append(word)
            k += 1
    return out


def word_edges(text: str) -> set[int]:
    """Offsets in `text` where one word ends and the next begins, inside its runs of Han characters."""
    return {match.start() + cut for match in HAN_RUN.finditer(text) for cut in cuts(match.group())}
