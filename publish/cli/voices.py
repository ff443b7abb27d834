"""`publish voices`: the voices a speech engine offers."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import PublishError
from .app import command
from .options import EngineOption
from .output import err, plural

LocaleOption = Annotated[str, typer.Option("--locale", "-l", help="Only voices whose locale starts with this ('' for all).")]


@command
def voices(
    engine: EngineOption = "auto",
    locale: LocaleOption = "zh",
) -> None:
    """List the voices an engine offers (edge needs the service; auto falls back to offline).

    Example: publish voices --locale zh-CN
    """
    from ..config import check_engine
    from ..speech.sound.engines import list_voices

    check_engine(engine, "--engine")
    found = list_voices(engine, err.warning)
    shown = [v for v in found if v.locale.lower().startswith(locale.lower())]
    for v in sorted(shown, key=lambda v: (v.locale, v.name)):
        typer.echo(f"{v.name:<36} {v.locale:<8} {v.gender:<7} {v.description}".rstrip())
    if not shown:
        raise PublishError(f"no {engine} voices for locale {locale!r} ({plural(len(found), 'voice')} in all)")
