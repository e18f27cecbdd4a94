"""One scenario of the cycle, end to end, and the policy cases the page compares.

* :func:`run` — hidden bad loans, losses, buffers, the housing feedback through the retail
  chapter's model, and the policy levers, for one set of assumptions;
* :func:`policy_table` — the feedback and the losses with each lever, default and harsher case.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from helpers.chapters import retail_risk as retail
from helpers.models import cycle as cm

from .book_assumptions import HARSHER, defaults
from .housing_feedback import solve_feedback
from .policy_levers import POLICY_LEVERS, absorption
from .source_figures import inputs, loans_trn
from .stock_and_flow import projection


def run(
    params: dict | None = None, levers: dict | None = None, feedback: bool = True, with_retail: bool = True
) -> dict:
    """Everything the chapter shows for one scenario (``params`` overrides :func:`.book_assumptions.defaults`).

    ``with_retail=False`` skips the retail chapter's full run and the projection (the losses do
    not need them); the policy table uses it.
    """
    sc = {**defaults(), **(params or {})}
    levers = {k: bool((levers or {}).get(k, False)) for k in POLICY_LEVERS}
    i = inputs()
    book = loans_trn()
    gap = cm.hidden_gap(book, i["official_ratio"], sc["hidden_ratio"])
    delta, extra_m, rounds = solve_feedback(sc, levers, feedback, gap)
    base_sc = replace(
        retail.published_scenario(),
        price_decline=sc["price_decline"],
        extra_decline_2027=sc["extra_decline_2027"],
    )
    total_2027 = cm.combine_falls(sc["price_decline"], sc["extra_decline_2027"])
    fb_sc = base_sc
    if feedback and delta > 0:
        fb_sc = replace(
            base_sc,
            extra_decline_2027=float(cm.combine_falls(sc["extra_decline_2027"], delta)),
            final_mortgage_npl=base_sc.final_mortgage_npl + extra_m / i["mortgage_book_trn"],
        )
    retail_result = retail.run(fb_sc) if with_retail else None
    bad = gap + extra_m
    secured = i["secured_share"] * gap + extra_m
    losses = cm.loss_with_collateral(bad - secured, secured, sc["lgd"], delta)
    earn = cm.yearly_earnings(i["roa"], book, sc["loan_share_of_assets"])
    excess = i["excess_provisions_trn"]
    prov = cm.provisions(i["stock_trn"], i["coverage"])
    return {
        "params": sc,
        "levers": levers,
        "feedback": feedback,
        "loans_trn": book,
        "gap_trn": gap,
        "extra_fall": delta,
        "extra_mortgage_npl_trn": extra_m,
        "feedback_rounds": rounds,
        "bad_trn": bad,
        "secured_trn": secured,
        "loss_trn": losses,
        "earnings_trn": earn,
        "excess_provisions_trn": excess,
        "provisions_trn": prov,
        "excess_recomputed_trn": cm.excess_provisions(i["stock_trn"], i["coverage"]),
        "years_after_excess": cm.years_of_earnings(losses, excess, earn),
        "years_after_all": cm.years_of_earnings(losses, prov, earn),
        "total_fall_2027": float(cm.combine_falls(total_2027, delta)),
        "absorption_homes": float(absorption(sc, levers)),
        "retail_scenario": fb_sc,
        "retail": retail_result,
        "projection": projection(sc, bad) if with_retail else None,
    }


def policy_table() -> pd.DataFrame:
    """The feedback's extra price fall and the losses with each lever, default and harsher case."""
    sets = [
        ("No policy", {}),
        ("Rate cut", {"rate_cut": True}),
        ("Interest subsidy", {"payment_subsidy": True}),
        ("Trade-in purchases", {"tradein": True}),
        ("All three", {"rate_cut": True, "payment_subsidy": True, "tradein": True}),
    ]
    rows = []
    for case, params in (("Default assumptions", {}), ("Harsher prices", HARSHER)):
        for name, levers in sets:
            r = run(params, levers, with_retail=False)
            rows.append(
                {
                    "case": case,
                    "levers": name,
                    "extra_fall_pct": 100 * r["extra_fall"],
                    "loss_trn": r["loss_trn"],
                    "absorption_mn": r["absorption_homes"] / 1e6,
                    "extra_mortgage_trn": r["extra_mortgage_npl_trn"],
                }
            )
    return pd.DataFrame(rows)
