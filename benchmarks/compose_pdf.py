"""Whole-process time of `publish pdf` on the baseline set, next to Typst and stock reportlab,
measured in the same run (run by hand: `make bench`).

Baseline set: the seed plus the first 11 rmrb and the first 11 xmwb corpus articles (name
order) with at least 800 Han characters — about 46,000 Han characters, six broadsheet pages
of 8 × 13-character columns. Each tool runs as a fresh process, best of N:

* publish: `python -m publish pdf FILES -t galley --no-previews -o OUT`
* Typst (PyPI `typst`, Debian's Noto Serif CJK SC): the same text in `columns(8)`, justified
* reportlab: `Paragraph(wordWrap="CJK")` in 8 frames a page with the same font

Target (issue 3): publish within 1.25× Typst's time (goal: as fast).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import publish  # noqa: E402
from publish.ingest.chars import han_count  # noqa: E402
from publish.pipeline import printed_text  # noqa: E402

NOTO = "/usr/share/fonts/opentype/noto"


def baseline_files(shared: Path) -> list[Path]:
    files = sorted((shared / "seed").glob("*.txt"))
    for paper in ("rmrb", "xmwb"):
        chosen = 0
        for path in sorted((shared / "corpus" / paper).glob("*.txt")):
            [article] = publish.load(path)
            if han_count(printed_text([article])) >= 800:
                files.append(path)
                chosen += 1
                if chosen == 11:
                    break
    return files


def typst_source(articles) -> str:
    def esc(text: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$<>@[]~/=-+" else c for c in text)

    parts = [
        "#set page(width: 390mm, height: 540mm, margin: (x: 19mm, y: 21mm))",
        '#set text(font: "Noto Serif CJK SC", size: 9pt, lang: "zh", region: "cn")',
        "#set par(justify: true, first-line-indent: (amount: 2em, all: true), leading: 4.5pt, spacing: 4.5pt)",
        "#show: columns.with(8, gutter: 9pt)",
    ]
    for article in articles:
        parts.append(f'#align(center)[#text(size: 18pt, weight: "bold")[{esc(article.headline.printed_title)}]]')
        for block in article.blocks:
            if block.kind.value == "heading":
                parts.append(f'#text(weight: "bold")[{esc(block.text)}]')
            else:
                parts.append(esc(block.text))
    return "\n\n".join(parts) + "\n"


REPORTLAB = r"""
import sys
from reportlab.lib.pagesizes import mm
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
pdfmetrics.registerFont(TTFont("body", sys.argv[3]))
style = ParagraphStyle("b", fontName="body", fontSize=9, leading=13.5, firstLineIndent=18, wordWrap="CJK", alignment=4)
width, height = 390 * mm, 540 * mm
left = (width - 111 * 9) / 2
frames = [Frame(left + c * 126, 20 * mm, 117, height - 42 * mm, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0) for c in range(8)]
doc = BaseDocTemplate(sys.argv[2], pagesize=(width, height), pageTemplates=[PageTemplate(frames=frames)])
text = open(sys.argv[1], encoding="utf-8").read().split("\n\n")
doc.build([Paragraph(t.replace("&", "&amp;").replace("<", "&lt;"), style) for t in text if t.strip()])
"""


def timed(command: list[str], rounds: int) -> float:
    """Best of `rounds` fresh processes, after one warm-up run (bytecode and font caches filled,
    as on a user's machine after the first run)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=env)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    files = baseline_files(args.shared)
    articles = publish.load(files)
    print(f"baseline set: {len(articles)} articles, {han_count(printed_text(articles)):,} Han characters")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        results = {}
        results["publish"] = timed(
            [
                sys.executable,
                "-m",
                "publish",
                "pdf",
                *map(str, files),
                "-o",
                str(tmp / "publish.pdf"),
                "-t",
                "galley",
                "--no-previews",
                "-q",
            ],
            args.rounds,
        )
        check = subprocess.run(
            [sys.executable, "-m", "publish", "check", str(tmp / "publish.pdf")], capture_output=True, text=True, cwd=ROOT
        )
        try:
            import typst  # noqa: F401

            (tmp / "baseline.typ").write_text(typst_source(articles), encoding="utf-8")
            code = f"import typst; typst.compile({str(tmp / 'baseline.typ')!r}, output={str(tmp / 'typst.pdf')!r}, font_paths=[{NOTO!r}])"
            results["typst"] = timed([sys.executable, "-c", code], args.rounds)
        except ImportError:
            print("typst not installed (pip install typst): skipped")
        (tmp / "plain.txt").write_text("\n\n".join(b.text for a in articles for b in a.blocks), encoding="utf-8")
        (tmp / "rl.py").write_text(REPORTLAB, encoding="utf-8")
        font = str(ROOT / "fonts" / "PublishSerifSC-Regular.ttf")
        results["reportlab"] = timed(
            [sys.executable, str(tmp / "rl.py"), str(tmp / "plain.txt"), str(tmp / "rl.pdf"), font], args.rounds
        )
        for name, seconds in results.items():
            print(f"{name:10s} {seconds:6.3f} s")
        if "typst" in results:
            print(f"publish / typst = {results['publish'] / results['typst']:.2f}× (target ≤ 1.25×)")
        print("publish check of publish's PDF:", check.stdout.splitlines()[0] if check.stdout else check.stderr.strip())
        from publish.check.pdf import check_pdf

        for name, pdf in (("publish", "publish.pdf"), ("typst", "typst.pdf"), ("reportlab", "rl.pdf")):
            if (tmp / pdf).is_file():
                report = check_pdf(tmp / pdf)
                faults = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts().items())) or "none"
                print(f"{name:10s} faults: {faults}")


if __name__ == "__main__":
    main()
