"""The cycle, closed: can the banks absorb it? The package of ``chapters/cycle.md``.

This page joins the other four. It takes its source figures from their data (``npl_*``,
``housing_*``, ``policy_*``, ``retail_*``), its models from :mod:`helpers.models.cycle` and
from the other chapters' own helpers (the retail chapter's cohort-LTV and stress model, the
disposals chapter's NPL figures, the policy chapter's payment arithmetic), and adds only what
no source gives: the book's assumptions, each with a range and a reason.

The data flow, one module a step:

* :mod:`.source_figures` — the published figures the chapter uses (:func:`inputs`);
* :mod:`.book_assumptions` — the book's assumptions, defaults, ranges and reasons;
* :mod:`.stock_and_flow` — the identity ``N = ΔS + D`` (:func:`stock_flow`) and the projection;
* :mod:`.retail_ltv_lookup` — the retail chapter's mortgage model as a step lookup;
* :mod:`.policy_levers` — rate cut, subsidy and trade-in as changes in the homes absorbed;
* :mod:`.housing_feedback` — collateral to market, prices, mortgages: the loop closed;
* :mod:`.scenario` — one scenario end to end (:func:`run`) and the policy cases;
* :mod:`.loss_frontier` — losses across hidden ratios, break-even ratios, the slider chart's data;
* :mod:`.simulation` — the Monte Carlo (:func:`monte_carlo`), its exceedance table and fan;
* :mod:`.parameters` — the page's parameters checked;
* :mod:`.tables` and :mod:`.figures` — what the reader sees;
* here — :func:`numbers` and :func:`verdicts` for the prose, :func:`landing_numbers` for the
  landing page, and the names the page calls (:data:`__all__`), taken from their modules.
"""

from __future__ import annotations

import numpy as np

from helpers.chapters import retail_risk as retail
from helpers.models import cycle as cm

from .book_assumptions import HARSHER
from .housing_feedback import reach_market
from .loss_frontier import break_even_ratio, frontier_settings
from .parameters import check_parameters
from .policy_levers import absorption, policy_effects
from .retail_ltv_lookup import high_ltv_steps
from .scenario import policy_table, run
from .simulation import exceedance, fan, monte_carlo
from .source_figures import coverage_floor, inputs, retail_profit_base_trn
from .stock_and_flow import stock_flow
from .tables import assumption_table, break_even_table, policy_display, retail_comparison, stock_flow_table

CHAPTER = "cycle"

__all__ = [
    # what chapters/cycle.md calls, each from the module that holds it
    "check_parameters",
    "run",
    "monte_carlo",
    "stock_flow",
    "stock_flow_table",
    "break_even_table",
    "frontier_settings",
    "retail_comparison",
    "assumption_table",
    "policy_table",
    "policy_display",
    "fan",
    "exceedance",
    # computed here: the numbers the prose and the landing page quote
    "numbers",
    "verdicts",
    "landing_numbers",
]


