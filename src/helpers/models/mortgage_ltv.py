"""Mortgage models of the retail-risk chapter: cohort balances, LTV, and NPL scenarios.

All rates and shares are **fractions** here (0.05 = 5 %); the chapter converts the data's
``pct`` columns with :func:`helpers.units.convert` before calling these functions.

Model 1 (cohort, 图表19–22 of Zhongtai 2026). A cohort of mortgages originated with principal
``P0`` at loan-to-value ``L0`` repays a fixed share ``a`` of the *initial* principal every year
(等额本金, a = 4 %) and prepays a share ``p`` of the balance outstanding at the start of each
year. After ``n`` whole years::

    B_n = B_{n-1} * (1 - p) - a * P0,   B_0 = P0,   B_n floored at 0
        = P0 * [(1 - p)^n - a * (1 - (1 - p)^n) / p]        (p > 0)
        = P0 * (1 - a * n)                                   (p = 0)

With house prices down a cumulative ``d`` since origination, the current LTV is::

    LTV_n = L0 * (B_n / P0) / (1 - d)

Model 2 (scenarios, 图表26). A final mortgage NPL ratio ``r_f`` reached from the current ratio
``r_0`` on a balance ``M``, exposed evenly over ``T`` years::

    extra NPL      E = (r_f - r_0) * M
    provisions       = s * E                          (s = 70 %)
    per year         = E / T
    ratio after t years of exposure = r_0 + (r_f - r_0) * t / T
"""

from __future__ import annotations

from collections.abc import Sequence

from helpers.book.checks import non_negative, number


def _frac(name: str, value: float, *, upper: float = 1.0, upper_open: bool = False) -> float:
    value = number(name, value)
    if value < 0 or value > upper or (upper_open and value == upper):
        bound = f"[0, {upper})" if upper_open else f"[0, {upper}]"
        raise ValueError(f"{name} must be a fraction in {bound}, got {value!r}")
    return value


def _years(name: str, value: float) -> float:
    value = number(name, value)
    if value < 0:
        raise ValueError(f"{name} must be a non-negative number of years, got {value!r}")
    return value


def remaining_fraction(years: float, prepayment: float, amortisation: float = 0.04) -> float:
    """Share of the initial principal still outstanding after ``years`` (model 1).

    ``B_n/P0 = (1-p)^n - a*(1-(1-p)^n)/p`` for ``p > 0`` and ``1 - a*n`` for ``p = 0``,
    floored at 0 (the loan is repaid). ``years`` may be fractional (the closed form is then
    an interpolation). ``prepayment`` (p) and ``amortisation`` (a) are fractions per year.
    """
    n = _years("years", years)
    p = _frac("prepayment", prepayment, upper_open=True)
    a = _frac("amortisation", amortisation)
    if p == 0:
        value = 1 - a * n
    else:
        keep = (1 - p) ** n
        value = keep - a * (1 - keep) / p
    return max(value, 0.0)


def cohort_balance(initial: float, years: float, prepayment: float, amortisation: float = 0.04) -> float:
    """Outstanding balance of a cohort: ``initial * remaining_fraction(years, p, a)``.

    ``initial`` in any money unit (the result is in the same unit); must be ≥ 0.
    """
    initial = non_negative("initial", initial)
    return initial * remaining_fraction(years, prepayment, amortisation)


def cohort_ltv(
    initial_ltv: float, years: float, prepayment: float, price_decline: float, amortisation: float = 0.04
) -> float:
    """Current LTV of a cohort (fraction): ``L0 * remaining_fraction(n, p, a) / (1 - d)``.

    ``initial_ltv`` (L0) is a fraction in (0, 1.5]; ``price_decline`` (d) is the cumulative
    house-price fall since origination, a fraction in [0, 1).
    """
    if not 0 < number("initial_ltv", initial_ltv) <= 1.5:
        raise ValueError(f"initial_ltv must be a fraction in (0, 1.5], got {initial_ltv!r}")
    d = _frac("price_decline", price_decline, upper_open=True)
    return initial_ltv * remaining_fraction(years, prepayment, amortisation) / (1 - d)


