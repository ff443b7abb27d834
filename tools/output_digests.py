"""Run every command of `publish` over some inputs and list a digest of every file it wrote.

A refactor that claims "no behaviour change" proves it by running this with the code before
and after and comparing the two listings (they must be equal, line for line):

    python tools/output_digests.py examples ../shared/corpus ../shared/seed --out /tmp/after > after.txt
    PUBLISH_CODE=/path/to/old/checkout python tools/output_digests.py … --out /tmp/before > before.txt
    diff before.txt after.txt

What it runs, per set of inputs: `parse` (tree and JSON), `pdf` with each bundled template and
the galley, `check --json` of the broadsheet issues, `audio --script`, `audio` and `build` with
the offline engine (2 processes, one shared clip cache), and `pinyin` in each of its modes.
Each command's exit status and standard output are listed too; standard error is not (it
holds timings). `SOURCE_DATE_EPOCH` is fixed, so PDFs carry no clock time.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

TEMPLATES = ("broadsheet", "tabloid", "a4", "a3")
PINYIN_TEXT = "行长在银行工作，重庆的长江大桥。单于和曾子说：“还得去。”"


def commands(inputs: list[str], out: Path) -> list[tuple[str, list[str]]]:
    """(name, arguments) of each run; outputs go under `out`."""
    runs = [
        ("parse-json", ["parse", *inputs, "--json", "-o", str(out / "parse.json")]),
        ("parse-tree", ["parse", *inputs, "-o", str(out / "parse.txt")]),
    ]
    runs += [(f"pdf-{t}", ["pdf", *inputs, "-t", t, "-o", str(out / "pdf" / t) + "/"]) for t in TEMPLATES]
    runs.append(("pdf-galley", ["pdf", *inputs, "-t", "galley", "--no-previews", "-o", str(out / "galley.pdf")]))
    runs.append(("check", ["check", "--json", "--source", *inputs, "PDFS:broadsheet"]))
    runs.append(("audio-script", ["audio", *inputs, "--script", "-o", str(out / "script")]))
    cache = str(out / "clips")
    runs.append(("audio", ["audio", *inputs, "--engine", "offline", "--cache", cache, "-o", str(out / "audio")]))
    runs.append(("build", ["build", *inputs, "--engine", "offline", "--cache", cache, "-j", "2", "-o", str(out / "build")]))
    runs.append(("build-again", ["build", *inputs, "--engine", "offline", "--cache", cache, "-j", "2", "-o", str(out / "build")]))
    runs.append(("pinyin", ["pinyin", PINYIN_TEXT]))
    runs.append(("pinyin-tone3", ["pinyin", PINYIN_TEXT, "--tone3"]))
    runs.append(("pinyin-json", ["pinyin", PINYIN_TEXT, "--json"]))
    runs.append(("pinyin-fixes", ["pinyin", PINYIN_TEXT, "--fixes", "--json"]))
    runs.append(("pinyin-offline", ["pinyin", PINYIN_TEXT, "--fixes", "--engine", "offline"]))
    runs.append(("formats", ["formats"]))
    return runs


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:24]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="article files or folders")
    parser.add_argument("--out", required=True, type=Path, help="scratch folder for the outputs (emptied first)")
    parser.add_argument("--only", nargs="*", help="run only these commands (by name)")
    args = parser.parse_args()
    code = os.environ.get("PUBLISH_CODE")  # another checkout's package, run with this interpreter
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PUBLISH_CACHE": str(args.out / "clips")}
    if code:
        env["PYTHONPATH"] = code
    shutil.rmtree(args.out, ignore_errors=True)
    args.out.mkdir(parents=True)
    inputs = [str(Path(i).resolve()) for i in args.inputs]
    for name, argv in commands(inputs, args.out):
        if args.only and name not in args.only:
            continue
        if "PDFS:broadsheet" in argv:
            pdfs = sorted(str(p) for p in (args.out / "pdf" / "broadsheet").glob("*.pdf"))
            argv = [a for a in argv if a != "PDFS:broadsheet"] + pdfs
        done = subprocess.run([sys.executable, "-m", "publish", *argv], env=env, capture_output=True, cwd=args.out)
        print(f"{name}: exit {done.returncode}, stdout {digest(done.stdout)} ({len(done.stdout)} bytes)", flush=True)
        if done.returncode not in (0, 1):
            sys.stderr.write(done.stderr.decode(errors="replace")[-2000:])
    for path in sorted(p for p in args.out.rglob("*") if p.is_file()):
        relative = path.relative_to(args.out)
        if relative.parts[0] == "clips":
            continue  # the clip cache: inputs to the audio, not outputs
        print(f"{relative}  {digest(path.read_bytes())}  {path.stat().st_size}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
