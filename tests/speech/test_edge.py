"""EdgeEngine: the real edge-tts client against a local server speaking the service's
protocol (tests/speech/edge_server.py), with every failure mode the service shows."""

from __future__ import annotations

import asyncio
import socket
import time

import edge_tts.communicate
import edge_tts.drm
import edge_tts.voices
import miniaudio
import pytest

from publish.errors import EngineUnavailable, ServiceFailed, SpeechError
from publish.speech.sound.engines.base import Prosody
from publish.speech.sound.engines.edge import EdgeEngine, RetryPolicy, normalise_endpoint, voices_url
from tests.speech import edge_server as es

VOICE = "zh-CN-YunyangNeural"
TEXT = "青梧新城今晚开通三条夜间公交线路。首月免费乘坐！市民反响如何？"
DEFAULT = Prosody()
FAST = RetryPolicy(base_delay=0.01, max_delay=0.05)
TEXTS = [f"第{i}条消息：今天是{i % 7 + 1}号，天气晴朗。市民出行方便！" for i in range(40)]


def run(coro):
    return asyncio.run(coro)


class Retries(list):
    """An on_retry callback that records (attempt, delay, error)."""

    def __call__(self, attempt, delay, error):
        self.append((attempt, delay, error))


def engine(**options) -> EdgeEngine:
    options.setdefault("retry", FAST)
    options.setdefault("receive_timeout", 0.5)
    options.setdefault("connect_timeout", 2)
    return EdgeEngine(**options)


async def speak(text=TEXT, voice=VOICE, prosody=DEFAULT, **options):
    async with engine(**options) as e:
        return await e.synthesize(text, voice, prosody)


async def speak_all(texts, jobs=4, **options):
    """Synthesise `texts` `jobs` at a time, as the edition code does (a TaskGroup)."""
    async with engine(**options) as e:
        gate = asyncio.Semaphore(jobs)

        async def one(text):
            async with gate:
                return await e.synthesize(text, VOICE, Prosody())

        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(t)) for t in texts]
        return [t.result() for t in tasks]


def call(method, *args, **options):
    """Run `engine(**options).method(*args)` and close the engine."""

    async def main():
        async with engine(**options) as e:
            return await getattr(e, method)(*args)

    return run(main())


def first_error(group: BaseException) -> BaseException:
    while isinstance(group, BaseExceptionGroup):
        group = group.exceptions[0]
    return group


def decode(clip):
    info = miniaudio.mp3_get_info(clip.data)
    assert (info.sample_rate, info.nchannels) == (24000, 1)
    return info.duration


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expected_bytes(text=TEXT, voice=VOICE, prosody=DEFAULT):
    return es.synthesize(text, voice, prosody.rate, prosody.volume, prosody.pitch)[0]


# --- fault-free -------------------------------------------------------------------------------


def test_clip_is_decodable_mp3_with_sentence_offsets(edge_server):
    server = edge_server()
    short = run(speak("今天天气很好。"))
    clip = run(speak(TEXT))
    assert (clip.format, clip.sample_rate) == ("mp3", 24000)
    assert clip.data == expected_bytes()
    # duration in proportion to the text: 0.2 s a character plus pauses
    assert 0.2 * 27 < decode(clip) < 0.4 * 32
    assert decode(short) < decode(clip) / 3
    # one SentenceBoundary per sentence (。！？), offsets in seconds, increasing
    assert len(clip.sentences) == 3
    assert clip.sentences[0] == pytest.approx(0.1)
    assert clip.sentences == sorted(clip.sentences)
    assert clip.sentences[-1] < decode(clip)
    assert server.stats.texts == ["今天天气很好。", TEXT]
    assert (server.stats.requests, server.stats.succeeded, server.stats.failed) == (2, 2, 0)


def test_text_is_escaped_and_voice_and_prosody_reach_the_server(edge_server):
    server = edge_server()
    text = "A&B <公司> 称：“增长5%”。"
    fast = Prosody(rate="+50%", volume="-10%", pitch="+5Hz")
    clip = run(speak(text, "zh-CN-XiaoxiaoNeural", fast))
    normal = run(speak(text, "zh-CN-XiaoxiaoNeural"))
    assert server.stats.texts == [text, text]
    assert server.stats.voices == ["zh-CN-XiaoxiaoNeural"] * 2
    assert clip.data == expected_bytes(text, "zh-CN-XiaoxiaoNeural", fast)
    assert decode(clip) < decode(normal) * 0.75  # rate +50 % is faster


def test_empty_text_and_bad_voice_are_refused_without_a_request(edge_server):
    server = edge_server()
    with pytest.raises(SpeechError, match="empty"):
        run(speak("  \n"))
    with pytest.raises(SpeechError, match="voice"):
        run(speak(voice="小明"))
    assert server.stats.requests == 0


