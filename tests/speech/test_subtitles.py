"""Subtitle files: what a viewer sees line by line."""

from __future__ import annotations

from publish.speech.sound.subtitles import Timed, lrc, shown, srt, vtt


def test_a_cue_of_punctuation_only_joins_the_cue_before_it():
    cues = [Timed(0.0, 1.0, "“开始"), Timed(1.0, 2.0, "甲乙丙"), Timed(2.0, 2.1, "。”"), Timed(2.1, 3.0, "下一句。")]
    assert shown(cues) == [Timed(0.0, 1.0, "“开始"), Timed(1.0, 2.1, "甲乙丙。”"), Timed(2.1, 3.0, "下一句。")]
    assert shown([Timed(0.0, 0.2, "（"), Timed(0.2, 1.0, "完）")]) == [Timed(0.2, 1.0, "（完）")]
    text = srt(cues)
    assert "\n。”\n" not in text and text.count(" --> ") == 3
    assert vtt(cues).count(" --> ") == 3
    assert lrc(cues).count("]") == 3


def test_cue_times_never_run_backwards():
    made = shown([Timed(0.0, 1.5, "甲"), Timed(1.2, 2.0, "乙"), Timed(2.0, 2.0, "丙")])
    assert all(a.end <= b.start for a, b in zip(made, made[1:], strict=False))
    assert all(c.start <= c.end for c in made)
