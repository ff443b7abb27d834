"""What an edit costs in `publish build`: one long article (our own text, 10,000 characters,
a 小标题 every ~1,000 characters) read by the offline engine, then one paragraph edited and the
build run again, against `--force` (every section made again from cached clips) in the same run
(run by hand: `python benchmarks/edit_rebuild.py`).

Each section file carries a digest of its speech in its tags, so the edited build synthesises
and encodes only the section with the paragraph (target, issue 7: redo only the changed
sections); the rest of the article file is its other sections' frames, taken over.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from audio_memory import PARAGRAPH, article

from publish import load
from publish.batch import build
from publish.config import BuildSettings


def timed(source: Path, out: Path, settings: BuildSettings, force: bool = False) -> tuple[float, dict]:
    started = time.perf_counter()
    report = build(load(source), out, settings, force=force)
    (audio,) = [o for o in report.outcomes if o.kind == "audio"]
    assert audio.status == "built", audio.message
    return time.perf_counter() - started, audio.detail


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in"
        source.mkdir()
        text = article(10_000)
        (source / "article.txt").write_text(text, encoding="utf-8")
        settings = BuildSettings(pdf=False, engine="offline", cache=f"{tmp}/cache")
        out = Path(tmp) / "out"
        cold, detail = timed(source, out, settings)
        print(f"first build: {detail['duration'] / 60:.1f} min of audio, {detail['sections']} sections, "
              f"{detail['synthesised']} requests synthesised, {cold:.1f} s")  # fmt: skip
        at = text.index(PARAGRAPH, len(text) // 2)
        edited = text[:at] + PARAGRAPH.replace("两万余人次", "两万三千余人次") + text[at + len(PARAGRAPH) :]
        (source / "article.txt").write_text(edited, encoding="utf-8")
        edit, detail = timed(source, out, settings)
        print(f"one paragraph edited: {detail['changed']} of {detail['sections']} sections made, "
              f"{detail['synthesised']} request synthesised, {edit:.2f} s")  # fmt: skip
        force, detail = timed(source, out, settings, force=True)
        print(f"--force (clips cached): {detail['changed']} of {detail['sections']} sections made, {force:.2f} s")
        print(f"the edit costs {edit / force:.2f} of remaking the article from cached clips ({force / edit:.1f}× less)")


if __name__ == "__main__":
    main()
