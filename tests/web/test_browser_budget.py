"""Each page type's first load (a fresh browser, nothing cached) on a desktop and a phone:
at most 250 KB from the server, every <img> with width and height, audio that waits to be
played, and no layout shift once loaded."""

from __future__ import annotations

import pytest

from .conftest import record_load
from .site_facts import KINDS, page_types

BUDGET = 250_000
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 2},
    "phone": {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True},
}
# the page's cumulative layout shift, counted from its first paint (not after input)
SHIFTS = """window.__shift = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
  .observe({type: 'layout-shift', buffered: true});"""
IMAGES = "() => [...document.images].filter(i => !i.getAttribute('width') || !i.getAttribute('height')).map(i => i.getAttribute('src'))"
MEDIA = "() => [...document.querySelectorAll('audio, video')].map(m => m.getAttribute('preload') || '(none given: auto)')"


@pytest.mark.parametrize("device", sorted(DEVICES))
@pytest.mark.parametrize("kind", KINDS)
def test_a_first_load_is_light_and_steady(kind, device, examples_site, examples_server, new_context):
    where = page_types(examples_site)[kind]
    page = new_context(**DEVICES[device]).new_page()
    page.add_init_script(SHIFTS)
    load = record_load(page, examples_server, examples_server.url(where))
    assert load.bytes <= BUDGET, f"{where} ({device}): {load.bytes:,} bytes on first load, over {BUDGET:,}: {load.listing()}"
    assert not page.evaluate(IMAGES), f"{where}: <img> without width and height: {page.evaluate(IMAGES)}"
    preloads = page.evaluate(MEDIA)
    assert all(preload in ("metadata", "none") for preload in preloads), (
        f"{where}: media preload {preloads}: only metadata may load before play"
    )
    shift = page.evaluate("() => window.__shift")
    assert shift <= 0.1, f"{where} ({device}): cumulative layout shift {shift:.3f} after load (at most 0.1)"
