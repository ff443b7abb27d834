"""veraPDF, the PDF/A and PDF/UA conformance validator, run on PDFs when a user has it on PATH
(`publish check --verapdf`): it is not packaged where publish is tested, so its verdict is an
extra a user opts into, never a requirement."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 600  # seconds for one PDF


@dataclass(frozen=True)
class Verdict:
    pdf: Path
    passed: bool
    detail: str  # veraPDF's line for the file (PASS/FAIL, the flavour), or why it could not run


def verapdf_command() -> str | None:
    """The veraPDF command on PATH, if any."""
    return shutil.which("verapdf")


def run_verapdf(command: str, pdfs: list[Path]) -> list[Verdict]:
    """Each PDF validated against the standard its metadata claims (veraPDF's flavour 0: auto)."""
    verdicts = []
    for pdf in pdfs:
        try:
            out = subprocess.run(
                [command, "--flavour", "0", "--format", "text", str(pdf)], capture_output=True, text=True, timeout=TIMEOUT
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            verdicts.append(Verdict(pdf, False, f"veraPDF did not finish: {error}"))
            continue
        lines = [line.strip() for line in out.stdout.splitlines() if line.strip()]
        verdict = next((line for line in lines if line.startswith(("PASS", "FAIL"))), None)
        if verdict is None:
            reason = (out.stderr.strip().splitlines() or [f"exit {out.returncode}"])[-1]
            verdicts.append(Verdict(pdf, False, f"veraPDF gave no verdict: {reason}"))
        else:
            verdicts.append(Verdict(pdf, verdict.startswith("PASS"), verdict))
    return verdicts
