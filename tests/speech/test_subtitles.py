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


def test_vtt_cues_carry_the_ids_of_the_article_views_sentences():
    """Each shown cue has the identifier s1, s2 … (the merged `。”` takes none): unique, in order."""
    cues = [Timed(0.0, 1.0, "“开始"), Timed(1.0, 2.0, "甲<乙>&丙"), Timed(2.0, 2.1, "。”"), Timed(2.1, 3.0, "下一句。")]
    blocks = vtt(cues, "题").split("\n\n")
    assert blocks[0] == "WEBVTT - 题"
    ids = [block.split("\n")[0] for block in blocks[1:]]
    assert ids == ["s1", "s2", "s3"] and len(set(ids)) == len(ids)
    assert blocks[2] == "s2\n00:00:01.000 --> 00:00:02.100\n甲&lt;乙&gt;&amp;丙。”"
    assert srt(cues).startswith("1\n00:00:00,000 --> ")  # SRT keeps its numbers, LRC has no ids
    assert not any(line.startswith("s") for line in lrc(cues).splitlines())
