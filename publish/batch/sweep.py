"""Cleaning up after a killed or interrupted run: what it left half-made, never outputs."""

from __future__ import annotations

import shutil
from pathlib import Path


def sweep_files(folder: Path) -> None:
    """Temporary files a killed run left in `folder` itself (its subfolders are left alone)."""
    if folder.is_dir():
        for entry in folder.glob(".*.tmp"):
            if entry.is_file():
                entry.unlink(missing_ok=True)


def sweep(folder: Path) -> None:
    """Temporary files and scratch folders a killed run left in an issue folder."""
    from ..speech.sound.edition import SCRATCH_PREFIX

    if not folder.is_dir():
        return
    for entry in folder.rglob(".*"):
        if entry.is_file() and entry.name.endswith(".tmp"):
            entry.unlink(missing_ok=True)
        elif entry.is_dir() and entry.name.startswith(SCRATCH_PREFIX):
            shutil.rmtree(entry, ignore_errors=True)
