"""Pronunciation fixes per engine: what is sent, why, and what the narration script shows."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from publish.cli import app
from publish.speech.espeak import PINYIN_VOICE
from publish.speech.sound.engines.offline import OfflineEngine
from publish.speech.text.homophones import same_sound, substitutes_for
from publish.speech.text.lexicon import Lexicon
from publish.speech.text.pronounce import WINDOW, Pronouncer, at_risk, tone_marks
from publish.speech.text.readings import PinyinReader, words

from .test_news_readings import CASES

runner = CliRunner()


@pytest.fixture(scope="module")
def reader():
    return PinyinReader()


@pytest.fixture(scope="module")
def edge(reader):
    return Pronouncer("edge", reader)


@pytest.fixture(scope="module")
def offline(reader):
    return Pronouncer("offline", reader)


def sounds_as(char: str, reading: str) -> bool:
    engine = OfflineEngine()
    return same_sound(engine.phonemes(char, voice="cmn"), engine.phonemes(reading, voice=PINYIN_VOICE))


def test_names_and_places_get_a_verified_homophone(edge):
    fixed = edge.fix("本报讯（记者 单晓明）重庆市六安新增网点。", names=["单晓明"])
    assert [(f.char, f.reading, f.reason) for f in fixed.fixes] == [
        ("单", "shan4", "name"),
        ("重", "chong2", "name"),
        ("六", "lu4", "name"),
    ]
    for fix in fixed.fixes:
        assert fix.sent in substitutes_for(fix.reading) and sounds_as(fix.sent, fix.reading)
        assert fixed.sent[fix.at] == fix.sent and fixed.text[fix.at] == fix.char
    assert len(fixed.sent) == len(fixed.text)  # one character for one: cue timing is untouched
    assert fixed.marked.startswith("本报讯（记者 单[shàn→善]晓明）重[chóng→")


def test_what_the_engine_reads_right_is_sent_as_it_is(edge):
    for text in ["行长在银行上班，还要了解情况。", "孩子长大了，觉得重要。", "各单位认真调查。"]:
        fixed = edge.fix(text)
        assert fixed.sent == text and fixed.fixes == ()


def test_words_the_service_misreads(edge):
    fixed = edge.fix("学校乐队在音乐会上演出")
    assert [(f.char, f.reading, f.reason) for f in fixed.fixes] == [("乐", "yue4", "misread")]
    assert fixed.sent.startswith("学校" + fixed.fixes[0].sent + "队")


def test_substitutes_never_make_a_word_with_a_neighbour(edge):
    texts = [text for _, text, _, _ in CASES]
    checked = 0
    for fixed in edge.fix_many(texts):
        sent = fixed.sent
        for fix in fixed.fixes:
            if fix.sent is None:
                continue
            checked += 1
            for start in range(max(0, fix.at - WINDOW + 1), fix.at + 1):
                for end in range(max(fix.at + 1, start + 2), min(len(sent), start + WINDOW) + 1):
                    assert sent[start:end] not in words(), (fixed.text, sent[start:end])
    assert checked >= 40


def test_a_substitute_that_makes_a_word_is_passed_over(edge):
    first = substitutes_for("shan4")[0]
    assert first + "于" in words()  # 善于: the best substitute would make a word here
    fixed = edge.fix("记者单于明说", names=["单于明"])
    (fix,) = fixed.fixes
    assert fix.sent not in (None, first) and sounds_as(fix.sent, "shan4")


def test_unfixable_readings_are_reported(tmp_path, reader):
    own = tmp_path / "lexicon.toml"
    own.write_text('[misread]\n"东西" = "dong1 xi5"\n[names]\n"勒布朗" = "le4 bu4 lang3"\n', encoding="utf-8")
    pronouncer = Pronouncer("edge", PinyinReader(Lexicon.load(own)))
    fixed = pronouncer.fix("勒布朗买东西")
    assert [(f.char, f.sent, f.problem) for f in fixed.fixes] == [
        ("勒", None, "no common character has only this reading"),
        ("西", None, "neutral tone: no character has only this reading"),
    ]
    assert fixed.sent == fixed.text
    assert (
        fixed.marked
        == "勒[lè ✗ no common character has only this reading]布朗买东西[xi ✗ neutral tone: no character has only this reading]"
    )


def test_the_rest_of_a_fixed_word_is_fixed_too(tmp_path, reader):
    own = tmp_path / "lexicon.toml"
    own.write_text('[places]\n"行长村" = "hang2 zhang3 cun1"\n', encoding="utf-8")
    found = PinyinReader(Lexicon.load(own)).readings("行长村")
    # 行 háng is a name's reading; once it is sent as 航, 长 alone would be read cháng
    assert at_risk(found) == [(0, "name"), (1, "word")]
    assert at_risk(reader.readings("银行行长")) == []  # the dictionary settles these: nothing to fix


def test_offline_gets_pinyin_where_espeak_says_other_syllables(offline):
    fixed = offline.fix("他在六安长大，记者单晓明报道。", names=["单晓明"])
    assert "lu4 an1" in fixed.sent and "shan4晓明" in fixed.sent
    assert {f.reason for f in fixed.fixes} == {"name"}  # why each was at risk
    engine = OfflineEngine()
    said = engine.phonemes(fixed.sent.split("，")[0], voice=PINYIN_VOICE)
    assert same_sound(said, engine.phonemes("ta1 zai4 lu4 an1 zhang3 da4", voice=PINYIN_VOICE))
    assert offline.fix("行长在银行上班").fixes == ()  # espeak reads these right by itself


def test_offline_pinyin_is_kept_apart_from_latin_and_digits(offline):
    fixed = offline.fix("A六安B")
    assert fixed.sent == "A lu4 an1 B"
    assert offline.fix("六安单晓明", names=["单晓明"]).sent == "lu4 an1 shan4晓明"  # two fixed words: a space between


def test_offline_words_that_overlap_are_sent_whole(offline):
    fixed = offline.fix("他们为了解群众需求")
    assert fixed.sent == "他们wei4 liao3 jie3群众需求"  # 为了 and 了解 overlap: one span


def test_voices_that_do_not_speak_mandarin_get_no_fixes():
    from publish.speech.text.pronounce import mandarin

    assert mandarin(None) and mandarin("zh-CN-YunyangNeural") and mandarin("zh-TW-HsiaoChenNeural") and mandarin("cmn")
    assert not mandarin("zh-HK-HiuGaaiNeural") and not mandarin("yue") and not mandarin("wuu-CN-XiaotongNeural")


def test_tone_marks():
    assert [tone_marks(s) for s in ("hang2", "lv4", "de5", "shan4")] == ["háng", "lǜ", "de", "shàn"]


def test_pinyin_command_shows_fixes_per_engine():
    result = runner.invoke(app, ["pinyin", "--fixes", "学校乐队到六安演出"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("学校乐[yuè→") and "六[lù→" in lines[0]
    assert lines[1].startswith("  → edge: 学校") and "乐" not in lines[1].split("：")[-1][2:4]
    result = runner.invoke(app, ["pinyin", "--fixes", "--engine", "offline", "--json", "六安"])
    (line,) = json.loads(result.stdout)
    assert line["sent"] == "lu4 an1" and line["fixes"][0]["reading"] == "lu4"
    result = runner.invoke(app, ["pinyin", "--fixes", "--engine", "azure", "六安"])
    assert result.exit_code == 2 and "--engine must be edge or offline, not 'azure'" in result.stderr


def test_the_seed_sends_no_likely_misreading_without_a_verified_fix():
    from publish.ingest import load
    from publish.speech.text.fixes import Pronunciations
    from publish.speech.text.script import narration, review

    from ..conftest import require_shared

    seed = require_shared() / "seed" / "000_36692723417f63aa.txt"
    (article,) = load(seed)
    pronunciation = Pronunciations()
    script = pronunciation.script(article, narration(article), "edge")
    reader = pronunciation.readers[next(iter(pronunciation.readers))]
    shown = review(script)
    names = [p.name for p in article.people]
    fixes = 0
    for utterance in script.utterances:
        if not utterance.speakable:
            continue
        assert utterance.fixed is not None
        risky = at_risk(reader.readings(utterance.spoken, names))
        assert [at for at, _ in risky] == [f.at for f in utterance.fixed.fixes]
        for fix in utterance.fixed.fixes:
            assert fix.sent is not None, fix.mark  # every one fixed, none only reported
            assert sounds_as(fix.sent, fix.reading)  # and the fix verified
            assert fix.mark in shown
            fixes += 1
    assert fixes >= 1 and f"(pronunciation for edge: {fixes} fixed)" in shown


ALPHABET = "单重庆六安乐队行长银会计曾查区解朝阳为了的地得应更分子记者说在市，。A1 "


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=ALPHABET, max_size=30))
def test_edge_fixes_change_only_what_they_say(edge, text):
    fixed = edge.fix(text, names=["单晓明"])
    assert len(fixed.sent) == len(text)
    changed = {at for at, (a, b) in enumerate(zip(text, fixed.sent, strict=True)) if a != b}
    assert changed == {f.at for f in fixed.fixes if f.sent is not None}
    for fix in fixed.fixes:
        assert text[fix.at] == fix.char
        if fix.sent is not None:
            assert fix.sent in substitutes_for(fix.reading)
    assert re.sub(r"\[[^]]*\]", "", fixed.marked) == text  # the script's marks come off to the printed text


def test_without_espeak_nothing_unverified_is_sent(monkeypatch, reader):
    from publish.errors import EngineUnavailable

    def broken(syllable):
        raise EngineUnavailable("espeak-ng could not be loaded")

    monkeypatch.setattr("publish.speech.text.homophones.substitutes_for", broken)
    fixed = Pronouncer("edge", reader).fix("六安")
    assert fixed.sent == "六安"
    assert fixed.fixes[0].problem == "no substitute can be verified (espeak-ng could not be loaded)"