# --- one fault, then success -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["403", "429", "503", "500", "drop", "truncate", "slow", "noaudio"])
def test_each_fault_is_retried_and_the_result_is_identical(edge_server, kind):
    server = edge_server(faults={1: kind})
    reference = run(speak())  # request 0: no fault
    retries = Retries()
    started = time.monotonic()
    clip = run(speak(on_retry=retries))
    elapsed = time.monotonic() - started
    assert clip.data == reference.data and clip.sentences == reference.sentences
    assert server.stats.failures == {kind: 1}
    assert server.stats.succeeded == 2 and server.stats.requests == 3
    if kind == "403":  # edge-tts retries a 403 itself, after adjusting its clock to the server's
        assert retries == []
        assert edge_tts.drm.DRM.clock_skew_seconds == pytest.approx(600, abs=5)
    else:
        assert [r[0] for r in retries] == [1]
    if kind == "429":  # Retry-After: 1 is honoured
        assert retries[0][1] >= 1 and elapsed >= 0.9
    if kind == "slow":  # the engine's own idle timeout (receive_timeout=0.5) ended the stall
        assert isinstance(retries[0][2], TimeoutError) and elapsed < 5


def test_partial_audio_is_discarded_not_stitched(edge_server):
    server = edge_server(faults=["drop", "truncate", "slow"])
    clip = run(speak())
    assert clip.data == expected_bytes()
    assert server.stats.failures == {"drop": 1, "truncate": 1, "slow": 1}


def test_random_faults_at_concurrency_4_all_succeed_with_identical_output(edge_server):
    server = edge_server(fault_rate=0.2, seed=7, latency=0.01)
    retries = Retries()
    clips = run(speak_all(TEXTS, jobs=4, on_retry=retries))
    assert [c.data for c in clips] == [expected_bytes(t) for t in TEXTS]
    assert all(len(c.sentences) == 2 for c in clips)
    assert server.stats.succeeded == len(TEXTS)
    assert server.stats.failed >= 4 and len(server.stats.failures) >= 4
    assert len(retries) == server.stats.failed - server.stats.failures["403"]


# --- outages -----------------------------------------------------------------------------------


def test_permanent_outage_trips_the_breaker_and_stops_all_calls(edge_server):
    server = edge_server(faults={3: "down"})  # three requests work, then every one is a 503
    started = time.monotonic()
    with pytest.raises(BaseExceptionGroup) as caught:
        run(speak_all(TEXTS, jobs=4))
    error = first_error(caught.value)
    assert isinstance(error, ServiceFailed)
    assert str(error).startswith("edge-tts: 12 requests in a row failed (last: HTTP 503 Service Unavailable); stopped")
    assert "--engine offline" in str(error)
    assert time.monotonic() - started < 5
    seen = server.stats.requests
    # after the trip, at most the requests already on their way (4 at once; one may be between
    # its breaker check and its connection when the trip comes)
    assert server.stats.succeeded == 3 and 3 + 12 <= seen <= 3 + 12 + 4
    time.sleep(0.2)
    assert server.stats.requests == seen


def test_one_request_failing_every_attempt_stops_the_run(edge_server):
    server = edge_server(down="503")
    retries = Retries()
    e = engine(on_retry=retries)

    async def twice():
        async with e:
            with pytest.raises(ServiceFailed, match=r"a request failed 6 times \(last: HTTP 503"):
                await e.synthesize(TEXT, VOICE, Prosody())
            # later calls fail at once, with the same report, and send nothing
            with pytest.raises(ServiceFailed, match="failed 6 times"):
                await e.synthesize(TEXT, VOICE, Prosody())

    run(twice())
    assert server.stats.requests == 6 and len(retries) == 5
    assert [r[0] for r in retries] == [1, 2, 3, 4, 5]
    assert e.failures == {"HTTP 503 Service Unavailable": 6}


def test_outage_with_the_default_policy_stops_well_within_a_minute(edge_server):
    server = edge_server(down="503")
    started = time.monotonic()
    with pytest.raises(BaseExceptionGroup) as caught:
        run(speak_all(TEXTS, jobs=4, retry=RetryPolicy()))
    assert isinstance(first_error(caught.value), ServiceFailed)
    assert time.monotonic() - started < 60
    assert server.stats.requests <= 12 + 3


def test_outage_that_ends_in_time_is_ridden_out(edge_server):
    server = edge_server(down="503")

    async def main():
        async with engine(retry=RetryPolicy(base_delay=0.1, max_delay=0.2, jitter=False)) as e:
            later = asyncio.get_running_loop().call_later(0.3, server.set_down, None)
            try:
                return await e.synthesize(TEXT, VOICE, Prosody())
            finally:
                later.cancel()

    assert run(main()).data == expected_bytes()
    assert server.stats.failures["down"] >= 2


