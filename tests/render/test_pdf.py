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


def test_pages_drawn_while_workers_set_the_rest_give_the_same_pdf(monkeypatch):
    """Each page is drawn as soon as the flow leaves it (flow_pages), the worker's lines coming in parts."""
    import publish.layout.blocks as blocks_module
    from publish.layout.flow import Flow, PageSpec, flow_pages

    monkeypatch.setattr(blocks_module, "PARALLEL_MIN_CHARS", 0)
    articles = publish.load(EXAMPLES)
    info = render.DocInfo(title="examples")
    spec = PageSpec(columns=2)  # several pages
    done = render.render_flow(flow_articles(articles, FontStack(), spec, jobs=1), info, jobs=1)
    for jobs in (1, 2, 3):
        flow, seen = Flow(spec), []

        def pages(flow=flow, seen=seen, jobs=jobs):
            for page in flow_pages(flow, articles, FontStack(), jobs=jobs):
                seen.append((page, len(flow.placed)))
                yield page

        assert render.render_flow(flow, info, jobs, pages=pages()) == done
        assert [page for page, _ in seen] == list(range(flow.pages)) and flow.pages > 2
        assert all(p.page > page for page, placed in seen for p in flow.placed[placed:])  # nothing landed on a page given
