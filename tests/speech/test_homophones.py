"""The homophone table: built from data, every entry read by the offline engine as its syllable."""

from __future__ import annotations

from pypinyin.constants import PHRASES_DICT
from pypinyin.contrib.tone_convert import to_tone3

from publish.speech.espeak import PINYIN_VOICE
from publish.speech.sound.engines.offline import OfflineEngine
from publish.speech.text.homophones import candidates, common, ranked, same_sound, substitutes, table


def test_known_substitutes():
    found = table()
    assert {s: found[s] for s in ("hang2", "zhong4", "shan4", "qiu2", "ying4", "zhang3")} == {
        "hang2": "航",
        "zhong4": "众",
        "shan4": "善",
        "qiu2": "求",
        "ying4": "硬",  # pypinyin also lists an archaic gěng for 硬, which no word uses
        "zhang3": "掌",
    }
    assert "崇" in substitutes()["chong2"]
    assert len(found) > 950  # nearly every toned syllable of Mandarin has a substitute
    assert not [s for s in found if s.endswith("5")]  # neutral tones have none
    assert "le4" not in found  # 乐's lè: only rare characters (泐, 叻) have it alone


def test_substitutes_are_common_characters_with_one_reading_in_use():
    used: dict[str, set[str]] = {}
    for phrase, readings in PHRASES_DICT.items():
        for char, reading in zip(phrase, readings, strict=True):
            used.setdefault(char, set()).add(to_tone3(reading[0], neutral_tone_with_five=True))
    for syllable, chars in substitutes().items():
        assert 1 <= len(chars) <= 4
        for char in chars:
            assert common(char), char
            assert used.get(char, {syllable}) == {syllable}, (char, used[char])


def test_commonness_is_gb2312_level_1():
    assert common("航") and common("硬") and not common("泐") and not common("a") and not common("𠀋")


def test_every_entry_sounds_right():
    engine = OfflineEngine()
    for syllable, chars in substitutes().items():
        target = engine.phonemes(syllable, voice=PINYIN_VOICE)
        for char in chars:
            assert same_sound(engine.phonemes(char, voice="cmn"), target), (syllable, char)


def test_entries_the_engine_reads_otherwise_are_left_out():
    dropped = set(candidates()) - set(table())
    assert len(dropped) < 0.05 * len(candidates())
    assert set(table()) <= set(ranked())
