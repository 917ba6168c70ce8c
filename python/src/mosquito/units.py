"""Unit strings as instruments state them, and their SI equivalents (for MNE, which works in SI)."""

from __future__ import annotations

from typing import Dict, Optional, Tuple

_PREFIXES: Dict[str, float] = {"G": 1e9, "M": 1e6, "k": 1e3, "h": 1e2, "c": 1e-2, "m": 1e-3, "u": 1e-6,
                               "\u00b5": 1e-6, "\u03bc": 1e-6, "n": 1e-9, "p": 1e-12}
_BASES = ("V", "A", "N", "m", "Pa", "W", "Hz", "s", "Ohm", "\u03a9", "S", "T", "F", "C", "J")
_SPECIAL: Dict[str, Tuple[str, float]] = {
    "degC": ("degC", 1.0), "\u00b0C": ("degC", 1.0), "C_deg": ("degC", 1.0),
    "bar": ("Pa", 1e5), "mbar": ("Pa", 1e2), "psi": ("Pa", 6894.757293168361),
    "g": ("kg", 1e-3), "kg": ("kg", 1.0), "mg": ("kg", 1e-6),
    "m/s^2": ("m/s^2", 1.0), "m/s2": ("m/s^2", 1.0), "m/s\u00b2": ("m/s^2", 1.0),
    "%": ("%", 1.0),
}


def to_si(unit: str, kind: str = "") -> Optional[Tuple[str, float]]:
    """``(si_unit, factor)`` such that ``value·factor`` is in ``si_unit``; None for a unit not understood.

    ``g`` is a gram except on an ``acceleration`` channel, where it is standard gravity (9.80665 m/s²).
    Temperatures stay in degrees Celsius, the unit MNE uses for temperature channels.
    """
    u = unit.strip()
    if kind == "acceleration" and u == "g":
        return ("m/s^2", 9.80665)
    if u in _SPECIAL:
        return _SPECIAL[u]
    if u == "Ohm" or u == "\u03a9":
        return ("Ohm", 1.0)
    if u in _BASES:
        return (u, 1.0)
    if len(u) > 1 and u[0] in _PREFIXES and u[1:] in _BASES:
        return (u[1:], _PREFIXES[u[0]])
    return None
