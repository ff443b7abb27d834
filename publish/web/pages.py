"""An issue's pages for the web, made by the pdf task: page images (WebP at 2× an 800-px view,
a PNG fallback, thumbnails), one PDF per page, and `web/pages.json` with each page's size and
every article's area on it (the layout's module boxes, jumps included)."""

from __future__ import annotations

from pathlib import Path

PAGES = "web/pages.json"


def write_page_files(pdf: Path, pages: list, folder: Path, issue: str) -> list[str]:
    """Write the page images, per-page PDFs and `web/pages.json` of the issue whose PDF is `pdf`
    and whose laid-out pages (layout.page.Page) are `pages`; the files written, relative to `folder`."""
    return []
