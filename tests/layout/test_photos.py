"""The cover fit's arithmetic: a photo's resolution in its box, the crop per side, and the
heights in grid rows that keep the crop within 15 % per side (never distorted)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from publish.layout.photos import MAX_CROP, crop_fractions, effective_ppi, photo_rows, visible_region

pixels = st.integers(min_value=1, max_value=12000)
points = st.floats(min_value=5.0, max_value=1200.0)
pitches = st.floats(min_value=4.0, max_value=30.0)


def test_resolution_is_the_cover_fits():
    assert effective_ppi(3000, 2000, 720, 360) == pytest.approx(300)  # the width decides: 3000 px over 10 in
    assert effective_ppi(3000, 2000, 360, 720) == pytest.approx(200)  # the height decides: 2000 px over 10 in
    assert crop_fractions(3000, 2000, 720, 360) == pytest.approx((0.0, 0.125))  # 2000 px shown as 1500: 250 each side
    assert visible_region(3000, 2000, 720, 360) == pytest.approx((0, 250, 3000, 1750))


def test_rows_of_a_4_by_3_photo_on_a_15_pt_grid():
    # 300 pt wide: 225 pt (15 rows) crops nothing; 0.7 × 225 = 157.5 (11 rows) up to 225 / 0.7 = 321.4 (21 rows)
    assert photo_rows(4000, 3000, 300, 15) == (11, 21, 15)


def test_a_strip_shallower_than_any_row_says_so():
    fewest, most, best = photo_rows(6000, 100, 100, 15)  # 1.7 pt tall at 100 pt wide: no whole row within 15 %
    assert fewest > most and best == 1


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError):
        effective_ppi(0, 100, 10, 10)
    with pytest.raises(ValueError):
        photo_rows(100, 100, 10, 10, max_crop=0.5)


@given(pixels, pixels, points, points)
def test_the_cover_fit_never_distorts_and_covers_the_box(width, height, box_w, box_h):
    left, top, right, bottom = visible_region(width, height, box_w, box_h)
    assert 0 <= left <= right <= width + 1e-6 and 0 <= top <= bottom <= height + 1e-6
    # one scale for both axes: the visible region has the box's proportions
    assert (right - left) * box_h == pytest.approx((bottom - top) * box_w, rel=1e-9)
    across, down = crop_fractions(width, height, box_w, box_h)
    assert min(across, down) == 0  # only two opposite sides are cut
    assert left == pytest.approx(width - right, abs=1e-6) and top == pytest.approx(height - bottom, abs=1e-6)  # evenly
    assert effective_ppi(width, height, box_w, box_h) == pytest.approx(72 * (right - left) / box_w)


@given(pixels, pixels, points, pitches, st.sampled_from([MAX_CROP, 0.0, 0.1, 0.25]))
def test_every_row_count_in_the_range_crops_at_most_the_limit(width, height, box_w, pitch, max_crop):
    fewest, most, best = photo_rows(width, height, box_w, pitch, max_crop)
    assert best >= 1 and fewest >= 1
    for rows in range(fewest, min(most, fewest + 50) + 1):
        assert max(crop_fractions(width, height, box_w, rows * pitch)) <= max_crop + 1e-9
    if fewest <= most:
        assert fewest <= best <= most
        # one row fewer or more is past the limit (or no rows at all)
        assert fewest == 1 or max(crop_fractions(width, height, box_w, (fewest - 1) * pitch)) > max_crop - 1e-9
        assert max(crop_fractions(width, height, box_w, (most + 1) * pitch)) > max_crop - 1e-9
    crop = max(crop_fractions(width, height, box_w, best * pitch))
    for rows in range(max(1, best - 3), best + 4):
        assert crop <= max(crop_fractions(width, height, box_w, rows * pitch)) + 1e-12  # best cuts least