def test_nothing_listening_is_engine_unavailable_at_once(edge_server):
    url = f"ws://127.0.0.1:{free_port()}/edge/v1?TrustedClientToken=x"
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"the edge-tts service cannot be reached: cannot connect to 127\.0\.0\.1"):
        run(speak(endpoint=url))
    assert time.monotonic() - started < 2

    async def check():
        async with EdgeEngine(endpoint=url) as e:
            await e.check(timeout=1)

    with pytest.raises(EngineUnavailable):
        run(check())


def test_refused_after_a_success_is_retried_like_any_network_error(edge_server):
    server = edge_server()

    async def main():
        async with engine() as e:
            await e.synthesize(TEXT, VOICE, Prosody())
            server.set_down("refuse")
            await e.synthesize("第二句。", VOICE, Prosody())

    with pytest.raises(ServiceFailed, match="failed 6 times"):
        run(main())


def test_a_voice_the_service_answers_with_silence_ends_in_a_report(edge_server):
    server = edge_server()  # the service has no audio for blocked or unknown voices
    with pytest.raises(ServiceFailed, match=r"failed 6 times \(last: no audio received\)"):
        run(speak(voice="zh-CN-XiaochenNeural"))
    assert server.stats.failures == {"noaudio": 6}


@pytest.mark.parametrize("status", ["400", "401", "404"])
def test_other_client_errors_are_not_retried(edge_server, status):
    server = edge_server(faults=[status])
    retries = Retries()
    with pytest.raises(ServiceFailed, match=f"HTTP {status}"):
        run(speak(on_retry=retries))
    assert server.stats.requests == 1 and retries == []


# --- check() and voices() ----------------------------------------------------------------------


def test_check(edge_server):
    server = edge_server()
    call("check", 2)
    assert server.stats.succeeded == 1
    server.set_down("503")
    with pytest.raises(EngineUnavailable, match="HTTP 503"):
        call("check", 2)
    server.set_down(None)
    server.latency = 3
    started = time.monotonic()
    with pytest.raises(EngineUnavailable, match=r"no answer within 0\.3 s"):
        call("check", 0.3, receive_timeout=60)
    assert time.monotonic() - started < 2
    assert server.stats.requests == 3  # check never retries


def test_voices(edge_server):
    server = edge_server()
    voices = call("voices")
    yunyang = next(v for v in voices if v.name == VOICE)
    assert (yunyang.locale, yunyang.gender, yunyang.engine) == ("zh-CN", "Male", "edge")
    assert yunyang.description == "News; Professional, Reliable"
    assert {v.locale for v in voices} >= {"zh-CN", "zh-HK", "zh-TW"}
    assert server.stats.voice_lists == 1
    server.set_down("refuse")
    with pytest.raises(EngineUnavailable, match="voice list"):
        call("voices")


# --- the endpoint patch ------------------------------------------------------------------------


def test_endpoint_patch_is_restored_on_close(edge_server, monkeypatch):
    original = (edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST)
    server = edge_server()
    assert voices_url(server.url) == server.voices_url

    async def main():
        first, second = EdgeEngine(), EdgeEngine(endpoint=server.url)  # the variable, and the same URL
        assert (server.url, server.voices_url) == (edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST)
        with pytest.raises(SpeechError, match="already pointed"):
            EdgeEngine(endpoint="ws://127.0.0.1:1/other?TrustedClientToken=x")
        await first.close()
        await first.close()  # idempotent
        assert server.url == edge_tts.communicate.WSS_URL  # the second engine still uses it
        await second.close()

    run(main())
    assert original == (edge_tts.communicate.WSS_URL, edge_tts.voices.VOICE_LIST)
    monkeypatch.delenv("PUBLISH_EDGE_ENDPOINT")
    run(EdgeEngine().close())  # no endpoint: nothing patched
    assert original[0] == edge_tts.communicate.WSS_URL
    assert EdgeEngine().version == "edge-tts " + edge_tts.__version__


def test_endpoint_forms():
    assert normalise_endpoint("http://127.0.0.1:8/edge/v1") == (
        "ws://127.0.0.1:8/edge/v1?TrustedClientToken=" + edge_tts.constants.TRUSTED_CLIENT_TOKEN
    )
    assert voices_url("wss://h.example/a/edge/v1?TrustedClientToken=T") == "https://h.example/a/voices/list?trustedclienttoken=T"
    assert voices_url("ws://h:1/x?y=1").startswith("http://h:1/voices/list?trustedclienttoken=")
    with pytest.raises(SpeechError, match="not a ws"):
        normalise_endpoint("ftp://h/x")


def test_backoff_grows_to_the_cap_with_full_jitter():
    import random

    policy = RetryPolicy()
    assert [RetryPolicy(jitter=False).backoff(n, random.Random()) for n in range(1, 7)] == [0.5, 1, 2, 4, 8, 8]
    rng = random.Random(1)
    delays = [policy.backoff(5, rng) for _ in range(200)]
    assert 0 <= min(delays) < 1 and 7 < max(delays) <= 8
