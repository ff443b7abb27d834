"""The homophone table: built from data, every entry read by the offline engine as its syllable."""

from __future__ import annotations

from pypinyin import Style, pinyin

from publish.speech.engines.offline import PINYIN_VOICE, OfflineEngine
from publish.speech.homophones import candidates, same_sound, table


def test_known_substitutes():
    found = table()
    assert {s: found[s] for s in ("hang2", "chong2", "zhong4", "shan4", "qiu2")} == {
        "hang2": "航",
        "chong2": "崇",
        "zhong4": "仲",
        "shan4": "善",
        "qiu2": "求",
    }
    assert len(found) > 850  # most toned syllables of Mandarin have a substitute
    assert not [s for s in found if s.endswith("5")]  # neutral tones have none


def test_every_entry_has_one_reading_and_sounds_right():
    engine = OfflineEngine()
    for syllable, char in table().items():
        assert pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0] == [syllable], char
        assert same_sound(engine.phonemes(char, voice="cmn"), engine.phonemes(syllable, voice=PINYIN_VOICE)), (syllable, char)


def test_entries_the_engine_reads_otherwise_are_left_out():
    dropped = set(candidates()) - set(table())
    assert len(dropped) < 0.05 * len(candidates())
