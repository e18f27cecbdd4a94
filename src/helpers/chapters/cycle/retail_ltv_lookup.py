"""The retail chapter's mortgage model, as a fast lookup: the high-LTV share of mortgages in 2027
at a total price fall.

The housing feedback evaluates the retail chapter's cohort-LTV model thousands of times (every
iteration, every draw). Its 2027 cohorts depend on the price path only through the total fall,
and their high-LTV balance is a step function of it: :func:`high_ltv_steps` locates the steps
once from the retail chapter's own functions and constants, :func:`high_ltv_share_2027` looks
them up. A test holds the lookup equal to :func:`helpers.chapters.retail_risk.run`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from helpers.book import units
from helpers.chapters import retail_risk as retail
from helpers.models import cycle as cm
from helpers.models import mortgage_ltv as rm


def _cohorts_2027(prepayment: float) -> tuple[list[dict], float]:
    """The retail chapter's 2027 cohorts (years of repayment, decline offset, balance in CNY trn)
    in its own order, and the total mortgage book (CNY trn)."""
    a = retail.fact("amortisation_rate", "ratio")
    total = units.convert(retail.industry_mortgage_balance_100m(), "CNY_100m", "CNY_trn")
    issuance = retail.tier34_issuance_trn()
    out = []
    for (cohort, horizon), years in retail.HORIZON_YEARS.items():
        if horizon == "2027":
            out.append(
                {
                    "cohort": cohort,
                    "years": years,
                    "offset": retail.COHORT_DECLINE_OFFSET[cohort],
                    "balance": rm.cohort_balance(issuance[cohort], years, prepayment, a),
                    "a": a,
                }
            )
    return out, total


@lru_cache(maxsize=8)
def high_ltv_steps(prepayment: float, tol: float = 1e-9) -> tuple:
    """Break points and values of the step function ``total fall -> high-LTV share in 2027``.

    Built from the retail chapter's own model (:func:`helpers.models.mortgage_ltv.cohort_ltv`
    and :func:`~helpers.models.mortgage_ltv.high_ltv_balance`, its initial LTV, repayment years,
    cohort offsets and balances): each cohort's crossing of the high-LTV threshold is found by
    bisection, and the share is evaluated just past each crossing. A test holds this equal to
    :func:`helpers.chapters.retail_risk.run` on a fine grid of falls.
    """
    threshold = retail.fact("high_ltv_threshold", "ratio")
    cohorts, total = _cohorts_2027(prepayment)

    def ltvs(fall: float) -> list[float]:
        return [
            rm.cohort_ltv(retail.INITIAL_LTV, c["years"], prepayment, max(fall - c["offset"], 0.0), c["a"])
            for c in cohorts
        ]

    def share(fall: float) -> float:
        return rm.high_ltv_balance([c["balance"] for c in cohorts], ltvs(fall), threshold) / total

    xs = [0.0]
    for k in range(len(cohorts)):
        lo, hi = 0.0, 0.99
        if ltvs(lo)[k] > threshold or ltvs(hi)[k] <= threshold:
            continue
        while hi - lo > tol:
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if ltvs(mid)[k] <= threshold else (lo, mid)
        xs.append(hi)
    xs = sorted(set(xs))
    return tuple(xs), tuple(share(x) for x in xs)


def high_ltv_share_2027(total_decline, prepayment: float | None = None):
    """The retail chapter's high-LTV share of mortgages in 2027 at a total 2021–2027 price fall.

    The retail chapter's 2027 cohorts depend on the price path only through the total fall, and
    their high-LTV balance is a step function of it: the steps are located once per prepayment
    rate (:func:`high_ltv_steps`), then looked up, for one fall or an array of them.
    """
    p = retail.published_scenario().prepayment if prepayment is None else prepayment
    xs, vs = high_ltv_steps(float(p))
    return cm.step_lookup(np.array(xs), np.array(vs), total_decline)
