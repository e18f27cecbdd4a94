"""Units as the sources publish them, and conversion between them.

Every numeric figure in ``data/`` carries a unit code from :data:`UNITS`. A code names the
unit *as printed* (亿元 is ``CNY_100m``, 万亿元 is ``CNY_trn``, the Zhongtai tables' 百万 is
``CNY_mn``), so the CSV stays faithful to the source and conversion happens here, in code.

Conversion is linear within a dimension::

    value_in_target = value * UNITS[source].factor / UNITS[target].factor

Units of different dimensions (money vs. area, CNY vs. USD) never convert into each other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Unit:
    """A unit code: its dimension, its size in the dimension's base unit, how sources print it."""

    dimension: str
    factor: float
    published: str


UNITS: dict[str, Unit] = {
    # money, renminbi (base: yuan)
    "CNY": Unit("money_cny", 1.0, "元 / yuan"),
    "CNY_10k": Unit("money_cny", 1e4, "万元"),
    "CNY_mn": Unit("money_cny", 1e6, "百万 / 百万元 / million yuan"),
    "CNY_100m": Unit("money_cny", 1e8, "亿元 / 亿"),
    "CNY_bn": Unit("money_cny", 1e9, "billion yuan"),
    "CNY_trn": Unit("money_cny", 1e12, "万亿元 / trillion yuan"),
    # money, US dollars (base: dollar)
    "USD": Unit("money_usd", 1.0, "美元 / US dollars"),
    "USD_mn": Unit("money_usd", 1e6, "million US dollars"),
    "USD_100m": Unit("money_usd", 1e8, "亿美元"),
    "USD_bn": Unit("money_usd", 1e9, "billion US dollars"),
    # prices
    "CNY_per_m2": Unit("price_cny_per_m2", 1.0, "元/平方米"),
    "CNY_10k_per_m2": Unit("price_cny_per_m2", 1e4, "万元/平方米"),
    "CNY_per_bottle": Unit("price_cny_per_item", 1.0, "元/瓶"),
    # floor and land area (base: square metre)
    "m2": Unit("area", 1.0, "平方米 / square metres"),
    "m2_10k": Unit("area", 1e4, "万平方米"),
    "m2_100m": Unit("area", 1e8, "亿平方米"),
    # counts
    "count": Unit("count", 1.0, "个 / 家 / 笔 / 宗 / 只 / items"),
    "count_10k": Unit("count", 1e4, "万 (count)"),
    "homes": Unit("homes", 1.0, "套 / homes / units"),
    "homes_10k": Unit("homes", 1e4, "万套"),
    "people_10k": Unit("people", 1e4, "万人"),
    # shares and rates
    "pct": Unit("share", 1e-2, "%"),
    "ratio": Unit("share", 1.0, "ratio (1 = 100 %)"),
    "pp": Unit("share_change", 1e-2, "个百分点 / percentage points"),
    "bp": Unit("share_change", 1e-4, "个基点 / bp"),
    "multiple": Unit("multiple", 1.0, "倍 / times"),
    # time
    "days": Unit("time", 1.0 / 365.0, "天 / days"),
    "months": Unit("time", 1.0 / 12.0, "个月 / months"),
    "quarters": Unit("time", 0.25, "个季度 / quarters"),
    "years": Unit("time", 1.0, "年 / years"),
    # dimensionless indices
    "index": Unit("index", 1.0, "index points / 指数"),
}


class UnitError(ValueError):
    """An unknown unit code, or a conversion between different dimensions."""


def unit(code: str) -> Unit:
    """Return the :class:`Unit` for ``code``; raise :class:`UnitError` naming it if unknown."""
    try:
        return UNITS[code]
    except (KeyError, TypeError):
        raise UnitError(f"unknown unit {code!r}; known units: {', '.join(sorted(UNITS))}") from None


def unknown_units(codes: Iterable[object]) -> list[object]:
    """The codes in ``codes`` that are not in :data:`UNITS` (blanks ignored), in first-seen order."""
    seen: list[object] = []
    for code in codes:
        if code is None or (isinstance(code, float) and np.isnan(code)) or code == "":
            continue
        if code not in UNITS and code not in seen:
            seen.append(code)
    return seen


def factor(source: str, target: str) -> float:
    """Multiplier taking a value in ``source`` units to ``target`` units.

    ``factor = UNITS[source].factor / UNITS[target].factor``; raises :class:`UnitError` when the
    two units measure different dimensions.
    """
    s, t = unit(source), unit(target)
    if s.dimension != t.dimension:
        raise UnitError(f"cannot convert {source!r} ({s.dimension}) to {target!r} ({t.dimension})")
    return s.factor / t.factor


def convert(value, source: str, target: str):
    """Convert ``value`` (a number, array or Series) from ``source`` to ``target`` units.

    ``value_target = value * UNITS[source].factor / UNITS[target].factor``.

    >>> convert(38_000, "CNY_100m", "CNY_trn")
    3.8
    """
    result = value * factor(source, target)
    if isinstance(result, float):
        return round(result, 12)
    return result


def convert_column(values, units, target: str):
    """Convert a column whose rows carry their own unit codes (``units``) into ``target``.

    Element-wise ``values[i] * UNITS[units[i]].factor / UNITS[target].factor``.
    """
    factors = np.array([factor(u, target) for u in units], dtype=float)
    return np.asarray(values, dtype=float) * factors
