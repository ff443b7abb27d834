"""Shared fixtures. Tests that read ../shared (the real corpus) skip with a reason when it is
absent, unless PUBLISH_REQUIRE_SHARED=1 (set by .ci/run), where its absence is a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PUBLISH_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples"
SEED = SHARED / "seed" / "000_36692723417f63aa.txt"


def require_shared() -> Path:
    """The shared folder, or skip (fail under PUBLISH_REQUIRE_SHARED=1) when it is missing."""
    if (SHARED / "corpus").is_dir():
        return SHARED
    reason = f"the shared corpus is not at {SHARED} (set PUBLISH_SHARED to its path)"
    if os.environ.get("PUBLISH_REQUIRE_SHARED") == "1":
        pytest.fail(reason + "; PUBLISH_REQUIRE_SHARED=1 makes it required")
    pytest.skip(reason)


def corpus_texts() -> list[Path]:
    """The corpus articles' .txt files (collected at import time for parametrisation)."""
    return sorted((SHARED / "corpus").glob("*/*.txt")) if (SHARED / "corpus").is_dir() else []


def corpus_params():
    files = corpus_texts()
    if files:
        return [pytest.param(f, id=f.stem) for f in files]
    return [pytest.param(None, id="no-corpus")]


@pytest.fixture
def shared() -> Path:
    return require_shared()


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path (text as UTF-8 unless bytes) and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


# the local edge-tts server, for the CLI tests too
from tests.speech.conftest import edge_server  # noqa: E402, F401
