"""How every renderer writes a number, so the terminal, Markdown and HTML agree digit for digit."""

from __future__ import annotations

MISSING = "-"


def pct(v: float | None) -> str:
    """A percentile 0-100, whole: ``78.23`` -> ``78``."""
    return MISSING if v is None else f"{v:.0f}"


def share(v: float | None, digits: int = 1) -> str:
    """A share 0-1 as a percent: ``0.0625`` -> ``6.2%``."""
    return MISSING if v is None else f"{v * 100:.{digits}f}%"


def money(v: float | None, cents: bool = True) -> str:
    if v is None:
        return MISSING
    return f"${v:,.2f}" if cents else f"${v:,.0f}"


def count(v: float | None) -> str:
    return MISSING if v is None else f"{v:,.0f}"


def number(v: float | None, digits: int = 2) -> str:
    return MISSING if v is None else f"{v:,.{digits}f}"


def confidence(v: float | None) -> str:
    return MISSING if v is None else f"{v:.2f}"


def flag(v: bool | None) -> str:
    return MISSING if v is None else ("yes" if v else "no")


def text(v: object) -> str:
    return MISSING if v is None or v == "" else str(v)


def signed_pct(v: float | None) -> str:
    """A percent change: ``33.5`` -> ``+33.5%``."""
    return MISSING if v is None else f"{v:+.1f}%"
