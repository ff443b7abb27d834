"""Write publish/data/words.txt, the word list display lines break by, from jieba's dictionary.

jieba (MIT licence) ships dict.txt: about 349,000 words with their counts in a large corpus.
Kept: words of Han characters only, 1–6 long, every single character and the longer words
counted at least MIN_COUNT times. Written one `word<TAB>count` a line, sorted by the words'
UTF-8 bytes, so that publish.words finds a word by binary search without loading a table.

Run by hand (`pip install jieba==0.42.1`; python tools/build_words.py); the output is committed.
"""

from __future__ import annotations

import re
from pathlib import Path

import jieba

MIN_COUNT = 3
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,6}")
OUT = Path(__file__).resolve().parents[1] / "publish" / "data" / "words.txt"


def main() -> None:
    source = Path(jieba.__file__).with_name("dict.txt")
    counts: dict[str, int] = {}
    for line in source.read_text(encoding="utf-8").splitlines():
        word, count, *_ = line.split()
        if HAN.fullmatch(word) and (len(word) == 1 or int(count) >= MIN_COUNT):
            counts[word] = max(counts.get(word, 0), int(count))
    lines = sorted(f"{word}\t{count}\n".encode() for word, count in counts.items())
    OUT.write_bytes(b"".join(lines))
    print(f"{OUT}: {len(lines)} words, {OUT.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main()
