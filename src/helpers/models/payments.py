"""Mortgage arithmetic for the housing-finance policy chapter (pure functions, no I/O).

Conventions: rates are annual percentages as the sources print them (3.59 means 3.59 %),
compounded monthly (monthly rate ``i = rate / 1200``); terms are in years (``n = 12 * years``
monthly payments); money is in whatever unit the caller passes in and comes back in the same
unit. Every function rejects impossible input with a ``ValueError`` naming the argument.
"""

from __future__ import annotations

import numpy as np

from helpers.book.checks import non_negative, positive


def _share(name: str, value: float) -> float:
    value = non_negative(name, value)
    if value > 1:
        raise ValueError(f"{name} is a share between 0 and 1, got {value!r}")
    return value


def _months(years: float) -> int:
    years = positive("years", years)
    n = round(12 * years)
    if abs(n - 12 * years) > 1e-9:
        raise ValueError(f"years must be a whole number of months, got {years!r}")
    return n


def annuity_payment(principal: float, rate_pct: float, years: float) -> float:
    """Monthly payment of an equal-instalment (等额本息) mortgage.

    ``P = L * i / (1 - (1 + i) ** -n)`` with ``i = rate_pct / 1200``, ``n = 12 * years``;
    at a zero rate ``P = L / n``. Same money unit as ``principal``.
    """
    principal = positive("principal", principal)
    i = non_negative("rate_pct", rate_pct) / 1200.0
    n = _months(years)
    if i == 0:
        return principal / n
    return principal * i / (1.0 - (1.0 + i) ** -n)


def annuity_total_interest(principal: float, rate_pct: float, years: float) -> float:
    """Total interest over the life of an equal-instalment mortgage: ``n * P - L``."""
    n = _months(years)
    return n * annuity_payment(principal, rate_pct, years) - float(principal)


def annuity_balance(principal: float, rate_pct: float, years: float, months_paid: int) -> float:
    """Outstanding balance after ``months_paid`` equal instalments.

    ``B_k = L * (1 + i) ** k - P * ((1 + i) ** k - 1) / i``  (``B_k = L - k * L / n`` at zero rate).
    """
    n = _months(years)
    if (
        isinstance(months_paid, bool)
        or not isinstance(months_paid, (int, np.integer))
        or not 0 <= months_paid <= n
    ):
        raise ValueError(f"months_paid must be an integer between 0 and {n}, got {months_paid!r}")
    principal = positive("principal", principal)
    i = non_negative("rate_pct", rate_pct) / 1200.0
    if i == 0:
        return principal * (1 - months_paid / n)
    p = annuity_payment(principal, rate_pct, years)
    g = (1.0 + i) ** months_paid
    return max(0.0, principal * g - p * (g - 1.0) / i)


def equal_principal_payments(principal: float, rate_pct: float, years: float) -> dict:
    """First and last monthly payment and total interest of an equal-principal (等额本金) loan.

    Each month repays ``L / n`` of principal plus interest on the balance:
    payment ``k`` (1-based) is ``L/n + (L - (k-1) L/n) * i``; so the first is ``L/n + L i``,
    the last ``L/n * (1 + i)``, and total interest is ``L * i * (n + 1) / 2``.
    """
    principal = positive("principal", principal)
    i = non_negative("rate_pct", rate_pct) / 1200.0
    n = _months(years)
    return {
        "first": principal / n + principal * i,
        "last": principal / n * (1.0 + i),
        "total_interest": principal * i * (n + 1) / 2.0,
    }


def subsidised_payment(
    principal: float, rate_pct: float, years: float, subsidy_pp: float, share: float
) -> float:
    """Monthly payment when the state pays ``subsidy_pp`` points of interest on ``share`` of the loan.

    The subsidised part ``share * L`` amortises at ``rate_pct - subsidy_pp``, the rest at
    ``rate_pct``: ``P = annuity(share L, r - s) + annuity((1 - share) L, r)`` (each term is 0
    when its principal is 0). The subsidy may not exceed the rate.
    """
    principal = positive("principal", principal)
    rate_pct = non_negative("rate_pct", rate_pct)
    subsidy_pp = non_negative("subsidy_pp", subsidy_pp)
    share = _share("share", share)
    if subsidy_pp > rate_pct:
        raise ValueError(f"subsidy_pp ({subsidy_pp}) cannot exceed the mortgage rate rate_pct ({rate_pct})")
    part = 0.0
    if share > 0:
        part += annuity_payment(share * principal, rate_pct - subsidy_pp, years)
    if share < 1:
        part += annuity_payment((1 - share) * principal, rate_pct, years)
    return part


def subsidy_budget_cost(
    new_loans: float, rate_pct: float, years: float, subsidy_pp: float, share: float, subsidy_years: float
) -> float:
    """Undiscounted budget cost of an interest subsidy on a cohort of new mortgages.

    The state pays the lender ``subsidy_pp`` points a year on the outstanding subsidised balance
    for the first ``subsidy_years`` years (or the whole term if shorter), while the borrower
    amortises that part at ``rate_pct - subsidy_pp``:
    ``cost = sum_{k=0}^{m-1} B_k * s / 1200`` with ``B_k`` the balance of ``share * new_loans``
    after ``k`` payments at rate ``r - s`` and ``m = 12 * min(subsidy_years, years)``.
    Returned in the unit of ``new_loans``. A rough guide: one point on 1 trn costs a little
    under 10 bn a year because the balance amortises.
    """
    new_loans = positive("new_loans", new_loans)
    rate_pct = non_negative("rate_pct", rate_pct)
    subsidy_pp = non_negative("subsidy_pp", subsidy_pp)
    share = _share("share", share)
    subsidy_years = non_negative("subsidy_years", subsidy_years)
    n = _months(years)
    if subsidy_pp > rate_pct:
        raise ValueError(f"subsidy_pp ({subsidy_pp}) cannot exceed the mortgage rate rate_pct ({rate_pct})")
    if share == 0 or subsidy_pp == 0 or subsidy_years == 0:
        return 0.0
    m = min(n, round(12 * subsidy_years))
    base = share * new_loans
    k = np.arange(m)
    i = (rate_pct - subsidy_pp) / 1200.0
    if i == 0:
        balances = base * (1 - k / n)
    else:
        p = annuity_payment(base, rate_pct - subsidy_pp, years)
        g = (1.0 + i) ** k
        balances = np.maximum(0.0, base * g - p * (g - 1.0) / i)
    return float(np.sum(balances) * subsidy_pp / 1200.0)


def payment_table(principal: float, years: float, rates: dict) -> list[dict]:
    """For each named rate: annuity payment, total interest and equal-principal first payment."""
    rows = []
    for label, rate in rates.items():
        ep = equal_principal_payments(principal, rate, years)
        rows.append(
            {
                "case": label,
                "rate_pct": rate,
                "annuity_monthly": annuity_payment(principal, rate, years),
                "annuity_total_interest": annuity_total_interest(principal, rate, years),
                "equal_principal_first": ep["first"],
                "equal_principal_total_interest": ep["total_interest"],
            }
        )
    return rows


def payment_cut_pct(before: float, after: float) -> float:
    """How much lower a payment is, as a share of what it was: ``100 * (before - after) / before`` (%)."""
    before = positive("before", before)
    return 100.0 * (before - non_negative("after", after)) / before
