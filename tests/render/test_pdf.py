"""Drawing: the same bytes whether the streams are compressed by a thread (subsets made before the save) or not."""

from __future__ import annotations

import publish
from publish.check.pdf import check_pdf
from publish.layout.flow import flow_articles
from publish.render import pdf as render
from publish.typeset import FontStack
from tests.conftest import EXAMPLES


def test_subsets_made_before_the_save_give_the_same_pdf(tmp_path, monkeypatch):
    from reportlab.pdfbase import ttfonts

    flow = flow_articles(publish.load(EXAMPLES), FontStack(), jobs=1)
    info = render.DocInfo(title="examples")
    subsetted = []
    original = ttfonts.TTFontFace.makeSubset
    monkeypatch.setattr(ttfonts.TTFontFace, "makeSubset", lambda face, subset: subsetted.append(1) or original(face, subset))
    alone = render.render_flow(flow, info, jobs=1)
    assert subsetted
    made_alone, subsetted[:] = len(subsetted), []
    shared = render.render_flow(flow, info, jobs=2)
    assert len(subsetted) == made_alone  # each subset made once (before the save), none again by reportlab
    assert shared == alone
    (tmp_path / "shared.pdf").write_bytes(shared)
    assert check_pdf(tmp_path / "shared.pdf").ok
