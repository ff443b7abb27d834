"""The site of a build's output folder, from the issue records: HTML of every issue, page and
article, the archive, the whole-paper feeds and the search index; only what changed is written."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_site(out: Path, settings: Any) -> list[str]:
    """Assemble the site in `out` (settings: config.BuildSettings); notes for the user."""
    return []
