"""The article view's audio: for each subtitle cue, playing its middle highlights exactly that
sentence (over HTTP with byte ranges, and opened from disk); clicking a sentence seeks there; the
speed buttons set the rate and say which is on; the chapter list seeks to each chapter."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

import pytest

from .site_facts import Cue, article_views, vtt_cues

READY = "() => { const a = document.getElementById('player'); return !!a && a.readyState >= 1; }"
SEEK = "t => { const a = document.getElementById('player'); a.pause(); a.currentTime = t; }"
# true once exactly the pieces of sentence `id` carry cue-active
EXACTLY = """id => {
  const on = [...document.querySelectorAll('.cue-active')];
  const mine = [...document.querySelectorAll('[data-cue]')].filter(e => e.dataset.cue === id);
  return mine.length > 0 && on.length === mine.length && mine.every(e => e.classList.contains('cue-active'));
}"""
STATE = """() => ({time: document.getElementById('player').currentTime,
  active: [...document.querySelectorAll('.cue-active')].map(e => e.dataset.cue || e.id || e.tagName)})"""
SPANS = """() => [...document.querySelectorAll('span.cue[data-cue]')].map(e => ({
  id: e.id, cue: e.dataset.cue, begin: e.dataset.begin, end: e.dataset.end}))"""


def audio_views(site: Path) -> list[Path]:
    """The article views with an article.mp3 and article.vtt beside them."""
    found = [
        view
        for view in article_views(site)
        if (view.parent / "article.vtt").is_file() and (view.parent / "article.mp3").is_file()
    ]
    if not found:
        pytest.fail(f"no article view in {site} has its article.mp3 and article.vtt beside it")
    return found


def shown_cues(view: Path) -> list[Cue]:
    """The VTT cues with an identifier (s1, s2 …: the sentences shown in the view)."""
    cues = [cue for cue in vtt_cues(view.parent / "article.vtt") if cue.id]
    if not cues:
        pytest.fail(f"{view.parent / 'article.vtt'} has no cue identifiers (s1, s2 …) to match the view's sentences")
    return cues


def check_highlighting(page, url: str, view: Path) -> list[str]:
    """Seek to the middle of every cue; what is highlighted that should not be, or is not."""
    page.goto(url)
    problems = []
    cues = shown_cues(view)
    spans = page.evaluate(SPANS)
    timings = {span["id"]: span for span in spans if span["id"]}
    for cue in cues:
        span = timings.get(cue.id)
        if span is None:
            problems.append(f"cue {cue.id} ({cue.text[:20]}) has no <span id={cue.id}> in the view")
        elif abs(float(span["begin"]) - cue.start) > 0.002 or abs(float(span["end"]) - cue.end) > 0.002:
            problems.append(f"#{cue.id} is timed {span['begin']}–{span['end']}, the VTT says {cue.start:.3f}–{cue.end:.3f}")
    strays = sorted({span["cue"] for span in spans} - {cue.id for cue in cues})
    if strays:
        problems.append(f"sentences with no cue in article.vtt: {strays}")
    try:
        page.wait_for_function(READY, timeout=10_000)
    except Exception:
        return [*problems, "the player never loaded the audio's metadata"]
    for cue in cues:
        page.evaluate(SEEK, cue.middle)
        try:
            page.wait_for_function(EXACTLY, arg=cue.id, timeout=3_000)
        except Exception:
            state = page.evaluate(STATE)
            problems.append(
                f"at {cue.middle:.2f} s (cue {cue.id}) the player is at {state['time']:.2f} s, highlighted: {state['active']}"
            )
    return problems


def test_each_cue_highlights_exactly_its_sentence_over_http(examples_site, examples_server, new_context):
    page = new_context().new_page()
    problems = []
    for view in audio_views(examples_site):
        where = view.parent.relative_to(examples_site)
        problems += [
            f"{where}: {line}" for line in check_highlighting(page, examples_server.url(view.relative_to(examples_site)), view)
        ]
    assert not problems, f"{len(problems)} faults:\n" + "\n".join(problems[:40])
    assert any(hit.status == 206 and unquote(hit.path).endswith("/article.mp3") for hit in examples_server.hits), (
        "the player never asked for a byte range"
    )


def test_each_cue_highlights_exactly_its_sentence_opened_from_disk(examples_site, new_context):
    page = new_context().new_page()
    problems = []
    for view in audio_views(examples_site):
        where = view.parent.relative_to(examples_site)
        problems += [f"{where}: {line}" for line in check_highlighting(page, view.resolve().as_uri(), view)]
    assert not problems, f"{len(problems)} faults from file://:\n" + "\n".join(problems[:40])


def test_clicking_a_sentence_seeks_there(examples_site, examples_server, new_context):
    page = new_context().new_page()
    problems = []
    for view in audio_views(examples_site)[:3]:
        page.goto(examples_server.url(view.relative_to(examples_site)))
        page.wait_for_function(READY)
        page.evaluate(
            "() => { const a = document.getElementById('player'); a.muted = true; a.playbackRate = 0.0625; }"
        )  # if a click plays, it stays in its sentence
        cues = shown_cues(view)
        for cue in (cues[-1], cues[len(cues) // 2], cues[0]):
            page.locator(f"[id='{cue.id}']").click()
            try:
                page.wait_for_function(
                    "([id, start, end]) => { const a = document.getElementById('player'); return !a.seeking && a.currentTime >= start - 0.05 && a.currentTime < end; }",
                    arg=[cue.id, cue.start, cue.end],
                    timeout=3_000,
                )
                page.wait_for_function(EXACTLY, arg=cue.id, timeout=3_000)
            except Exception:
                state = page.evaluate(STATE)
                problems.append(
                    f"{view.parent.name}: clicking #{cue.id} ({cue.start:.2f}–{cue.end:.2f} s) left the player at {state['time']:.2f} s, highlighted {state['active']}"
                )
            page.evaluate("() => document.getElementById('player').pause()")
    assert not problems, "\n".join(problems)


def test_the_speed_buttons_set_the_rate_and_say_which_is_on(examples_site, examples_server, new_context):
    page = new_context().new_page()
    view = audio_views(examples_site)[0]
    page.goto(examples_server.url(view.relative_to(examples_site)))
    buttons = page.locator("button.speed")
    rates = [float(rate) for rate in buttons.evaluate_all("bs => bs.map(b => b.dataset.rate)")]
    assert len(rates) >= 2 and 1.0 in rates, f"speed buttons with data-rate: {rates}"
    for index, rate in enumerate(rates):
        buttons.nth(index).click()
        assert page.evaluate("() => document.getElementById('player').playbackRate") == rate
        pressed = buttons.evaluate_all("bs => bs.map(b => b.getAttribute('aria-pressed'))")
        assert pressed == ["true" if i == index else "false" for i in range(len(rates))], f"after {rate}×: aria-pressed {pressed}"


def test_the_chapter_list_seeks_to_each_chapter(examples_site, examples_server, new_context):
    page = new_context().new_page()
    checked = 0
    for view in audio_views(examples_site)[:4]:
        page.goto(examples_server.url(view.relative_to(examples_site)))
        page.wait_for_function(READY)
        links = page.locator("ol.chapters a")
        starts = [float(start) for start in links.evaluate_all("as => as.map(a => a.dataset.start)")]
        for index, start in enumerate(reversed(starts)):
            links.nth(len(starts) - 1 - index).click()
            page.wait_for_function(
                "s => { const a = document.getElementById('player'); return !a.seeking && Math.abs(a.currentTime - s) < 1.5; }",
                arg=start,
                timeout=3_000,
            )
            assert page.url.startswith(examples_server.origin), "a chapter link left the page"
            checked += 1
        page.evaluate("() => document.getElementById('player').pause()")
    assert checked, "no article view has a chapter list (ol.chapters a[data-start])"
