"""The press's output profile (STUB of the finish helper: the press helper's module replaces it).

`press_profile(icc, tac)` → PressProfile(data, description, condition, tac): the CMYK profile
named by `icc`, else a newsprint profile found on the system, else the bundled one."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ConfigError

SYSTEM = (
    ("/usr/share/color/icc/WAN-IFRAnewspaper26v5.icc", "WAN-IFRAnewspaper26v5", 220.0),
    ("/usr/share/color/icc/ISOnewspaper26v4.icc", "ISOnewspaper26v4", 240.0),
)
BUNDLED = Path(__file__).resolve().parents[1] / "data" / "icc" / "CGATS21_CRPC1.icc"


@dataclass(frozen=True)
class PressProfile:
    data: bytes
    description: str
    condition: str  # the output intent's OutputConditionIdentifier
    tac: float  # total ink limit, percent


def press_profile(icc: str | None = None, tac: float | None = None) -> PressProfile:
    """The press profile: `icc`, else one found on the system, else the bundled CGATS21_CRPC1."""
    if icc is not None:
        path = Path(icc)
        if not path.is_file():
            raise ConfigError(f"{icc}: ICC profile not found", key="icc")
        return _read(str(path), path.stem, 240.0, tac)
    for file, name, limit in SYSTEM:
        if Path(file).is_file():
            return _read(file, name, limit, tac)
    if BUNDLED.is_file():
        return _read(str(BUNDLED), "CGATS21_CRPC1", 260.0, tac)
    raise ConfigError("no press profile found: give --icc PATH", key="icc")


@cache
def _read(file: str, condition: str, limit: float, tac: float | None) -> PressProfile:
    data = Path(file).read_bytes()
    if data[36:40] != b"acsp" or data[16:20] != b"CMYK":
        raise ConfigError(f"{file}: not a CMYK ICC profile", key="icc")
    return PressProfile(data, condition, condition, tac if tac is not None else limit)
