"""Stress-test arithmetic of the retail-risk chapter (图表7) and the consumer-credit tiers (图表16/17).

Pure functions; money in any one unit (results in the same unit), ratios as fractions.

Retail stress test (图表7). From the NPL amount ``A`` at 1H25 and its net increase ``ΔA`` in 1H25:

* business loans: the 1H25 increase repeats (times ``k``) in each following half-year:
  ``A_h = A + k * ΔA * h`` after ``h`` half-years (h = 1 → 2025E, h = 3 → 2026E);
* credit cards: the same with ``k = 1 + u``, ``u`` = 20 % above 1H25;
* consumer loans: 2H25 repeats the 1H25 increase; 2026 adds the tier stress (below);
* mortgages: ``A = r * M``, with the ratio ``r`` from the scenario model (retail_mortgage).

NPL ratio ``= A / L`` on a loan balance ``L``; the balance a published pair implies is
``L = A / r``.

Consumer tiers (图表16/17). Platform-matched loans ``V_i`` per pricing tier; banks fund
``f_i * V_i``; listed banks fund that times the listed banks' share of banks' consumer loans
``λ = C_listed / C_banks``; a tier's stressed NPL increase is ``B_i * (r_i' - r_i) * m``
(``m`` a reader's multiplier, 1 in the report).
"""

from __future__ import annotations

from collections.abc import Sequence

from helpers.book.checks import number


def _num(name: str, value, *, minimum: float | None = 0.0) -> float:
    value = number(name, value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be ≥ {minimum}, got {value!r}")
    return value


def repeated_increase(amount: float, increase: float, half_years: int, multiplier: float = 1.0) -> float:
    """NPL amount after ``half_years`` half-years of the same increase: ``A + k * ΔA * h``."""
    a = _num("amount", amount)
    d = _num("increase", increase, minimum=None)
    k = _num("multiplier", multiplier)
    if not isinstance(half_years, int) or half_years < 0:
        raise ValueError(f"half_years must be a non-negative integer, got {half_years!r}")
    return a + k * d * half_years


def npl_ratio(amount: float, balance: float) -> float:
    """NPL ratio (fraction) ``A / L``; ``balance`` must be positive."""
    a = _num("amount", amount)
    b = _num("balance", balance)
    if b == 0:
        raise ValueError("balance must be positive")
    return a / b


def implied_balance(amount: float, ratio: float) -> float:
    """Loan balance implied by an NPL amount and ratio: ``L = A / r`` (``r`` a positive fraction)."""
    a = _num("amount", amount)
    r = _num("ratio", ratio)
    if r == 0 or r > 1:
        raise ValueError(f"ratio must be a fraction in (0, 1], got {ratio!r}")
    return a / r


def share(part: float, total: float) -> float:
    """``part / total`` (a fraction); ``total`` must be positive."""
    p = _num("part", part, minimum=None)
    t = _num("total", total)
    if t == 0:
        raise ValueError("total must be positive")
    return p / t


def shares(values: Sequence[float]) -> list[float]:
    """Each value's share of their sum: ``v_i / Σv`` (fractions)."""
    vals = [_num("values[]", v) for v in values]
    total = sum(vals)
    if total == 0:
        raise ValueError("values sum to zero")
    return [v / total for v in vals]


def funded(volume: float, funding_share: float) -> float:
    """Part of a tier funded by a lender group: ``f * V`` (``f`` a fraction in [0, 1])."""
    v = _num("volume", volume)
    f = _num("funding_share", funding_share)
    if f > 1:
        raise ValueError(f"funding_share must be a fraction ≤ 1, got {funding_share!r}")
    return v * f


def stressed_increase(
    balance: float, ratio_now: float, ratio_stressed: float, multiplier: float = 1.0
) -> float:
    """New NPL when a book's NPL ratio rises: ``B * (r' - r) * m`` (ratios as fractions)."""
    b = _num("balance", balance)
    r0 = _num("ratio_now", ratio_now)
    r1 = _num("ratio_stressed", ratio_stressed)
    m = _num("multiplier", multiplier)
    if r0 > 1 or r1 > 1:
        raise ValueError("ratios must be fractions ≤ 1")
    return b * (r1 - r0) * m
