"""The rules the package's layout keeps (ARCHITECTURE.md): no import circles, no upward imports,
readers that stand alone, the audio side free of the page layout, thin commands, short functions.

Imports are read from the source (every `import` statement, those inside functions too), so a
rule cannot be dodged by importing late."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "publish"

# stage → the stages it must never import (the pipeline runs top to bottom; lower stages know
# nothing of higher ones)
NEVER = {
    "publish.article": ["publish.ingest", "publish.issue", "publish.config", "publish.typeset", "publish.layout"],
    "publish.ingest": [
        "publish.issue",
        "publish.config",
        "publish.typeset",
        "publish.layout",
        "publish.render",
        "publish.speech",
        "publish.web",
    ],
    "publish.issue": ["publish.config", "publish.typeset", "publish.layout", "publish.speech", "publish.batch", "publish.web"],
    "publish.typeset": [
        "publish.layout",
        "publish.render",
        "publish.speech",
        "publish.config",
        "publish.pipeline",
        "publish.web",
    ],
    "publish.layout": ["publish.render", "publish.speech", "publish.config", "publish.pipeline", "publish.batch", "publish.web"],
    "publish.render": ["publish.speech", "publish.config", "publish.pipeline", "publish.batch", "publish.check", "publish.web"],
    "publish.check": [
        "publish.layout",
        "publish.render",
        "publish.speech",
        "publish.batch",
        "publish.config",
        "publish.typeset",
        "publish.web",
    ],
    "publish.speech": [
        "publish.layout",
        "publish.render",
        "publish.typeset",
        "publish.config",
        "publish.pipeline",
        "publish.web",
    ],
    "publish.speech.text": ["publish.speech.sound"],
    "publish.config": ["publish.pipeline", "publish.batch", "publish.web"],
    "publish.pipeline": ["publish.batch", "publish.speech", "publish.web"],
    "publish.web": ["publish.batch", "publish.check"],
    "publish.batch": [],
}
EVERYONE_BUT_CLI = ["publish.cli"]  # only the command line (and python -m publish) imports it
LONGEST = 80  # lines of a function
LONGER = {  # the functions allowed to be longer, and why
    "publish/typeset/compose.py:_optimal": "the line breaker's dynamic programme: one hot loop, measured; calls cost time there",
}
COMMAND_BODY = 25  # lines of a command's body, its option list and --help text aside


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The publish modules `name` imports anywhere in its source."""
    is_package = path.name == "__init__.py"
    found = set()
    for node in _runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = name.split(".") if is_package else name.split(".")[:-1]
            if node.level:
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [source] + [f"{source}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {t for t in targets if t in known and t != name}
    return found


def _runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:` (names for type hints, never imported)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.dump(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


GRAPH = {name: imports(name, path, set(modules())) for name, path in modules().items()}


def within(name: str, stage: str) -> bool:
    return name == stage or name.startswith(stage + ".")


def test_no_import_circles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in GRAPH[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            members = []
            while True:
                member = stack.pop()
                members.append(member)
                if member == node:
                    break
            if len(members) > 1:
                circles.append(sorted(members))

    for node in sorted(GRAPH):
        if node not in index:
            visit(node)
    assert circles == []


@pytest.mark.parametrize("stage", sorted(NEVER))
def test_no_stage_imports_a_later_one(stage):
    wrong = sorted(
        f"{name} → {target}"
        for name, targets in GRAPH.items()
        if within(name, stage)
        for target in targets
        for banned in NEVER[stage] + EVERYONE_BUT_CLI
        if within(target, banned)
    )
    assert wrong == []


def test_readers_stand_alone():
    readers = [name for name in GRAPH if name.startswith("publish.ingest.formats.")]
    assert len(readers) >= 6
    for name in readers:
        others = {t for t in GRAPH[name] if within(t, "publish.ingest.formats") or t == "publish.ingest.registry"}
        assert others == set(), name


def test_functions_are_short_and_commands_thin():
    too_long, fat_commands = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            length = node.end_lineno - node.lineno + 1
            if length > LONGEST and f"{where}:{node.name}" not in LONGER:
                too_long.append(f"{where}:{node.lineno} {node.name} ({length} lines)")
            if where.startswith("publish/cli/") and any(_is_command(d) for d in node.decorator_list):
                body = node.body[1:] if ast.get_docstring(node) else node.body
                lines = body[-1].end_lineno - body[0].lineno + 1
                if lines > COMMAND_BODY:
                    fat_commands.append(f"{where}: {node.name} ({lines} lines)")
    assert too_long == [] and fat_commands == []


def _is_command(decorator: ast.expr) -> bool:
    return isinstance(decorator, ast.Name) and decorator.id == "command"
