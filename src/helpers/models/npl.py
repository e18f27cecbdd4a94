"""NPL and collateral-sale arithmetic: discounts, implied loan books, pro-rating, shares,
concentration and growth bounds. Pure functions (numbers in, numbers out); each rejects bad
input with a ``ValueError`` naming the argument. Used by the disposals chapter and the overview."""

from __future__ import annotations

import datetime as _dt

from helpers.book.checks import non_negative, number, positive

# --------------------------------------------------------------------------- validation


def _ratio_pct(name: str, value) -> float:
    value = number(name, value)
    if not 0 < value <= 100:
        raise ValueError(f"{name} is a percentage and must lie in (0, 100], got {value!r}")
    return value


# --------------------------------------------------------------------------- model functions
def discount_pct(price: float, market_value: float) -> float:
    """Discount of a sale or starting price to market value, in percent.

    ``discount = (1 - price / market_value) * 100``. Both inputs in the same money unit;
    ``price`` >= 0, ``market_value`` > 0. A price above market value gives a negative discount.
    """
    price = non_negative("price", price)
    market_value = positive("market_value", market_value)
    return (1.0 - price / market_value) * 100.0


def implied_floor_area(market_value: float, price_per_m2: float) -> float:
    """Floor area (m²) implied by a total value and a price per m² (both in yuan units).

    ``area = market_value / price_per_m2`` with ``market_value`` in CNY and ``price_per_m2`` in
    CNY/m²; both must be positive.
    """
    return positive("market_value", market_value) / positive("price_per_m2", price_per_m2)


def implied_loan_book(npl_balance: float, npl_ratio_pct: float) -> float:
    """Loan book implied by an NPL balance and an NPL ratio.

    ``loans = npl_balance / (npl_ratio_pct / 100)``; the result is in the unit of
    ``npl_balance`` (e.g. CNY_trn). ``npl_ratio_pct`` is in percent, in (0, 100].
    """
    npl_balance = non_negative("npl_balance", npl_balance)
    return npl_balance / (_ratio_pct("npl_ratio_pct", npl_ratio_pct) / 100.0)


def npl_at_ratio(loans: float, npl_ratio_pct: float) -> float:
    """NPL balance of a loan book at a given NPL ratio: ``loans * npl_ratio_pct / 100``.

    Result in the unit of ``loans``; ``npl_ratio_pct`` in percent, in (0, 100].
    """
    loans = non_negative("loans", loans)
    return loans * _ratio_pct("npl_ratio_pct", npl_ratio_pct) / 100.0


def hidden_npl_gap(npl_balance: float, official_ratio_pct: float, test_ratio_pct: float) -> dict:
    """The NPLs a higher (or lower) ratio would imply on the same loan book.

    ``loans = npl_balance / official_ratio``; ``npl_test = loans * test_ratio``;
    ``gap = npl_test - npl_balance``; ``multiple = test_ratio / official_ratio``.
    Money results are in the unit of ``npl_balance``; ratios in percent.
    """
    loans = implied_loan_book(npl_balance, official_ratio_pct)
    npl_test = npl_at_ratio(loans, test_ratio_pct)
    return {
        "loans": loans,
        "npl_official": float(npl_balance),
        "npl_test": npl_test,
        "gap": npl_test - float(npl_balance),
        "multiple": test_ratio_pct / official_ratio_pct,
    }


def day_of_year(date: _dt.date) -> int:
    """Day number of ``date`` in its year, 1 January = 1 (so the count of days elapsed, inclusive)."""
    if not isinstance(date, _dt.date):
        raise ValueError(f"date must be a datetime.date, got {date!r}")
    return date.timetuple().tm_yday


def days_in_year(year: int) -> int:
    """365, or 366 in a leap year."""
    return 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365


def prorate_count(count: float, as_of: _dt.date, to: _dt.date) -> float:
    """Extend a year-to-date count at a constant daily pace to a later date of the same year.

    ``projected = count * day_of_year(to) / day_of_year(as_of)`` (days counted inclusively from
    1 January). ``to`` must fall in the same year as ``as_of`` and not before it; with
    ``to`` = 31 December this is the full-year pace.
    """
    count = non_negative("count", count)
    if not isinstance(as_of, _dt.date) or not isinstance(to, _dt.date):
        raise ValueError("as_of and to must be datetime.date values")
    if to.year != as_of.year:
        raise ValueError(f"to ({to}) must be in the same year as as_of ({as_of})")
    if to < as_of:
        raise ValueError(f"to ({to}) must not be before as_of ({as_of})")
    return count * day_of_year(to) / day_of_year(as_of)


def shares(values) -> list[float]:
    """Each value's share of their sum, as fractions: ``s_i = v_i / sum(v)``. Values >= 0, sum > 0."""
    vals = [non_negative(f"values[{i}]", v) for i, v in enumerate(values)]
    total = sum(vals)
    if total <= 0:
        raise ValueError("values must have a positive sum")
    return [v / total for v in vals]


def hhi(share_list) -> float:
    """Herfindahl–Hirschman index on the 0–10,000 scale: ``sum((100 * s_i)**2)``, shares as fractions.

    Shares must be in [0, 1] and sum to at most 1 (+1e-9). 10,000 = a single seller; a low value
    = sales spread across many sellers.
    """
    s = [non_negative(f"share_list[{i}]", v) for i, v in enumerate(share_list)]
    if any(v > 1 for v in s) or sum(s) > 1 + 1e-9:
        raise ValueError("share_list must hold fractions in [0, 1] summing to at most 1")
    return sum((100.0 * v) ** 2 for v in s)


def previous_from_growth(latest: float, growth_pct: float) -> float:
    """The previous period's level implied by the latest level and its growth.

    ``previous = latest / (1 + growth_pct / 100)``; ``growth_pct`` > -100.
    """
    latest = non_negative("latest", latest)
    growth_pct = number("growth_pct", growth_pct)
    if growth_pct <= -100:
        raise ValueError(f"growth_pct must be above -100, got {growth_pct!r}")
    return latest / (1.0 + growth_pct / 100.0)


def max_growth_given_floor(latest: float, floor: float) -> float:
    """Largest growth (percent) to ``latest`` compatible with a previous level of at least ``floor``.

    ``g_max = (latest / floor - 1) * 100``; both in the same unit, ``floor`` > 0.
    """
    return (non_negative("latest", latest) / positive("floor", floor) - 1.0) * 100.0


def max_cagr_given_floor(latest: float, floor: float, years: int) -> float:
    """Largest average annual growth (percent) over ``years`` from a start of at least ``floor``.

    ``cagr_max = ((latest / floor) ** (1 / years) - 1) * 100``; ``years`` a positive integer.
    """
    if isinstance(years, bool) or not isinstance(years, int) or years <= 0:
        raise ValueError(f"years must be a positive integer, got {years!r}")
    return ((non_negative("latest", latest) / positive("floor", floor)) ** (1.0 / years) - 1.0) * 100.0


def days_to_years(days: float) -> float:
    """``years = days / 365`` (calendar years of 365 days; the articles' 'years overdue')."""
    return non_negative("days", days) / 365.0
