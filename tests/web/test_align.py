"""Subtitle cues ↔ the article view's printed parts: what the highlighting reads, never losing text."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import publish
from publish.issue import group_issues
from publish.speech.sound.subtitles import Timed, vtt
from publish.speech.text.script import narration
from publish.web.align import Cue, Run, align, read_vtt
from publish.web.record import article_record, view_parts
from tests.conftest import EXAMPLES, SHARED


def cue(n: int, text: str) -> Cue:
    return Cue(f"s{n}", float(n), n + 1.0, text)


def joined(runs: list[list[Run]]) -> list[str]:
    return ["".join(run.text for run in part) for part in runs]


def read(runs: list[list[Run]]) -> list[tuple[str, str]]:
    """(cue id, text) of every cue run, in order."""
    return [(run.cue.id, run.text) for part in runs for run in part if run.cue]


# ---- reading WebVTT ----------------------------------------------------------------------


def test_our_vtt_reads_back_with_its_ids_times_and_text():
    timed = [Timed(0.0, 1.25, "甲 & <乙>"), Timed(1.25, 3661.5, "“丙丁。”"), Timed(3661.5, 3662.0, "。")]
    cues = read_vtt(vtt(timed, "题目"))
    assert cues == [Cue("s1", 0.0, 1.25, "甲 & <乙>"), Cue("s2", 1.25, 3662.0, "“丙丁。”。")]


def test_a_hand_edited_vtt_is_read_as_far_as_it_makes_sense():
    text = (
        "\ufeffWEBVTT\r\n\r\nNOTE an editor was here\r\n\r\n"
        "00:01.000 --> 00:02.000 align:start\r\n<v 播音>无编号</v>\r\n\r\n"  # no id, no hours, settings, a voice tag
        "s2\r\n00:00:02.000 --> 00:00:01.000\r\n倒着的\r\n\r\n"  # ends before it starts: skipped
        "s3\r\n00:00:03,000 --> 00:00:04,000\r\n逗号的时间\r\n第二行 &amp;nbsp; &#x4e00;&#20108;&bogus;\r\n\r\n"
        "s3\r\n00:00:04.000 --> 00:00:05.000\r\n重复的编号\r\n\r\n"
        "s4\r\nnot a timing line\r\ntext\r\n\r\n"
        "STYLE\r\n::cue { color: red }\r\n\r\n"
        "s5\r\n00:00:06.000 --> 00:00:07.000\r\n\r\n"  # no text: a cue with nothing to find
    )
    cues = read_vtt(text)
    assert [(c.id, c.start, c.end, c.text) for c in cues] == [
        ("s1", 1.0, 2.0, "无编号"),
        ("s3", 3.0, 4.0, "逗号的时间\n第二行 &nbsp; 一二&bogus;"),
        ("s3-3", 4.0, 5.0, "重复的编号"),
        ("s5", 6.0, 7.0, ""),
    ]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
@example("WEBVTT\n\n-->\n\n1\n99:99.999 --> 0:00.000\nx")
@example("x\n00:00.000 --> 00:01.000\n&#0;&#xD800;&#1114112;")
def test_any_text_reads_without_a_traceback(text):
    cues = read_vtt(text)
    assert len({c.id for c in cues}) == len(cues)  # ids stay unique, as span ids must
    assert all(c.start <= c.end for c in cues)


# ---- aligning ------------------------------------------------------------------------------


def test_cues_of_the_narration_find_their_printed_text():
    parts = ["夜间公交", "本报记者 许晴", "图为老人就餐。 本报记者 许晴 摄", "●时间：每晚9点", "“一荤两素。”她说。"]
    cues = [
        cue(1, "夜间公交"),
        cue(2, "本报记者 许晴"),
        cue(3, "图为老人就餐。（本报记者 许晴 摄）"),  # the narration reads a credit in brackets
        cue(4, "-时间："),  # …and a list marker as the source wrote it
        cue(5, "每晚9点"),
        cue(6, "“一荤两素。”"),
        cue(7, "她说。"),
    ]
    runs = align(cues, parts)
    assert joined(runs) == parts
    assert read(runs) == [
        ("s1", "夜间公交"),
        ("s2", "本报记者 许晴"),
        ("s3", "图为老人就餐。 本报记者 许晴 摄"),
        ("s4", "时间："),
        ("s5", "每晚9点"),
        ("s6", "“一荤两素。”"),
        ("s7", "她说。"),
    ]
    assert runs[3] == [Run("●"), Run("时间：", cues[3]), Run("每晚9点", cues[4])]


def test_a_cue_across_two_parts_reads_in_both_with_one_id():
    parts = ["标题", "（夜语）", "正文"]
    runs = align([cue(1, "标题（夜语）"), cue(2, "正文")], parts)
    assert read(runs) == [("s1", "标题"), ("s1", "（夜语）"), ("s2", "正文")]
    runs = align([cue(1, "甲乙丙丁")], ["甲 ", " 乙 ", " 丙丁"])
    assert runs == [
        [Run("甲", runs[0][0].cue), Run(" ")],
        [Run(" "), Run("乙", runs[0][0].cue), Run(" ")],
        [Run(" "), Run("丙丁", runs[0][0].cue)],
    ]


def test_white_space_differs_and_stays_as_printed():
    runs = align([cue(1, "稳就业 保供暖"), cue(2, "办好 群众 身边事")], ["稳就业　保供暖 办好群众身边事 "])
    assert runs == [
        [Run("稳就业　保供暖", cue(1, "稳就业 保供暖")), Run(" "), Run("办好群众身边事", cue(2, "办好 群众 身边事")), Run(" ")]
    ]


def test_a_cue_not_in_print_is_left_out_and_the_rest_still_found():
    parts = ["第一句。第二句。第三句。"]
    runs = align([cue(1, "第一句。"), cue(2, "改过的句子。"), cue(3, "第三句。")], parts)
    assert read(runs) == [("s1", "第一句。"), ("s3", "第三句。")] and joined(runs) == parts


def test_a_short_cue_met_again_further_on_is_not_taken_there():
    """`好。` was edited away where it was read; taking the later 好。 would lose 天气 and 出门。"""
    parts = ["天气晴。出门。后来他说：好。"]
    runs = align([cue(1, "天气晴。"), cue(2, "好。"), cue(3, "出门。"), cue(4, "后来他说：好。")], parts)
    assert read(runs) == [("s1", "天气晴。"), ("s3", "出门。"), ("s4", "后来他说：好。")]


def test_cues_are_found_forward_only():
    """Of two cues read in the other order than printed, one is found (乙 would skip 甲, which comes next)."""
    assert read(align([cue(1, "乙"), cue(2, "甲")], ["甲乙"])) == [("s2", "甲")]
    assert read(align([cue(1, "乙"), cue(2, "甲")], ["甲乙丙"])) == [("s2", "甲")]


texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(texts, max_size=6), st.lists(texts, max_size=8))
@example(["a b", "\u3000"], [" a", "b ", ""])
@example(["", "ab", "", "c"], ["abc"])
def test_runs_give_back_every_part_exactly_for_any_text(parts, said):
    cues = [cue(n, text) for n, text in enumerate(said, 1)]
    runs = align(cues, parts)
    assert joined(runs) == parts
    assert all(run.text for part in runs for run in part)  # no empty run
    order = [int(run.cue.id[1:]) for part in runs for run in part if run.cue]
    assert order == sorted(order)  # in the cues' order, a cue's pieces together


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=5), st.data())
def test_cues_cut_from_the_printed_text_are_all_found(parts, data):
    """Cues that are the print cut anywhere (white space aside) are each found, reading exactly their cut."""
    whole = "".join(parts)
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(whole)), max_size=10))) | {0, len(whole)})
    pieces = [whole[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]
    cues = [cue(n, piece) for n, piece in enumerate(pieces, 1) if "".join(piece.split())]
    runs = align(cues, parts)
    assert joined(runs) == parts
    found: dict[str, str] = {}
    for cue_id, text in read(runs):
        found[cue_id] = found.get(cue_id, "") + text
    assert {c.id: "".join(c.text.split()) for c in cues} == {k: "".join(v.split()) for k, v in found.items()}


# ---- real narration -------------------------------------------------------------------------


def narrated(article) -> list[Cue]:
    """The cues the article's audio would carry (times aside), read back from its VTT."""
    script = narration(article)
    timed = [Timed(n, n + 1.0, c.text) for n, c in enumerate(c for u in script.utterances if u.speakable for c in u.cues)]
    return read_vtt(vtt(timed, script.title))


