"""The machine a benchmark ran on (CPU model and cores), printed with its figures: ratios move
from one machine to another."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model or platform.processor() or platform.machine()}, {os.cpu_count()} cores"
