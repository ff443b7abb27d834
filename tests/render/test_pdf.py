"""Drawing: the same bytes whether the font subsets are made here or by a worker process."""

from __future__ import annotations

import os

import pytest

import publish
from publish.check.pdf import check_pdf
from publish.layout.flow import flow_articles
from publish.render import pdf as render
from publish.typeset import FontStack
from tests.conftest import EXAMPLES


@pytest.mark.skipif(not hasattr(os, "fork"), reason="this OS has no fork: subsets are always made in one process")
def test_subsets_made_by_a_worker_give_the_same_pdf(tmp_path, monkeypatch):
    from reportlab.pdfbase import ttfonts

    flow = flow_articles(publish.load(EXAMPLES), FontStack(), jobs=1)
    info = render.DocInfo(title="examples")
    subsetted_here = []
    original = ttfonts.TTFontFace.makeSubset
    monkeypatch.setattr(ttfonts.TTFontFace, "makeSubset", lambda face, subset: subsetted_here.append(1) or original(face, subset))
    alone = render.render_flow(flow, info, jobs=1)
    assert subsetted_here  # (what a worker does is not seen here)
    subsetted_here.clear()
    monkeypatch.setattr(render, "SUBSET_WORKER_MIN_GLYPHS", 0)
    shared = render.render_flow(flow, info, jobs=2)
    assert subsetted_here == []  # the worker made every subset
    assert shared == alone
    (tmp_path / "shared.pdf").write_bytes(shared)
    assert check_pdf(tmp_path / "shared.pdf").ok