def numbers(result: dict, mc: dict) -> dict[str, float]:
    """Numbers the prose quotes (glued): source figures, recomputations and this run's results."""
    i = inputs()
    sc = result["params"]
    book = result["loans_trn"]
    sf = stock_flow()
    lam = sc["lgd"]
    excess, earn, prov = result["excess_provisions_trn"], result["earnings_trn"], result["provisions_trn"]
    homes_k = reach_market()
    hidden_homes = homes_k * i["secured_share"] * result["gap_trn"] / sc["exposure_years"]
    base_total = float(cm.combine_falls(sc["price_decline"], sc["extra_decline_2027"]))
    xs, vs = high_ltv_steps(float(retail.published_scenario().prepayment))
    first_step = next((x for x, v in zip(xs, vs) if v > vs[0]), float("nan"))
    rate_only = policy_effects(sc, {"rate_cut": True})
    subsidy_only = policy_effects(sc, {"payment_subsidy": True})
    ex = exceedance(mc)["Probability (%)"].to_list()
    last = fan(mc).iloc[-1]
    cum_floor = 4 * i["disposals_floor_trn"] + i["disposals_2024_trn"]
    out = {
        "stock_trn": i["stock_trn"],
        "stock_change_q3_bn": 1000 * i["stock_change_q3_trn"],
        "official_pct": 100 * i["official_ratio"],
        "jri_pct": 100 * i["jri_ratio"],
        "loans_trn": book,
        "disposals_2024": i["disposals_2024_trn"],
        "disposals_floor": i["disposals_floor_trn"],
        "disposals_pct_loans": 100 * i["disposals_2024_trn"] / book,
        "turnover_months": 12 * i["stock_trn"] / i["disposals_2024_trn"],
        "new_low_trn": float(sf["new_npl"].min()),
        "new_high_trn": float(sf["new_npl"].max()),
        "new_low_pct": float(sf["new_pct_loans"].min()),
        "new_high_pct": float(sf["new_pct_loans"].max()),
        "identity_max_residual": float(sf["residual"].abs().max()),
        "jri_gap_trn": float(cm.hidden_gap(book, i["official_ratio"], i["jri_ratio"])),
        "jri_gap_years_disposals": float(cm.hidden_gap(book, i["official_ratio"], i["jri_ratio"]))
        / i["disposals_2024_trn"],
        "cum_disposals_floor": cum_floor,
        "cum_disposals_pct": 100 * cum_floor / book,
        "coverage_pct": 100 * i["coverage"],
        "provisions_trn": prov,
        "excess_trn": excess,
        "excess_recomputed": result["excess_recomputed_trn"],
        "roa_pct": 100 * i["roa"],
        "roa_2024_pct": 100 * i["roa_2024"],
        "roe_pct": 100 * i["roe"],
        "loan_share_pct": 100 * sc["loan_share_of_assets"],
        "earnings_trn": earn,
        "pretax_implied_trn": retail_profit_base_trn(),
        "lgd_low_pct": 100 * i["listing_discount"],
        "lgd_default_pct": 100 * i["auction_final_discount"],
        "lgd_high_pct": 100 * i["half_price"],
        "auction_start_pct": 100 * i["auction_start_discount"],
        "sc_hidden_pct": 100 * sc["hidden_ratio"],
        "sc_lgd_pct": 100 * lam,
        "sc_response": sc["response"],
        "sc_conversion_pct": 100 * sc["conversion"],
        "sc_exposure_years": sc["exposure_years"],
        "sc_feedback": float(result["feedback"]),
        "sc_price_decline_pct": 100 * sc["price_decline"],
        "sc_extra_decline_pct": 100 * sc["extra_decline_2027"],
        "gap_trn": result["gap_trn"],
        "loss_trn": result["loss_trn"],
        "years_after_excess": result["years_after_excess"],
        "extra_fall_pct": 100 * result["extra_fall"],
        "extra_mortgage_trn": result["extra_mortgage_npl_trn"],
        "total_fall_2027_pct": 100 * result["total_fall_2027"],
        "loss_share_provisions_pct": 100 * result["loss_trn"] / prov,
        "ratio_end_pct": float(result["projection"]["ratio_pct"].iloc[-1]),
        "breakeven_excess_pct": 100 * break_even_ratio(excess, lam),
        "breakeven_excess_1y_pct": 100 * break_even_ratio(excess + earn, lam),
        "breakeven_provisions_pct": 100 * break_even_ratio(prov, lam),
        "auction_supply_month": i["auction_supply_month"],
        "auction_supply_year": 12 * i["auction_supply_month"],
        "secured_share_pct": 100 * i["secured_share"],
        "homes_per_bn": homes_k / 1000,
        "bank_homes": i["bank_homes"],
        "home_size_m2": sc["home_size_m2"],
        "absorption_mn": absorption(sc) / 1e6,
        "hidden_homes_k": hidden_homes / 1000,
        "hidden_homes_pct_absorption": 100 * hidden_homes / absorption(sc),
        "base_total_fall_pct": 100 * base_total,
        "first_step_fall_pct": 100 * first_step,
        "first_step_extra_pct": 100 * (1 - (1 - first_step) / (1 - base_total)),
        "mortgage_book_trn": i["mortgage_book_trn"],
        "rate_pct": i["mortgage_rate_pct"],
        "lpr_cut_bp": 100 * i["lpr_cut_pp"],
        "rate_cut_payment_pct": 100 * rate_only["payment_cut"],
        "subsidy_pp": sc["subsidy_pp"],
        "subsidy_payment_pct": 100 * subsidy_only["payment_cut"],
        "tradein_cities": i["tradein_cities"],
        "tradein_city_homes": i["tradein_city_homes"],
        "tradein_homes_k": i["tradein_cities"] * i["tradein_city_homes"] / 1000,
        "draws": float(len(mc["loss"])),
        "p_excess": ex[0],
        "p_excess_1y": ex[1],
        "p_excess_3y": ex[2],
        "p_provisions": ex[3],
        "mc_median": float(np.median(mc["loss"])),
        "mc_q05": float(last["q05"]),
        "mc_q95": float(last["q95"]),
        "mc_feedback_bites_pct": 100 * float(np.mean(mc["extra_mortgage"] > 0)),
        "harsh_price_pct": 100 * HARSHER["price_decline"],
        "harsh_extra_pct": 100 * HARSHER["extra_decline_2027"],
        "harsh_response": HARSHER["response"],
        "ltv_threshold_pct": retail.fact("high_ltv_threshold"),
        "term_years": sc["term_years"],
        "harsh_extra_mortgage_trn": run({**sc, **HARSHER}, result["levers"], with_retail=False)[
            "extra_mortgage_npl_trn"
        ],
    }
    return {k: float(v) for k, v in out.items()}


def verdicts(result: dict) -> dict[str, str]:
    """Clauses of the prose whose wording depends on this run's numbers (glued as text)."""
    loss, prov = result["loss_trn"], result["provisions_trn"]
    over = result["years_after_excess"] > 0
    floor = coverage_floor()
    return {
        "v_excess": (
            f"more than the provisions banks hold above the {floor} coverage floor, and the rest would take"
            if over
            else f"within the provisions banks hold above the {floor} coverage floor, so it would take"
        ),
        "v_all": (
            "All provisions together would cover it"
            if loss <= prov
            else "Even all provisions together would not cover it"
        ),
        "v_loop": (
            f"the loop pushes mortgage cohorts over the line and adds "
            f"{result['extra_mortgage_npl_trn']:.2f} trillion yuan of mortgage bad loans"
            if result["extra_mortgage_npl_trn"] > 0
            else "no cohort crosses the line, so the loop adds no mortgage bad loans; its only effect on "
            "losses is the lower recovery on collateral"
        ),
    }


def landing_numbers() -> dict[str, float]:
    """The synthesis for the landing page, at the book's defaults, named ``cycle_*``."""
    result = run()
    n = numbers(result, monte_carlo())
    keys = (
        "jri_pct",
        "official_pct",
        "jri_gap_trn",
        "jri_gap_years_disposals",
        "new_low_pct",
        "new_high_pct",
        "sc_lgd_pct",
        "loss_trn",
        "excess_trn",
        "years_after_excess",
        "provisions_trn",
        "breakeven_excess_pct",
        "breakeven_excess_1y_pct",
        "p_excess",
        "p_excess_1y",
        "p_provisions",
        "draws",
        "hidden_homes_pct_absorption",
        "extra_fall_pct",
    )
    return {f"cycle_{k}": n[k] for k in keys}
