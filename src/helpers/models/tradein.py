"""The trade-in rent model (model 4 of the policy section): how many years of rent fund a
home's price, and down payments from LTVs. Pure functions."""

from __future__ import annotations

import math

import pandas as pd

from helpers.book.checks import non_negative, positive


# --------------------------------------------------------------------------- trade-in model 4
def yield_from_capitalisation(cap_years: float) -> float:
    """Gross rental yield in % from rent capitalisation (price / annual rent): ``100 / cap``."""
    return 100.0 / positive("cap_years", cap_years)


def lease_share_of_price(lease_years: float, yield_pct: float, discount_pct: float = 0.0) -> float:
    """Lump-sum rent for ``lease_years`` as a share of the home's price (1 = the whole price).

    Undiscounted: ``T * y / 100``. Discounted at ``d`` % a year (rent paid at the start of each
    year, i.e. an annuity-due): ``y/100 * (1 + d') * (1 - (1 + d') ** -T) / d'`` with ``d' = d/100``.
    """
    t = non_negative("lease_years", lease_years)
    y = non_negative("yield_pct", yield_pct) / 100.0
    d = non_negative("discount_pct", discount_pct) / 100.0
    if d == 0:
        return t * y
    return y * (1.0 + d) * (1.0 - (1.0 + d) ** -t) / d


def years_to_fund(target_share: float, yield_pct: float, discount_pct: float = 0.0) -> float:
    """Years of prepaid rent needed to fund ``target_share`` of a price (e.g. a down payment).

    Inverse of :func:`lease_share_of_price`. Undiscounted ``T = D / y`` (= ``D x`` rent
    capitalisation); discounted ``T = -ln(1 - D d' / (y (1 + d'))) / ln(1 + d')``, ``inf`` when
    no lease length is enough (the whole discounted rent stream is worth less than ``D``).
    ``target_share`` may exceed 1 (a new home dearer than the old one).
    """
    target = non_negative("target_share", target_share)
    y = positive("yield_pct", yield_pct) / 100.0
    d = non_negative("discount_pct", discount_pct) / 100.0
    if d == 0:
        return target / y
    arg = 1.0 - target * d / (y * (1.0 + d))
    if arg <= 0:
        return math.inf
    return -math.log(arg) / math.log(1.0 + d)


def down_payment_from_ltv(ltv_pct: float) -> float:
    """Down-payment ratio in % implied by a loan-to-value ratio in %: ``100 - LTV``."""
    ltv = non_negative("ltv_pct", ltv_pct)
    if ltv > 100:
        raise ValueError(f"ltv_pct cannot exceed 100, got {ltv_pct!r}")
    return 100.0 - ltv


def tradein_table(
    cap: pd.DataFrame, lease_years: float, yield_pct: float, down_payment_pcts, discount_pct: float
) -> pd.DataFrame:
    """Per rent-capitalisation tier (plus the source's flat ~2 % yield): what a lease prepays.

    Columns: tier, cap_years, yield_pct, share of price funded by ``lease_years`` (undiscounted and
    discounted), and years needed for each down-payment ratio in ``down_payment_pcts``.
    """
    rows = [("source: ~2 % yield", 100.0 / yield_pct, yield_pct)]
    for _, r in cap.iterrows():
        rows.append((str(r["scope"]), float(r["value"]), yield_from_capitalisation(float(r["value"]))))
    out = []
    for tier, capy, y in rows:
        row = {
            "tier": tier,
            "cap_years": capy,
            "yield_pct": y,
            f"{lease_years:g}y_share_pct": 100 * lease_share_of_price(lease_years, y),
            f"{lease_years:g}y_share_disc_pct": 100 * lease_share_of_price(lease_years, y, discount_pct),
        }
        for dp in down_payment_pcts:
            row[f"years_for_{dp:g}pct"] = years_to_fund(dp / 100.0, y)
            row[f"years_for_{dp:g}pct_disc"] = years_to_fund(dp / 100.0, y, discount_pct)
        out.append(row)
    return pd.DataFrame(out)
