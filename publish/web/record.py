"""An issue's article records for the web, made by the web task: `web/articles.json` (each
article's printed parts, photos, search text) and web-sized photos in `web/photos/`."""

from __future__ import annotations

from pathlib import Path

RECORD = "web/articles.json"


def write_issue_record(articles: list, folder: Path, issue: str) -> list[str]:
    """Write the issue's article records and photo derivatives; the files written, relative to `folder`."""
    return []
