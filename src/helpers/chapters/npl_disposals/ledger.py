"""Named ledger functions of the disposals chapter (``fn:<name>`` in ``data/ledger/cells/disposals.csv``).

Each takes the cell's spec row and returns ``{"published", "recomputed", "low", "high", "values"}``;
the values fill the row's note template. Cells a generic relation covers are described in the
cells file alone.
"""

from __future__ import annotations

from helpers.book import units
from helpers.book.intervals import Interval
from helpers.chapters.npl_disposals import CHENG_HALF_PP, disposal_bounds, guangzhou_auction


def guangzhou_discount(spec: dict) -> dict:
    """Discount of the Guangzhou starting price to market value: ``(1 - start / market) × 100``."""
    g = guangzhou_auction()
    return {
        "published": g["claimed_discount_pct"],
        "recomputed": g["discount_pct"],
        "low": None,
        "high": None,
        "values": g,
    }


def _growth_bounds() -> tuple[dict, Interval, Interval]:
    d = disposal_bounds()
    # growth ceiling with 2024 at the top of its printed rounding (one decimal) and 2023 above the floor
    ceiling = Interval.printed(d["latest"], 1).apply(lambda x: (x / d["floor"] - 1) * 100)
    admissible = Interval(0.0, ceiling.high)  # 增 / "up": growth was positive
    values = dict(d, ceiling_high=ceiling.high, growth_low_pct=d["growth_pct"] - CHENG_HALF_PP)
    return values, ceiling, admissible


def disposal_growth_tenths(spec: dict) -> dict:
    """'三成' as a ratio against the largest growth compatible with 2023 above the floor:
    ``max_growth = latest / floor - 1``; admissible ``[0, ceiling]`` with 2024 at the top of its rounding."""
    d, _, admissible = _growth_bounds()
    return {
        "published": units.convert(d["growth_pct"], "pct", "ratio"),
        "recomputed": units.convert(d["max_growth_pct"], "pct", "ratio"),
        "low": units.convert(admissible.low, "pct", "ratio"),
        "high": units.convert(admissible.high, "pct", "ratio"),
        "values": d,
    }


def disposal_growth_en(spec: dict) -> dict:
    """'up nearly N %' (English part) against the same ceiling, in per cent."""
    d, _, admissible = _growth_bounds()
    return {
        "published": d["growth_en_pct"],
        "recomputed": d["max_growth_pct"],
        "low": admissible.low,
        "high": admissible.high,
        "values": d,
    }


def ledger_checks() -> list:
    """This chapter's checks: its rows of ``data/ledger/cells/disposals.csv`` evaluated by :func:`helpers.book.ledger.checks`."""
    from helpers.book import ledger

    return ledger.checks(["disposals"])