def aligned_share(folder) -> tuple[int, int, list[str]]:
    """(cues found, cues, the texts of those missed) over the articles in `folder`."""
    result = publish.collect([folder])
    found = total = 0
    missed = []
    for issue in group_issues(result.articles):
        for number, article in enumerate(issue.articles, 1):
            entry = article_record(article, number, "", [None] * len(article.photos))
            parts = [text for _, text in view_parts(entry)]
            cues = narrated(article)
            runs = align(cues, parts)
            assert joined(runs) == parts
            ids = {cue_id for cue_id, _ in read(runs)}
            squeezed = "".join("".join(parts).split())
            for c in cues:
                if c.id in ids:
                    found += 1
                elif "".join(c.text.split()) in squeezed:
                    missed.append(f"{article.source.file}: {c.text}")
            total += len(cues)
    return found, total, missed


def test_every_cue_of_the_examples_narration_is_aligned():
    found, total, missed = aligned_share(EXAMPLES)
    assert missed == [] and found == total and total > 250


@pytest.mark.shared
def test_nearly_every_cue_of_the_corpus_narration_is_aligned(shared, record_property):
    found, total, missed = aligned_share(SHARED / "corpus")
    record_property("aligned", f"{found}/{total}")
    print(f"cues aligned over the corpus: {found}/{total} = {found / total:.2%}")
    assert missed == [] and found / total >= 0.99
