"""OfflineEngine: espeak-ng from the espeakng-loader wheel, as a user of the audio edition
would check it: it speaks, in proportion, reproducibly, with prosody, and gives phonemes."""

from __future__ import annotations

import asyncio
import re

import numpy as np
import pytest

from publish.errors import EngineUnavailable, SpeechError
from publish.speech.espeak import PINYIN_VOICE, voice_for
from publish.speech.sound.audio import clip_pcm, duration, trim
from publish.speech.sound.engines.base import Prosody
from publish.speech.sound.engines.offline import OfflineEngine, pitch_level, rate_wpm, volume_level

PLAIN = Prosody()
SHORT = "河边的柳树发出了新芽，孩子们在草地上放风筝。"
LONG = SHORT + "图书馆周末开放到晚上九点，欢迎市民前来借阅。"
THREE = "今天天气很好。我们去公园散步吧！明天可能会下雨，记得带伞。"


def run(coro):
    return asyncio.run(coro)


@pytest.fixture(scope="module")
def engine():
    engine = OfflineEngine()
    yield engine
    run(engine.close())


def speak(engine: OfflineEngine, text: str, voice: str = "cmn", prosody: Prosody = PLAIN):
    return run(engine.synthesize(text, voice, prosody))


def spoken_seconds(engine: OfflineEngine, text: str, **options) -> float:
    return duration(trim(clip_pcm(speak(engine, text, **options))))


def bare(phonemes: str) -> str:
    """Phonemes without stress marks, word and clause separators."""
    return re.sub(r"[' _|,]", "", phonemes)


def test_nothing_loads_until_first_use():
    engine = OfflineEngine()
    assert engine._executor is None
    run(engine.close())  # closing an unused engine is fine


def test_chinese_speech_is_audible_pcm(engine):
    clip = speak(engine, SHORT)
    assert clip.format == "pcm16" and clip.sample_rate == 22050
    pcm = clip_pcm(clip)
    assert np.sqrt(np.mean(pcm**2)) > 0.02  # not silence
    assert 1.5 < duration(pcm) < 15


def test_duration_in_proportion_to_text(engine):
    ratio = spoken_seconds(engine, LONG) / spoken_seconds(engine, SHORT)
    assert 1.6 < ratio < 2.4


def test_sentence_events_increase_within_the_clip(engine):
    clip = speak(engine, THREE)
    length = len(clip.data) / 2 / clip.sample_rate
    assert len(clip.sentences) == 3
    assert clip.sentences[0] == 0.0
    assert all(a < b for a, b in zip(clip.sentences, clip.sentences[1:], strict=False))
    assert clip.sentences[-1] < length


def test_same_text_same_bytes(engine):
    first = speak(engine, SHORT).data
    speak(engine, LONG, prosody=Prosody(rate="+20%", pitch="+10Hz"))  # espeak keeps state between calls
    assert speak(engine, SHORT).data == first


def test_concurrent_requests_are_serialised_and_reproducible(engine):
    texts = [SHORT, LONG, THREE, SHORT]

    async def all_at_once():
        return await asyncio.gather(*(engine.synthesize(t, "cmn", PLAIN) for t in texts))

    clips = run(all_at_once())
    assert clips[0].data == clips[3].data
    assert [c.data for c in clips[:3]] == [speak(engine, t).data for t in texts[:3]]


def test_latin_text_uses_the_pinyin_voice_and_speaks(engine):
    text = "GDP增长了百分之五，5G网络覆盖全市。"
    assert voice_for(text, "cmn") == PINYIN_VOICE
    assert voice_for(SHORT, "cmn") == "cmn"
    assert voice_for(text, "yue") == "yue"
    seconds = spoken_seconds(engine, text)
    assert seconds > spoken_seconds(engine, "增长了百分之五，网络覆盖全市。") + 0.5
    assert "(en)" in engine.phonemes("GDP")  # letters are spelled in English


def test_pinyin_with_tone_numbers_reads_as_the_characters(engine):
    assert bare(engine.phonemes("重庆")) == bare(engine.phonemes("chong2 qing4", voice=PINYIN_VOICE))
    assert bare(engine.phonemes("银行")) != bare(engine.phonemes("yin2 xing2", voice=PINYIN_VOICE))


def test_phonemes_tell_words_apart(engine):
    chongqing = engine.phonemes("重庆")
    assert chongqing and chongqing != engine.phonemes("中心")
    assert engine.phonemes("") == ""


def test_rate_volume_and_pitch(engine):
    fast = spoken_seconds(engine, LONG, prosody=Prosody(rate="+50%"))
    slow = spoken_seconds(engine, LONG, prosody=Prosody(rate="-30%"))
    assert fast < 0.75 * slow
    quiet = clip_pcm(speak(engine, SHORT, prosody=Prosody(volume="-50%")))
    normal = clip_pcm(speak(engine, SHORT))
    assert np.abs(quiet).max() < 0.7 * np.abs(normal).max()
    assert speak(engine, SHORT, prosody=Prosody(pitch="+30Hz")).data != speak(engine, SHORT).data


def test_prosody_mappings():
    assert rate_wpm("+0%") == 175 and rate_wpm("+20%") == 210 and rate_wpm("-90%") == 80
    assert volume_level("+0%") == 100 and volume_level("-20%") == 80 and volume_level("+500%") == 200
    assert pitch_level("+0Hz") == 50 and pitch_level("+100Hz") == 100 and pitch_level("-50Hz") == 0
    assert pitch_level("+10Hz") == 57 and pitch_level("-400Hz") == 0


def test_version_and_voices(engine):
    assert re.fullmatch(r"espeak-ng \d+\.\d+\.\d+.*", engine.version)
    names = [v.name for v in run(engine.voices())]
    assert {"cmn", PINYIN_VOICE} <= set(names)


def test_unknown_voice(engine):
    with pytest.raises(SpeechError, match="no voice"):
        speak(engine, SHORT, voice="xx-nonesuch")


def test_missing_library_is_unavailable(tmp_path):
    engine = OfflineEngine(library=str(tmp_path / "libespeak-ng.so"), data=str(tmp_path))
    with pytest.raises(EngineUnavailable, match="cannot load libespeak-ng"):
        speak(engine, SHORT)
    run(engine.close())


def test_close_then_use_again(engine):
    other = OfflineEngine()
    first = speak(other, SHORT).data
    run(other.close())
    assert speak(other, SHORT).data == first == speak(engine, SHORT).data
    run(other.close())
