"""The README's screenshots of the web edition: a page view and an article view of the examples
as `make run` builds them (out/build), taken in Debian's Chromium through Playwright.

    python tools/web_screenshots.py [out/build] [docs]
"""

from __future__ import annotations

import io
import os
import sys
import threading
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from publish.web.serve import make_server

CHROMIUM = os.environ.get("PUBLISH_CHROMIUM", "/usr/bin/chromium")
SHOTS = (  # file, page in the site, viewport width, height, what to do first
    ("web-page.png", "青梧日报-2026-11-20/page-01.html", 1280, 1000, None),
    ("web-article.png", "青梧日报-2026-11-20/01-300101/index.html", 1280, 1000, "play"),
)


def main() -> None:
    site = Path(sys.argv[1] if len(sys.argv) > 1 else "out/build")
    docs = Path(sys.argv[2] if len(sys.argv) > 2 else "docs")
    server = make_server(site, 0)  # byte ranges: the audio can seek
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, path, width, height, action in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + path, wait_until="networkidle")
            if action == "play":  # a sentence lit as it is read: the sixth cue's middle
                page.evaluate("""() => { const s = document.querySelectorAll('.cue[id]')[5];
                    const a = document.getElementById('player'); a.muted = true;
                    a.currentTime = (parseFloat(s.dataset.begin) + parseFloat(s.dataset.end)) / 2; }""")
                page.wait_for_selector(".cue-active")
            shot = Image.open(io.BytesIO(page.screenshot()))
            shot = shot.convert("P", palette=Image.Palette.ADAPTIVE, colors=128)
            shot.save(docs / name, optimize=True)
            print(f"{docs / name}: {shot.width}×{shot.height}, {(docs / name).stat().st_size // 1024} KB")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main()
