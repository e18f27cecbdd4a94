"""Policy as levers: what a rate cut, an interest subsidy and trade-in purchases do to the number
of homes the market absorbs in a year."""

from __future__ import annotations

from helpers.models import cycle as cm
from helpers.models import payments

from .source_figures import inputs

POLICY_LEVERS = ("rate_cut", "tradein", "payment_subsidy")


def policy_effects(sc: dict, levers: dict) -> dict:
    """What each switched-on lever does to the market's yearly absorption of homes.

    Rate cut: the February 2024 cut in the 5-year LPR passed to the average first-home rate;
    subsidy: ``subsidy_pp`` points off the rate (policy chapter's model); both lower a new
    buyer's monthly payment, and buyers rise by ``η ×`` that fall. Trade-in: every city with a
    scheme buys as many old homes a year as Zhengzhou planned (an upper bound).
    """
    i = inputs()
    r = i["mortgage_rate_pct"]
    term = sc["term_years"]
    base_pay = payments.annuity_payment(1.0, r, term)
    new_rate = r - (i["lpr_cut_pp"] if levers.get("rate_cut") else 0.0)
    pay = (
        payments.subsidised_payment(1.0, new_rate, term, min(sc["subsidy_pp"], new_rate), 1.0)
        if levers.get("payment_subsidy")
        else payments.annuity_payment(1.0, new_rate, term)
    )
    cut = 1 - pay / base_pay
    buyers = i["tradein_cities"] * i["tradein_city_homes"] if levers.get("tradein") else 0.0
    return {"payment_cut": cut, "extra_buyers": buyers}


def absorption(sc: dict, levers: dict | None = None) -> float:
    """Homes the market absorbs in a year: new-home sales of 2024Q1 × 4 / home size, with policy."""
    i = inputs()
    base = 4 * i["sales_area_q1_m2"] / sc["home_size_m2"]
    eff = policy_effects(sc, levers or {})
    return cm.absorption_with_policy(base, eff["payment_cut"], sc["demand_response"], eff["extra_buyers"])
