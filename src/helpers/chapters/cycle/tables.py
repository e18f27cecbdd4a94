"""The cycle chapter's tables, as readers see them: labelled columns, readable units, rounded."""

from __future__ import annotations

import pandas as pd

from helpers.chapters import retail_risk as retail

from .book_assumptions import assumptions
from .loss_frontier import break_even_ratio
from .scenario import run
from .source_figures import coverage_floor, inputs
from .stock_and_flow import stock_flow


def assumption_table() -> pd.DataFrame:
    """The assumptions as the page shows them: default and range in readable units, and the reason."""
    rows = []
    for a in assumptions():
        scale, unit = (
            (100.0, "%") if a.unit == "fraction" else (1.0, {"m2": "m²", "pp": "points"}.get(a.unit, ""))
        )

        def fmt(v, scale=scale, unit=unit):
            return f"{v * scale:.1f}{' ' + unit if unit else ''}"

        rows.append(
            {
                "Assumption": a.label,
                "Default": fmt(a.default),
                "Range": f"{fmt(a.low)} to {fmt(a.high)}",
                "Drawn in the simulation": "yes" if a.drawn else "no",
                "Why": a.reason,
            }
        )
    return pd.DataFrame(rows).set_index("Assumption")


def retail_comparison(result: dict) -> pd.DataFrame:
    """The retail chapter's headline outputs three ways: as the retail chapter computes them for
    this run's price path (through its own parameters), from this chapter with the loop off, and
    with the loop on. The first two columns are equal by construction, and a test holds them so."""
    sc = result["params"]
    pub = retail.published_scenario()
    own = retail.run(
        retail.check_parameters(
            price_decline_pct=None if sc["price_decline"] == pub.price_decline else 100 * sc["price_decline"],
            extra_decline_2027_pct=None
            if sc["extra_decline_2027"] == pub.extra_decline_2027
            else 100 * sc["extra_decline_2027"],
        )
    )
    off = run(sc, result["levers"], feedback=False)
    out = retail.scenario_summary(own).set_index("output").rename(columns={"value": "Retail chapter"})
    out["This chapter, loop off"] = retail.scenario_summary(off["retail"]).set_index("output")["value"]
    out["This chapter, loop on"] = retail.scenario_summary(result["retail"]).set_index("output")["value"]
    out.index.name = None
    return out


def stock_flow_table() -> pd.DataFrame:
    """:func:`.stock_and_flow.stock_flow` as the page shows it (CNY trn, % of loans)."""
    sf = stock_flow().set_index("case")
    out = pd.DataFrame(
        {
            "Stock at start (trn)": sf["stock_start"],
            "Newly bad (trn)": sf["new_npl"],
            "Disposed of (trn)": sf["disposals"],
            "Stock at end (trn)": sf["stock_end"],
            "Identity residual": sf["residual"],
            "Newly bad, % of loans": sf["new_pct_loans"],
        }
    )
    out.index.name = None
    return out.round(3)


def break_even_table(result: dict) -> pd.DataFrame:
    """Hidden ratio (%) at which losses without the loop use up each buffer, for three LGDs."""
    i = inputs()
    excess, earn, prov = result["excess_provisions_trn"], result["earnings_trn"], result["provisions_trn"]
    lgds = {
        f"LGD {100 * i['listing_discount']:.1f} % (listing discount)": i["listing_discount"],
        f"LGD {100 * i['auction_final_discount']:.1f} % (auction discount)": i["auction_final_discount"],
        f"LGD {100 * i['half_price']:.1f} % (half price)": i["half_price"],
    }
    buffers = {
        f"Provisions above {coverage_floor()} cover": excess,
        "… plus one year of profit": excess + earn,
        "… plus three years of profit": excess + 3 * earn,
        "All provisions": prov,
    }
    out = pd.DataFrame(
        {col: [100 * break_even_ratio(b, lam) for b in buffers.values()] for col, lam in lgds.items()},
        index=list(buffers),
    )
    out.index.name = None
    out.columns.name = "Hidden NPL ratio (%) at which losses use up"
    return out.round(2)


def policy_display(policy: pd.DataFrame) -> pd.DataFrame:
    """:func:`.scenario.policy_table` as the page shows it."""
    out = policy.rename(
        columns={
            "case": "Case",
            "levers": "Levers",
            "extra_fall_pct": "Extra price fall by 2027 (%)",
            "absorption_mn": "Homes absorbed a year (mn)",
            "extra_mortgage_trn": "Extra mortgage bad loans (trn)",
            "loss_trn": "Losses (trn)",
        }
    ).set_index(["Case", "Levers"])
    return out[
        [
            "Homes absorbed a year (mn)",
            "Extra price fall by 2027 (%)",
            "Extra mortgage bad loans (trn)",
            "Losses (trn)",
        ]
    ].round(2)
