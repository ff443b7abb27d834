"""The clip cache: keyed by everything that shapes the audio; entries whole or absent."""

from __future__ import annotations

from publish.speech.sound.cache import ClipCache, clip_key
from publish.speech.sound.engines.base import Clip, Prosody


def key(text="夜间公交", **changes):
    fields = {"engine": "edge", "version": "edge-tts 7.3.1", "voice": "zh-CN-YunyangNeural", "prosody": Prosody()}
    fields.update(changes)
    return clip_key(text, **fields)


def test_key_changes_with_every_input():
    base = key()
    assert base == key()
    others = [
        key("夜间公交。"),
        key(engine="offline"),
        key(version="edge-tts 7.3.2"),
        key(voice="zh-CN-XiaoxiaoNeural"),
        key(prosody=Prosody(rate="+10%")),
    ]
    assert len({base, *others}) == 6


def test_round_trip_and_torn_entries(tmp_path):
    cache = ClipCache(tmp_path)
    clip = Clip(b"\xff\xf3" * 500, "mp3", 24000, [0.0, 1.5])
    assert cache.get(key()) is None and key() not in cache
    cache.put(key(), clip)
    assert key() in cache
    assert cache.get(key()) == clip
    # an entry cut short (e.g. copied half) is not taken as whole
    path = next(tmp_path.rglob("*.clip"))
    path.write_bytes(path.read_bytes()[:-10])
    assert cache.get(key()) is None
    assert not list(tmp_path.rglob("*.tmp"))


def test_no_root_keeps_nothing():
    cache = ClipCache(None)
    cache.put(key(), Clip(b"x", "mp3", 24000))
    assert cache.get(key()) is None
