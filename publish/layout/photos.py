"""How a photo fills a box: the cover fit (scaled until it covers the box, the overflow cropped
evenly from its two overflowing sides, never distorted), its resolution there, and the heights
in grid rows at which the crop stays within a limit. Pure arithmetic: the layout chooses boxes
with it, the renderer draws them with the same fit.
"""

from __future__ import annotations

import math

LOW_PPI = 150  # a photo or logo printing below this many pixels per inch is reported
MAX_CROP = 0.15  # the most a photo loses per side (of its width or height) in a cover fit
EPS = 1e-9  # a box exactly at the limit counts as within it (floating-point rounding)


def _check(width_px: float, height_px: float, box_w_pt: float, box_h_pt: float) -> None:
    if not (width_px > 0 and height_px > 0 and box_w_pt > 0 and box_h_pt > 0):
        raise ValueError(f"a photo and its box need positive sizes, not {width_px}×{height_px} px in {box_w_pt}×{box_h_pt} pt")


def cover_scale(width_px: float, height_px: float, box_w_pt: float, box_h_pt: float) -> float:
    """Points per pixel at which the photo just covers the box."""
    _check(width_px, height_px, box_w_pt, box_h_pt)
    return max(box_w_pt / width_px, box_h_pt / height_px)


def effective_ppi(width_px: float, height_px: float, box_w_pt: float, box_h_pt: float) -> float:
    """Pixels per inch of the photo as printed when it fills the box (the cover fit): below
    150 a photo prints soft; above 300 the renderer downsamples it."""
    return 72.0 / cover_scale(width_px, height_px, box_w_pt, box_h_pt)


def crop_fractions(width_px: float, height_px: float, box_w_pt: float, box_h_pt: float) -> tuple[float, float]:
    """(left = right, top = bottom): the share of the photo's width and of its height cut from
    each side by the cover fit; at least one of them is 0."""
    _check(width_px, height_px, box_w_pt, box_h_pt)
    if box_w_pt * height_px >= box_h_pt * width_px:  # the width decides: top and bottom are cut
        return 0.0, max(0.0, (1 - box_h_pt * width_px / (box_w_pt * height_px)) / 2)
    return max(0.0, (1 - box_w_pt * height_px / (box_h_pt * width_px)) / 2), 0.0


def visible_region(width_px: float, height_px: float, box_w_pt: float, box_h_pt: float) -> tuple[float, float, float, float]:
    """The part of the photo the box shows, in its pixels: left, top, right, bottom."""
    across, down = crop_fractions(width_px, height_px, box_w_pt, box_h_pt)
    return across * width_px, down * height_px, (1 - across) * width_px, (1 - down) * height_px


def photo_rows(
    width_px: float, height_px: float, box_width_pt: float, pitch_pt: float, max_crop: float = MAX_CROP
) -> tuple[int, int, int]:
    """(fewest, most, best): the heights, in rows of `pitch_pt`, of a `box_width_pt` wide box the
    photo fills with at most `max_crop` cut from each side; best cuts least (the fewer rows on a
    tie). When no whole number of rows keeps within the limit (a strip much shallower than one
    row), fewest > most and best is still the row count that cuts least."""
    _check(width_px, height_px, box_width_pt, pitch_pt)
    if not 0 <= max_crop < 0.5:
        raise ValueError(f"max_crop is a share of each side, from 0 up to 0.5 (not {max_crop})")
    natural = box_width_pt * height_px / width_px  # the box height that crops nothing
    keep = 1 - 2 * max_crop
    fewest = max(1, math.ceil(natural * keep / pitch_pt - EPS))
    most = math.floor(natural / keep / pitch_pt + EPS)
    near = [r for r in (math.floor(natural / pitch_pt), math.ceil(natural / pitch_pt)) if r >= 1] or [1]
    best = min(near, key=lambda rows: (round(max(crop_fractions(width_px, height_px, box_width_pt, rows * pitch_pt)), 12), rows))
    return fewest, most, best


MOST_PHOTOS = 6  # photos one article prints at most (more go unprinted, their captions kept in its text)
MOST_RATIO = 6.0  # a photo longer than this many times its width (or wider) cannot print within the crop


def printable(width_px: int, height_px: int) -> bool:
    """Whether a photo's shape prints within the crop limit in some box of whole columns and rows
    (a photo of unknown size prints in a 3:2 box)."""
    if width_px <= 0 or height_px <= 0:
        return True
    return max(width_px / height_px, height_px / width_px) <= MOST_RATIO
