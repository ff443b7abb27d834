"""Content-addressed store of synthesised clips, so a re-run only synthesises what changed
and an interrupted run resumes where it stopped.

A clip's key hashes everything that shapes its audio: the text sent, engine and its
version, voice and prosody. Each entry is one file written atomically (a JSON header line,
then the audio bytes), so a crash never leaves half an entry that later reads as whole.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ...digest import fields_digest
from ...fsutil import atomic_write_bytes
from .engines.base import Clip, Prosody

FORMAT_VERSION = 1


def default_cache_dir() -> Path:
    """`$PUBLISH_CACHE`, else `$XDG_CACHE_HOME/publish/speech`, else `~/.cache/publish/speech`."""
    if os.environ.get("PUBLISH_CACHE"):
        return Path(os.environ["PUBLISH_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "publish" / "speech"


def clip_key(text: str, *, engine: str, version: str, voice: str, prosody: Prosody) -> str:
    """The hex digest naming a clip: the same request always maps to the same entry."""
    fields = [f"v{FORMAT_VERSION}", engine, version, voice, prosody.key, text]
    return fields_digest(*fields)


class ClipCache:
    """Clips on disk under `root/ab/abcdef….clip`; `None` root keeps nothing."""

    def __init__(self, root: Path | None):
        self.root = root

    def _path(self, key: str) -> Path:
        assert self.root is not None
        return self.root / key[:2] / f"{key}.clip"

    def get(self, key: str) -> Clip | None:
        if self.root is None:
            return None
        try:
            data = self._path(key).read_bytes()
        except OSError:
            return None
        header, _, audio = data.partition(b"\n")
        try:
            meta = json.loads(header)
            if meta.get("bytes") != len(audio):
                return None
            return Clip(audio, meta["format"], meta["rate"], [float(s) for s in meta["sentences"]])
        except (ValueError, KeyError, TypeError):
            return None

    def __contains__(self, key: str) -> bool:
        """A whole, readable entry (its header's byte count matches the file): anything else
        is synthesised again and overwritten."""
        if self.root is None:
            return False
        try:
            with self._path(key).open("rb") as handle:
                header = handle.readline()
                size = os.fstat(handle.fileno()).st_size
            return json.loads(header).get("bytes") == size - len(header)
        except (OSError, ValueError, AttributeError):
            return False

    def put(self, key: str, clip: Clip) -> None:
        if self.root is None:
            return
        meta = {"format": clip.format, "rate": clip.sample_rate, "sentences": clip.sentences, "bytes": len(clip.data)}
        atomic_write_bytes(self._path(key), json.dumps(meta, separators=(",", ":")).encode() + b"\n" + clip.data)
