"""Typesetting: fonts by role and the line composer (styled runs + measure → placed glyphs)."""

from .compose import Glyph, Line, Settings, compose
from .fonts import FontError, FontStack, Missing

__all__ = ["FontError", "FontStack", "Glyph", "Line", "Missing", "Settings", "compose"]
