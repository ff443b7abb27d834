"""The type area of a page: columns of whole characters at the body size, on a baseline grid."""

from __future__ import annotations

import math
from dataclasses import dataclass

MM = 72 / 25.4


@dataclass(frozen=True)
class Grid:
    """The type area's columns: whole characters of the body size, on a baseline grid."""

    width: float = 390 * MM  # page, pt (对开 broadsheet by default)
    height: float = 540 * MM
    top: float = 22 * MM  # margins, pt
    bottom: float = 20 * MM
    columns: int = 8
    column_chars: int = 13
    gutter_chars: int = 1
    size: float = 9.0
    leading: float = 1.5

    @property
    def measure(self) -> float:
        return self.column_chars * self.size

    @property
    def pitch(self) -> float:
        return self.size * self.leading

    def span(self, columns: int) -> float:
        """Width of a module `columns` wide (its gutters included)."""
        return (columns * self.column_chars + (columns - 1) * self.gutter_chars) * self.size

    @property
    def type_width(self) -> float:
        return self.span(self.columns)

    @property
    def left(self) -> float:
        return (self.width - self.type_width) / 2

    @property
    def rows(self) -> int:
        return int((self.height - self.top - self.bottom) // self.pitch)

    def column_left(self, column: int) -> float:
        return self.left + column * (self.column_chars + self.gutter_chars) * self.size

    def baseline(self, row: int) -> float:
        """Baseline of grid row `row` (0 at the top of the type area)."""
        return self.height - self.top - (row + 1) * self.pitch + 0.28 * self.pitch

    def row_top(self, row: int) -> float:
        """The top edge of grid row `row`."""
        return self.height - self.top - row * self.pitch

    def rows_for(self, size: float) -> int:
        """Grid rows a line of this size takes."""
        return max(1, math.ceil(size * 1.25 / self.pitch - 1e-9))


BROADSHEET = Grid()  # 对开, 8 × 13 characters at 9 pt: the galley's page
