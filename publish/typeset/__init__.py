"""Typesetting: fonts by role and the line composer (styled runs + measure → placed glyphs)."""

from .compose import Glyph, Line, Settings, compose
from .fonts import FontStack, Missing

__all__ = ["FontStack", "Glyph", "Line", "Missing", "Settings", "compose"]
