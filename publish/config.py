"""The settings of a run: `publish.toml` beside the input, merged under the options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .errors import ConfigError
from .fsutil import read_toml
from .issue import FACT_KEYS, IssueFacts


def read_config(path: Path) -> tuple[IssueFacts, str | None]:
    """`publish.toml`: `[paper]` facts (name, cn, publisher, issue_number, pages, post_code,
    website, logo) and an optional `template`."""
    data, _ = read_toml(path, ConfigError)
    unknown = set(data) - {"paper", "template", "build"}
    if unknown:
        raise ConfigError(f"unknown key {sorted(unknown)[0]!r}; known: paper, template, build", file=path)
    paper = data.get("paper", {})
    if not isinstance(paper, dict):
        raise ConfigError("[paper] must be a table", file=path)
    values: dict[str, Any] = {}
    for key, value in paper.items():
        if key not in FACT_KEYS - {"date"}:
            raise ConfigError(f"paper.{key}: unknown key; known: {', '.join(sorted(FACT_KEYS - {'date'}))}", file=path)
        wanted = int if key in ("issue_number", "pages") else str
        if not isinstance(value, wanted) or isinstance(value, bool):
            raise ConfigError(f"paper.{key}: must be {wanted.__name__}, not {value!r}", file=path)
        values[key] = value
    if values.get("logo"):
        logo = Path(values["logo"])
        values["logo"] = str(logo if logo.is_absolute() else path.parent / logo)
    template = data.get("template")
    if template is not None and not isinstance(template, str):
        raise ConfigError("template: must be a template name or a .toml path", file=path)
    if template and (template.endswith(".toml") and not Path(template).is_absolute()):
        template = str(path.parent / template)
    return IssueFacts(**values), template


def find_config(inputs: list[Path]) -> Path | None:
    """The `publish.toml` in the first input folder (or the folder of the first input file)."""
    for item in inputs:
        folder = item if item.is_dir() else item.parent
        candidate = folder / "publish.toml"
        if candidate.is_file():
            return candidate
    return None