def combined_decline(first: float, further: float) -> float:
    """Cumulative decline after a fall ``first`` followed by a fall ``further``: ``1-(1-f1)(1-f2)``."""
    f1 = _frac("first", first, upper_open=True)
    f2 = _frac("further", further, upper_open=True)
    return 1 - (1 - f1) * (1 - f2)


def high_ltv_balance(balances: Sequence[float], ltvs: Sequence[float], threshold: float = 0.8) -> float:
    """Balance of the cohorts whose LTV exceeds ``threshold``: ``sum(B_i for LTV_i > threshold)``.

    The report counts a whole cohort as high-LTV once its LTV passes the threshold (80 %), so
    the result is a step function of the LTVs: it never falls when an LTV rises.
    """
    if len(balances) != len(ltvs):
        raise ValueError(f"balances and ltvs must have the same length ({len(balances)} != {len(ltvs)})")
    if any(b < 0 for b in balances):
        raise ValueError("balances must be non-negative")
    if threshold <= 0:
        raise ValueError(f"threshold must be positive, got {threshold!r}")
    return float(sum(b for b, v in zip(balances, ltvs) if v > threshold))


def implied_issuance(balance: float, years: float, prepayment: float, amortisation: float = 0.04) -> float:
    """Initial principal that leaves ``balance`` after ``years``: ``balance / remaining_fraction``."""
    frac = remaining_fraction(years, prepayment, amortisation)
    if frac <= 0:
        raise ValueError("the cohort is fully repaid after that many years; issuance is undetermined")
    return balance / frac


# ----------------------------------------------------------------------------- model 2


def implied_balance(extra_npl: float, final_ratio: float, current_ratio: float) -> float:
    """Mortgage balance implied by a scenario: ``M = E / (r_f - r_0)`` (ratios as fractions)."""
    r_f = _frac("final_ratio", final_ratio)
    r_0 = _frac("current_ratio", current_ratio)
    if r_f <= r_0:
        raise ValueError(f"final_ratio ({r_f}) must exceed current_ratio ({r_0}) to imply a balance")
    return extra_npl / (r_f - r_0)


def extra_npl(balance: float, final_ratio: float, current_ratio: float) -> float:
    """Extra NPL to be exposed: ``E = max(r_f - r_0, 0) * M`` (money unit of ``balance``)."""
    if not isinstance(balance, (int, float)) or balance < 0:
        raise ValueError(f"balance must be a non-negative amount, got {balance!r}")
    r_f = _frac("final_ratio", final_ratio)
    r_0 = _frac("current_ratio", current_ratio)
    return max(r_f - r_0, 0.0) * balance


def extra_provisions(extra: float, provision_share: float) -> float:
    """Provisions to set aside for extra NPL: ``s * E``; ``provision_share`` a fraction in [0, 1]."""
    if extra < 0:
        raise ValueError(f"extra must be non-negative, got {extra!r}")
    return _frac("provision_share", provision_share) * extra


def npl_per_year(extra: float, years: float) -> float:
    """NPL exposed each year when ``extra`` is spread evenly over ``years``: ``E / T``."""
    if extra < 0:
        raise ValueError(f"extra must be non-negative, got {extra!r}")
    t = _years("years", years)
    if t == 0:
        raise ValueError("years must be positive")
    return extra / t


def npl_ratio_path(
    current_ratio: float, final_ratio: float, years: float, steps: Sequence[float] = (0.5, 1.0)
) -> list[float]:
    """NPL ratio after each step of an even exposure (fractions).

    ``r_k = r_0 + (r_f - r_0) * min(sum(steps[:k+1]), T) / T``. The default steps are the
    second half of 2025 (0.5 year, → 2025E) and the whole of 2026 (1 year, → 2026E).
    """
    r_0 = _frac("current_ratio", current_ratio)
    r_f = _frac("final_ratio", final_ratio)
    t = _years("years", years)
    if t == 0:
        raise ValueError("years must be positive")
    if any(s < 0 for s in steps):
        raise ValueError("steps must be non-negative")
    out, elapsed = [], 0.0
    for s in steps:
        elapsed += s
        out.append(r_0 + (r_f - r_0) * min(elapsed, t) / t)
    return out
