"""The headline ladder: sizes as 号 steps, and every template's headlines keep it."""

from __future__ import annotations

import pytest

from publish.layout import ladder
from publish.layout.template import load_template, template_names


def test_steps_on_the_ladder():
    assert ladder.step(42) == 0 and ladder.step(36) == 1 and ladder.step(22) == 4 and ladder.step(28) == 2
    assert ladder.down(36, 2) == 24 and ladder.down(16, 2) == 14 and ladder.down(5.5, 3) == 5.5
    assert ladder.steps_between(36, 22) == 3


@pytest.mark.parametrize("name", template_names())
def test_every_template_keeps_the_lead_two_steps_up_and_kickers_two_steps_down(name):
    template = load_template(name)
    columns = template.grid.columns
    lead, lead_side = ladder.title_sizes(template.sizes, columns, columns, lead=True)
    for width in range(1, columns + 1):
        title, side = ladder.title_sizes(template.sizes, width, columns, lead=False)
        assert ladder.steps_between(lead, title) >= ladder.STEPS_BELOW_LEAD, (width, lead, title)
        assert ladder.steps_between(title, side) >= ladder.STEPS_BELOW_TITLE, (width, title, side)
    assert ladder.steps_between(lead, lead_side) >= ladder.STEPS_BELOW_TITLE
