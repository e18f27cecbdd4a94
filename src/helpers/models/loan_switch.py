"""The illegal switch from mortgages to business loans (经营贷置换房贷), and its renewal risk.

Pure functions. Rates are annual percentages (3.0 = 3 %), spreads in basis points, shares
between 0 and 1 unless the name ends in ``_pct``; money comes back in the unit passed in.
"""

from __future__ import annotations

import math

from helpers.book.checks import non_negative, number, positive
from helpers.models.payments import _share, annuity_payment


def switch_breakeven_years(cost_pct: float, spread_bp: float) -> float:
    """Years of interest saving needed to recover the one-off switching cost.

    ``T = cost_pct / (spread_bp / 100)``: a cost of ``cost_pct`` % of the loan is earned back
    at ``spread_bp / 100`` % a year (simple interest on an unchanged balance, the interest-only
    business loan's own profile). ``inf`` when the spread is zero or negative (never pays off).
    """
    cost_pct = non_negative("cost_pct", cost_pct)
    spread_bp = number("spread_bp", spread_bp)
    if spread_bp <= 0:
        return math.inf
    return cost_pct / (spread_bp / 100.0)


def switch_first_year(
    balance: float,
    mortgage_rate_pct: float,
    business_rate_pct: float,
    remaining_years: float,
    cost_pct: float,
) -> dict:
    """First-year effect of refinancing a mortgage balance with an interest-only business loan.

    ``interest_saved = B * (r_m - r_b) / 100``; ``cost = B * cost_pct / 100``;
    ``cash_relief`` = 12 x (mortgage annuity payment on ``B`` over ``remaining_years`` at ``r_m``)
    minus the business loan's interest ``B * r_b / 100`` — the drop in yearly outgoings that
    makes the switch tempting, because the principal is not being repaid.
    """
    balance = positive("balance", balance)
    r_m = non_negative("mortgage_rate_pct", mortgage_rate_pct)
    r_b = non_negative("business_rate_pct", business_rate_pct)
    cost_pct = non_negative("cost_pct", cost_pct)
    mortgage_year = 12 * annuity_payment(balance, r_m, remaining_years)
    return {
        "interest_saved": balance * (r_m - r_b) / 100.0,
        "switch_cost": balance * cost_pct / 100.0,
        "cash_relief": mortgage_year - balance * r_b / 100.0,
    }


def renewal_gap(
    loan: float, original_value: float, price_fall: float, renewal_ltv: float, haircut: float = 0.0
) -> float:
    """Cash a borrower must find when a balloon business loan is renewed after a price fall.

    At renewal the bank re-appraises the home and lends at most
    ``limit = renewal_ltv * original_value * (1 - price_fall) * (1 - haircut)``; the whole
    principal ``loan`` falls due, so the gap is ``max(0, loan - limit)``. ``price_fall``,
    ``renewal_ltv`` and ``haircut`` are shares in [0, 1] (an LTV of 1 = 100 % is allowed).
    """
    loan = non_negative("loan", loan)
    original_value = positive("original_value", original_value)
    price_fall = _share("price_fall", price_fall)
    renewal_ltv = _share("renewal_ltv", renewal_ltv)
    haircut = _share("haircut", haircut)
    limit = renewal_ltv * original_value * (1.0 - price_fall) * (1.0 - haircut)
    return max(0.0, loan - limit)


def gap_share(price_fall: float, haircut: float = 0.0, headroom: float = 1.0) -> float:
    """Refinancing gap as a share of the renewing balance.

    ``share = max(0, 1 - headroom * (1 - price_fall) * (1 - haircut))`` where ``headroom`` is the
    renewal limit at unchanged prices divided by the loan (1 = the loan sits exactly at the
    limit; 1.05 = 5 % of room). This is :func:`renewal_gap` divided by the loan.
    """
    price_fall = _share("price_fall", price_fall)
    haircut = _share("haircut", haircut)
    headroom = positive("headroom", headroom)
    return max(0.0, 1.0 - headroom * (1.0 - price_fall) * (1.0 - haircut))


def implied_renewing_balance(
    gap: float, price_fall: float, haircut: float = 0.0, headroom: float = 1.0
) -> float:
    """The balance that must come up for renewal for a price fall to open a given gap.

    ``B = gap / gap_share(price_fall, haircut, headroom)``; ``inf`` if the share is zero.
    """
    gap = non_negative("gap", gap)
    s = gap_share(price_fall, haircut, headroom)
    return math.inf if s == 0 else gap / s


def solve_two_point(gap_low: float, fall_low: float, gap_high: float, fall_high: float) -> dict:
    """Find the (renewing balance, headroom) pair that makes both ends of a published range hold.

    Solves ``B * (1 - m (1 - f1)) = g1`` and ``B * (1 - m (1 - f2)) = g2`` for ``m`` and ``B``:
    ``m = (g2 - g1) / (g2 (1 - f1) - g1 (1 - f2))``, ``B = g1 / (1 - m (1 - f1))``.
    ``m > 1`` means loans sit below the renewal limit (room), ``m < 1`` a haircut at renewal.
    """
    for name, v in (("gap_low", gap_low), ("gap_high", gap_high)):
        positive(name, v)
    f1, f2 = _share("fall_low", fall_low), _share("fall_high", fall_high)
    if not f2 > f1:
        raise ValueError(f"fall_high ({fall_high}) must exceed fall_low ({fall_low})")
    denom = gap_high * (1 - f1) - gap_low * (1 - f2)
    if denom <= 0:
        raise ValueError("no positive headroom reproduces this range")
    m = (gap_high - gap_low) / denom
    b = gap_low / (1 - m * (1 - f1))
    return {"headroom": m, "renewing_balance": b}
