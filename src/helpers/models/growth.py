"""Growth arithmetic: growth rates, CAGRs and the intervals rounded inputs allow. Pure functions."""

from __future__ import annotations

from helpers.book.checks import non_negative, positive


# --------------------------------------------------------------------------- growth arithmetic
def growth_pct(start: float, end: float) -> float:
    """Percentage change: ``(end / start - 1) * 100``."""
    start = positive("start", start)
    end = non_negative("end", end)
    return (end / start - 1.0) * 100.0


def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in %: ``((end / start) ** (1 / years) - 1) * 100``."""
    start = positive("start", start)
    end = non_negative("end", end)
    years = positive("years", years)
    return ((end / start) ** (1.0 / years) - 1.0) * 100.0


def cagr_from_total_pct(total_growth_pct: float, years: float) -> float:
    """CAGR in % implied by total growth over ``years``: ``((1 + g/100) ** (1/years) - 1) * 100``."""
    if total_growth_pct <= -100:
        raise ValueError(f"total_growth_pct must exceed -100, got {total_growth_pct!r}")
    years = positive("years", years)
    return ((1.0 + total_growth_pct / 100.0) ** (1.0 / years) - 1.0) * 100.0


def growth_from_increase_pct(end: float, increase: float) -> float:
    """Growth over a period from the end balance and the increase: ``increase / (end - increase) * 100``.

    Both in the same money unit (convert first).
    """
    end = positive("end", end)
    if increase >= end:
        raise ValueError(f"increase ({increase}) must be smaller than the end balance ({end})")
    return increase / (end - increase) * 100.0


def growth_interval_pct(
    start: float, end: float, half_unit_start: float, half_unit_end: float
) -> tuple[float, float]:
    """Range of growth consistent with two rounded balances: each may be off by half a unit."""
    lo = growth_pct(start + half_unit_start, end - half_unit_end)
    hi = growth_pct(start - half_unit_start, end + half_unit_end)
    return lo, hi
