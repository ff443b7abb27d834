"""Whole-process time of `publish pdf` on the baseline set, next to Typst and stock reportlab,
measured in the same run (run by hand: `make bench`).

Baseline set: the seed plus the first 11 rmrb and the first 11 xmwb corpus articles (name
order) with at least 800 Han characters — about 46,000 Han characters, six broadsheet pages
of 8 × 13-character columns. Each tool runs as a fresh process, best of N:

* publish: `python -m publish pdf FILES -t galley --no-previews -o OUT` (as users run it: it
  checks the PDF it wrote, as `publish check` does); and the same with `--no-check`
* Typst (PyPI `typst`, Debian's Noto Serif CJK SC): the same text in `columns(8)`, justified
* reportlab: `Paragraph(wordWrap="CJK")` in 8 frames a page with the same font

The tools take turns, one run each per round, so a change in the machine's load falls on all of
them alike; each figure is the best of its rounds. The machine (CPU model, cores) is printed
with the figures: the ratio moves from one machine to another.
Target (issue 19): publish at most 1.0× Typst's time, in one run, on any machine.
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
from benchmarks.machine import machine  # noqa: E402
from publish.ingest.chars import HAN  # noqa: E402
from publish.pipeline import printed_text  # noqa: E402


def han_count(text: str) -> int:
    """Han characters in the text (publish itself no longer counts them)."""
    return len(HAN.findall(text))


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


def timed(commands: dict[str, tuple[list[str], Path]], rounds: int) -> dict[str, float]:
    """Best of `rounds` fresh processes per (command, folder it runs in), the commands taking
    turns, after one warm-up run each (bytecode and font caches filled, as on a user's machine
    after the first run)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    for command, folder in commands.values():
        subprocess.run(command, check=True, capture_output=True, cwd=folder, env=env)
    best = dict.fromkeys(commands, float("inf"))
    for _ in range(rounds):
        for name, (command, folder) in commands.items():
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, cwd=folder, env=env)
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def typst_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"Typst {version('typst')} (PyPI)"
    except PackageNotFoundError:
        return "Typst not installed"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared")))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--before", type=Path, help="another checkout of publish (the code before a change) to time in the same run"
    )
    args = parser.parse_args()
    files = baseline_files(args.shared)
    articles = publish.load(files)
    print(f"machine: {machine()}; Python {sys.version.split()[0]}; {typst_version()}")
    print(f"baseline set: {len(articles)} articles, {han_count(printed_text(articles)):,} Han characters; best of {args.rounds}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        publish_pdf = [sys.executable, "-m", "publish", "pdf", *map(str, files), "-t", "galley", "--no-previews", "-q", "-o"]
        commands = {
            "publish": ([*publish_pdf, str(tmp / "publish.pdf")], ROOT),
            "--no-check": ([*publish_pdf, str(tmp / "unchecked.pdf"), "--no-check"], ROOT),
        }
        if args.before:  # `python -m publish` in that folder runs that checkout's code
            commands["before"] = ([*publish_pdf, str(tmp / "before.pdf")], args.before)
            commands["before --no-check"] = ([*publish_pdf, str(tmp / "before-unchecked.pdf"), "--no-check"], args.before)
        try:
            import typst  # noqa: F401

            (tmp / "baseline.typ").write_text(typst_source(articles), encoding="utf-8")
            code = f"import typst; typst.compile({str(tmp / 'baseline.typ')!r}, output={str(tmp / 'typst.pdf')!r}, font_paths=[{NOTO!r}])"
            commands["typst"] = ([sys.executable, "-c", code], ROOT)
        except ImportError:
            print("typst not installed (pip install typst): skipped")
        (tmp / "plain.txt").write_text("\n\n".join(b.text for a in articles for b in a.blocks), encoding="utf-8")
        (tmp / "rl.py").write_text(REPORTLAB, encoding="utf-8")
        font = str(ROOT / "fonts" / "PublishSerifSC-Regular.ttf")
        commands["reportlab"] = ([sys.executable, str(tmp / "rl.py"), str(tmp / "plain.txt"), str(tmp / "rl.pdf"), font], ROOT)
        results = timed(commands, args.rounds)
        check = subprocess.run(
            [sys.executable, "-m", "publish", "check", str(tmp / "publish.pdf")], capture_output=True, text=True, cwd=ROOT
        )
        for name, seconds in results.items():
            print(f"{name:18s} {seconds:6.3f} s")
        if "typst" in results:
            print(f"publish / typst = {results['publish'] / results['typst']:.2f}× (target ≤ 1.0×)")
            print(f"publish --no-check / typst = {results['--no-check'] / results['typst']:.2f}×")
            if args.before:
                print(
                    f"before / typst = {results['before'] / results['typst']:.2f}×, --no-check {results['before --no-check'] / results['typst']:.2f}×"
                )
        if args.before and (tmp / "before.pdf").read_bytes() != (tmp / "publish.pdf").read_bytes():
            print("the PDF differs from the one the code before made")
        if (tmp / "unchecked.pdf").read_bytes() != (tmp / "publish.pdf").read_bytes():
            print("publish's PDF differs with --no-check: it must not")
        print("publish check of publish's PDF:", check.stdout.splitlines()[0] if check.stdout else check.stderr.strip())
        from publish.check.pdf import check_pdf

        for name, pdf in (("publish", "publish.pdf"), ("typst", "typst.pdf"), ("reportlab", "rl.pdf")):
            if (tmp / pdf).is_file():
                report = check_pdf(tmp / pdf)
                faults = ", ".join(f"{n} {kind}" for kind, n in sorted(report.counts().items())) or "none"
                print(f"{name:10s} faults: {faults}")


if __name__ == "__main__":
    main()
