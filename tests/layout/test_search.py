"""The page search: plans that can be set, fill their page, keep the lead top left and never
put two headlines side by side; with its costs in the directions an editor expects."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from publish.layout.search import TAIL, TAIL_LAST, Option, Slot, collisions, patterns, search, structures

COLUMNS, ROWS = 8, 104


def option(body_rows: int, head: int = 4, photo: int = 0, columns: int = COLUMNS, lead: bool = False) -> Option:
    """An article of `body_rows` lines in one column, a headline of `head` rows at any width and
    a photo (with its caption) of `photo` rows at one column, growing with the width."""
    widths = range(columns + 1)
    body = [0] + [-(-body_rows // w) for w in widths[1:]]
    photos = [0] + [photo * w for w in widths[1:]]
    natural = [0] + [head + photos[w] + body[w] for w in widths[1:]]
    room = [0] + [photos[w] // 5 for w in widths[1:]]
    most = [0] + [natural[w] + room[w] + 3 + min(3, body[w] // 10) for w in widths[1:]]
    fewest = [0] + [natural[w] - room[w] for w in widths[1:]]
    start = [0] + [head + photos[w] - room[w] + min(3, body[w]) for w in widths[1:]]
    return Option(
        tuple(natural),
        tuple(fewest),
        tuple(most),
        tuple(room),
        tuple(body),
        tuple(start),
        lead=lead,
        head=tuple([0] + [head] * columns),
        photo=tuple(photos),
    )


def overlap(a: Slot, b: Slot) -> bool:
    return a.column < b.column + b.width and b.column < a.column + a.width and a.row < b.row + b.rows and b.row < a.row + a.rows


def test_every_division_is_whole_columns():
    for columns in (3, 5, 6, 8):
        for pattern in patterns(columns):
            assert sum(pattern) == columns and min(pattern) >= 1
        for structure in structures(columns):
            covered = sorted((c, w) for c, w, under in structure.stacks if not under)
            lead = structure.lead or 0
            assert sum(w for _, w in covered) + lead == columns or (not structure.lead and sum(w for _, w in covered) == columns)


articles = st.lists(st.integers(min_value=3, max_value=400), min_size=1, max_size=10)


@settings(max_examples=150, deadline=None)
@given(articles, st.booleans(), st.booleans())
def test_plans_can_be_set(lengths, cut, last):
    """Every plan places each option it takes once (the lead twice when split: headline and
    body), inside the page, without overlaps, the lead at the top left, and ends no lower than
    the page's foot."""
    options = [option(n, lead=i == 0) for i, n in enumerate(lengths)]
    plan = search(options, COLUMNS, ROWS, 1, cut, 5, tail=TAIL_LAST if last else TAIL)
    if plan is None:
        assert options[0].natural[COLUMNS] > ROWS  # only when not even the lead fits across the page
        return
    assert 1 <= plan.taken <= len(options) and plan.depth <= ROWS
    taken = sorted({s.option for s in plan.slots})
    assert taken == list(range(plan.taken))
    for slot in plan.slots:
        assert slot.column >= 0 and slot.column + slot.width <= COLUMNS and slot.rows >= 0
        assert slot.row + slot.rows <= ROWS
    lead = [s for s in plan.slots if s.option == 0]
    assert lead[0].row == 0 and lead[0].column == 0
    for i, a in enumerate(plan.slots):
        for b in plan.slots[i + 1 :]:
            assert not overlap(a, b), (a, b)
    cuts = [s for s in plan.slots if s.cut]
    assert len(cuts) <= 1 and (not cuts or cuts[0].option == plan.taken - 1)


def test_enough_copy_fills_the_page_and_the_search_takes_what_fills_it():
    options = [option(n, lead=i == 0) for i, n in enumerate([260, 120, 90, 200, 60, 150, 80, 300, 110, 70, 95, 130])]
    plan = search(options, COLUMNS, ROWS, 1, True, 5)
    assert plan is not None and plan.depth == ROWS and 3 <= plan.taken < len(options)
    assert collisions(options, plan.slots) == 0


def test_a_last_page_ends_level_above_its_foot_rather_than_padding():
    options = [option(n, lead=i == 0) for i, n in enumerate([120, 60, 40])]
    plan = search(options, COLUMNS, ROWS, 3, False, 5, tail=TAIL_LAST)
    assert plan is not None and plan.taken == 3 and plan.depth < ROWS // 2
    feet = {}
    for slot in plan.slots:
        for c in range(slot.column, slot.column + slot.width):
            feet[c] = max(feet.get(c, 0), slot.row + slot.rows)
    assert max(feet.values()) <= plan.depth


def test_a_lead_too_narrow_or_headlines_side_by_side_cost_more():
    options = [option(n, lead=i == 0) for i, n in enumerate([300, 200, 150, 100])]
    plan = search(options, COLUMNS, ROWS, 4, True, 5)
    assert plan is not None and plan.lead_width >= 5  # page 1 wants its lead five columns wide or more
    assert collisions(options, plan.slots) == 0
    side_by_side = [Slot(0, 0, 4, 0, 30, True), Slot(1, 4, 4, 0, 30, True)]
    assert collisions(options, side_by_side) == 1
    staggered = [Slot(0, 0, 4, 0, 30, True), Slot(1, 4, 4, 6, 24, True)]  # its headline starts under the lead's
    assert collisions(options, staggered) == 0
    with_photo = [option(300, lead=True), option(200, photo=6)]
    photo_first = [Slot(0, 0, 4, 0, 30, True), Slot(1, 4, 4, 0, 30, True)]
    assert collisions(with_photo, photo_first) == 0  # beside the lead a photo comes first, its headline under it


def test_headlines_brought_level_by_the_shared_rows_are_moved_apart():
    from publish.layout.columns import HeadLine, Module, Piece
    from publish.layout.newspaper import stagger, title_rows
    from publish.typeset.compose import Line

    def module(article: int, pad_above: int, pad: int) -> Module:
        head = [HeadLine(Line([], 0, 0, 0), 2, False, title=True), HeadLine(Line([], 0, 0, 0), 1, False)]
        made = Module(Piece(article, []), head, [], 20, complete=True)
        made.pad_above, made.pad = pad_above, pad
        return made

    left = [module(0, 0, 0), module(1, 2, 2)]
    right = [module(2, 0, 0), module(3, 2, 2)]
    stacks = [(0, 4, 0, left), (4, 4, 0, right)]
    assert title_rows(left[1], 25) == title_rows(right[1], 25) == (27, 29)  # side by side: 碰题
    stagger(stacks)
    spans = [title_rows(m, 25) for m in (left[1], right[1])]
    assert spans[0] != spans[1] and min(spans[0][1], spans[1][1]) - max(spans[0][0], spans[1][0]) <= 1
    assert all(m.rows == 2 + 4 + 2 + 20 for m in (left[1], right[1]))  # the module keeps its height: space moved, not added
