"""Small pieces the renderer's modules share: numbers as content streams write them, and the
shapes of a reportlab drawing (an SVG logo)."""

from __future__ import annotations

from collections.abc import Iterator


def num(value: float) -> str:
    """A number for a content stream: at most three decimals, no trailing zeros."""
    text = "%.3f" % value
    return text.rstrip("0").rstrip(".") if "." in text else text


def shapes(drawing) -> Iterator:
    """Every shape of a reportlab drawing, groups' contents included."""
    stack = [drawing]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(getattr(node, "contents", ()))
