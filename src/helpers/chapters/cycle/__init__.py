"""The cycle, closed: can the banks absorb it? Tables and numbers of ``chapters/cycle.md``.

This page joins the other four. It takes its source figures from their data (``npl_*``,
``housing_*``, ``policy_*``, ``retail_*``), its models from :mod:`helpers.models.cycle` and
from the other chapters' own helpers (the retail chapter's cohort-LTV and stress model, the
disposals chapter's NPL figures, the policy chapter's payment arithmetic), and adds only what
no source gives: the book's assumptions, each in :data:`ASSUMPTIONS` with a range and a reason.

* :func:`stock_flow` — the identity ``N = ΔS + D`` on the stated stock and disposals;
* :func:`run` — one scenario: hidden bad loans, losses, buffers, the housing feedback through
  the retail chapter's model, and the policy levers;
* :func:`frontier` and :func:`slider_grid` — losses across hidden ratios (the slider chart's data);
* :func:`monte_carlo` — the uncertain assumptions drawn from their ranges (seeded).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import pandas as pd

from helpers.book import checks, data, lookup, units
from helpers.chapters import npl_disposals as disposals
from helpers.chapters import retail_risk as retail
from helpers.models import cycle as cm
from helpers.models import mortgage_ltv as rm
from helpers.models import payments

CHAPTER = "cycle"
D0, D1 = "000_53446e2d23b336c6.txt", "001_3d7b5ccb12dc6b79.txt"
D2, D3 = "002_618ba3871ebc0b54.txt", "003_dc4f0dbeb2c2a3ea.txt"
START_YEAR = 2026
"""First year of the projection: the loans hidden at end-2025 are recognised from 2026 on."""
YEARS_TO_2027 = 2
"""Years of collateral sales that reach the retail chapter's 2027 horizon (2026 and 2027)."""
YEARLY_FALL_CAP = 0.5
"""A cap on the feedback's price fall in any one year (no reading of the sources comes near it)."""


# ----------------------------------------------------------------------------- source figures


def _val(name: str, to_unit: str | None = None, **where) -> float:
    return lookup.value(name, to_unit, **where)


@lru_cache(maxsize=1)
def _inputs_cached(stamp: tuple) -> dict:
    o = disposals.official_npl()
    d = disposals.disposal_bounds()
    jri = _val("npl_banking_system", indicator="npl_ratio", estimator="Japan Research Institute")
    shares = data.load("retail_npl_share").pivot(index="product", columns="period", values="value")
    rate = _val("policy_indicators", indicator="mortgage_rate_first_avg")
    lpr_cut_bp = _val("policy_indicators", indicator="lpr_5y_cut_feb2024")
    return {
        # bad loans, 001 para 2 and 000 zh para 2
        "stock_trn": o["balance_trn"],
        "stock_change_q3_trn": o["change_trn"],
        "official_ratio": o["ratio_pct"] / 100,
        "previous_ratio": o["previous_ratio_pct"] / 100,
        "jri_ratio": jri / 100,
        "disposals_2024_trn": d["latest"],
        "disposals_floor_trn": d["floor"],
        "disposals_growth": d["growth_pct"] / 100,
        "disposals_2023_implied_trn": d["implied_2023"],
        # buffers: 002 §三.3 para 2, 001 para 3
        "coverage": retail.fact("provision_coverage", "ratio"),
        "excess_provisions_trn": retail.fact("excess_provisions", "CNY_trn"),
        "roa": _val("npl_banking_system", indicator="roa", period="2025Q1-Q3") / 100,
        "roa_2024": _val("npl_banking_system", indicator="roa", period="2024") / 100,
        "roe": _val("npl_banking_system", indicator="roe", period="2025Q1-Q3") / 100,
        # collateral: 001 para 10-12, 16; 000 zh para 1
        "auction_supply_month": _val("npl_market_context", "homes", indicator="auction_supply"),
        "auction_start_discount": _val("npl_market_context", indicator="auction_start_discount") / 100,
        "auction_final_discount": _val("npl_market_context", indicator="auction_final_discount") / 100,
        "listing_discount": _val("npl_market_context", indicator="bank_listing_discount") / 100,
        "half_price": 1
        - _val("npl_collateral_examples", example_id="heilongjiang_sale", measure="price_to_market") / 100,
        "bank_homes": _val("npl_bank_home_sales", "homes", row_type="total", indicator="homes"),
        # the market: 003 §一(二)
        "sales_area_q1_m2": _val(
            "housing_sales", "m2", indicator="sales_area", scope="total", period="2024Q1", measure="level"
        ),
        "sales_value_q1_yuan": _val(
            "housing_sales", "CNY", indicator="sales_value", scope="total", period="2024Q1", measure="level"
        ),
        # retail: 002 图表6 and the retail chapter's implied mortgage book
        "secured_share": (shares.loc["mortgage", "1H25"] + shares.loc["business", "1H25"]) / 100,
        "mortgage_book_trn": units.convert(retail.industry_mortgage_balance_100m(), "CNY_100m", "CNY_trn"),
        # policy: 003 §二(一), §四(三)
        "mortgage_rate_pct": rate,
        "lpr_cut_pp": -units.convert(lpr_cut_bp, "bp", "pp"),
        "tradein_cities": _val("policy_indicators", indicator="tradein_cities"),
        "tradein_city_homes": _val("policy_indicators", indicator="tradein_m2_zhengzhou_year"),
    }


def inputs() -> dict:
    """Every source figure the chapter uses, in model units (fractions, CNY trn, homes)."""
    stamp = tuple(sorted((p.name, p.stat().st_mtime) for p in data.data_dir().glob("*.csv")))
    return dict(_inputs_cached(stamp))


def loans_trn() -> float:
    """Commercial banks' loan book the Q3 2025 stock and ratio imply: ``L = S / r0`` (CNY trn)."""
    i = inputs()
    return i["stock_trn"] / i["official_ratio"]


# ----------------------------------------------------------------------------- assumptions


@dataclass(frozen=True)
class Assumption:
    """One link the sources do not give: the book's default, its range, and why."""

    name: str
    label: str
    default: float
    low: float
    high: float
    unit: str
    reason: str
    drawn: bool  # drawn in the Monte Carlo


def assumptions() -> list[Assumption]:
    """The book's assumptions, defaults and ranges (several anchored on source figures)."""
    i = inputs()
    rs = retail.published_scenario()
    lo_lgd = i["listing_discount"]
    hi_lgd = i["half_price"]
    return [
        Assumption(
            "hidden_ratio",
            "Hidden NPL ratio (share of loans)",
            i["jri_ratio"],
            i["official_ratio"],
            i["jri_ratio"],
            "fraction",
            "Between the official ratio (no hidden bad loans) and the Japan Research Institute's "
            "estimate; the estimate's scope and method are not given.",
            True,
        ),
        Assumption(
            "lgd",
            "Loss given default",
            i["auction_final_discount"],
            lo_lgd,
            hi_lgd,
            "fraction",
            "Bracketed by the collateral evidence: the discount on bank-listed homes (low), the "
            "average final auction discount (default) and half-price sales (high). Assumes a bad "
            "loan is about as large as its collateral's market value.",
            True,
        ),
        Assumption(
            "response",
            "Price fall per unit of extra supply (ε)",
            1.0,
            0.0,
            3.0,
            "ratio",
            "The sources give none. 0 switches the price effect off; 1 lets supply of 1 % of a year's "
            "national new-home sales cut prices 1 %; up to 3 because the collateral sits in weaker "
            "local markets, where auctions were not clearing even at a discount.",
            True,
        ),
        Assumption(
            "conversion",
            "Share of newly high-LTV mortgages that go bad",
            0.5,
            0.0,
            1.0,
            "fraction",
            "The report treats the high-LTV share as an upper bound on mortgage bad loans (1) and "
            "says high LTV need not mean default; we take the middle.",
            True,
        ),
        Assumption(
            "price_decline",
            "Tier-3/4 price fall, 2021 to now",
            rs.price_decline,
            0.2,
            0.4,
            "fraction",
            "The retail chapter's default (the middle row of the report's LTV table), ±10 points.",
            True,
        ),
        Assumption(
            "extra_decline_2027",
            "Further price fall to 2027, before the feedback",
            rs.extra_decline_2027,
            0.1,
            0.3,
            "fraction",
            "The report's assumed further fall, ±10 points.",
            True,
        ),
        Assumption(
            "exposure_years",
            "Years over which hidden bad loans are recognised",
            rs.exposure_years,
            4.0,
            8.0,
            "years",
            "The report spreads extra mortgage bad loans over six years; we allow four to eight.",
            True,
        ),
        Assumption(
            "loan_share_of_assets",
            "Loans as a share of bank assets",
            0.55,
            0.5,
            0.6,
            "fraction",
            "Not in the sources; needed to turn the return on assets into yearly earnings. "
            "Checked against the profit base the retail report's own ratios imply.",
            True,
        ),
        Assumption(
            "home_size_m2",
            "Floor area of a home (m²)",
            100.0,
            90.0,
            120.0,
            "m2",
            "Not in the sources; turns new-home sales (in m²) into homes. The 105 m² home sold "
            "at half price lies inside the range.",
            False,
        ),
        Assumption(
            "demand_response",
            "Rise in home purchases per unit fall in the monthly payment (η)",
            1.0,
            0.0,
            2.0,
            "ratio",
            "The sources give none; 1 means a payment 1 % lower brings 1 % more buyers.",
            False,
        ),
        Assumption(
            "subsidy_pp",
            "Interest subsidy on new first-home loans (points)",
            1.0,
            0.0,
            3.0,
            "pp",
            "Proposed without a size; the policy chapter's default.",
            False,
        ),
        Assumption(
            "term_years",
            "Mortgage term for the payment arithmetic (years)",
            30.0,
            10.0,
            30.0,
            "years",
            "The policy chapter's default; the longest term the sources mention.",
            False,
        ),
    ]


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


def defaults() -> dict:
    return {a.name: a.default for a in assumptions()}


# ----------------------------------------------------------------------------- stock and flow


def stock_flow() -> pd.DataFrame:
    """The identity ``N = ΔS + D`` on what the sources give (CNY trn and % of loans).

    2024: disposals as printed; the stock's change in 2024 is not printed, so it is bounded by
    zero and four times the rise of Q3 2025 (a book assumption). Q3 2025: the stock and its
    quarterly change as printed; that quarter's disposals are not given.
    """
    i = inputs()
    book = loans_trn()
    d24 = i["disposals_2024_trn"]
    q = i["stock_change_q3_trn"]
    rows = []
    for label, ds in (("2024, stock unchanged", 0.0), ("2024, stock up 4 × the Q3 2025 rise", 4 * q)):
        s1 = i["stock_trn"]
        s0 = s1 - ds
        n = cm.new_npl_from_stocks(s0, s1, d24)
        rows.append(
            {
                "case": label,
                "stock_start": s0,
                "new_npl": n,
                "disposals": d24,
                "stock_end": s1,
                "residual": cm.identity_residual(s0, n, d24, s1),
                "new_pct_loans": 100 * n / book,
                "disposals_pct_loans": 100 * d24 / book,
            }
        )
    return pd.DataFrame(rows)


def projection(sc: dict, total_new: float) -> pd.DataFrame:
    """Stock, ratio and identity residual by year when the hidden loans are recognised.

    Each year brings the 2024 pace of new bad loans (disposals with an unchanged stock) plus an
    even share of ``total_new`` over the exposure years; disposals stay at the 2024 level.
    ``S_t = S_{t-1} + N_t - D_t``, checked year by year with :func:`cm.identity_residual`.
    """
    i = inputs()
    years = np.arange(START_YEAR, START_YEAR + 8)
    t = np.arange(1, len(years) + 1)
    extra = np.diff(cm.exposure_path(total_new, sc["exposure_years"], np.r_[0, t]))
    new = i["disposals_2024_trn"] + extra
    disp = np.full_like(new, i["disposals_2024_trn"])
    stocks = cm.roll_stock(i["stock_trn"], new, disp)
    starts = np.r_[i["stock_trn"], stocks[:-1]]
    resid = cm.identity_residual(starts, new, disp, stocks)
    return pd.DataFrame(
        {
            "year": years,
            "stock_start": starts,
            "new_npl": new,
            "disposals": disp,
            "stock_end": stocks,
            "residual": resid,
            "ratio_pct": 100 * stocks / loans_trn(),
        }
    )


# ----------------------------------------------------------------------------- the retail model, as a lookup


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
def _high_ltv_steps(prepayment: float, tol: float = 1e-9) -> tuple:
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
    rate (:func:`_high_ltv_steps`), then looked up, for one fall or an array of them.
    """
    p = retail.published_scenario().prepayment if prepayment is None else prepayment
    xs, vs = _high_ltv_steps(float(p))
    return cm.step_lookup(np.array(xs), np.array(vs), total_decline)


# ----------------------------------------------------------------------------- one scenario


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


def reach_market() -> float:
    """Calibration: homes reaching auction per unit of home-secured bad loans disposed of.

    ``k = 12 × June 2025 auction supply / (s × D_2024)`` homes per CNY trn, with ``s`` the
    secured share; applied to new bad loans it assumes they bring collateral to market at the
    2024 pace. June was the year's high, so this leans to more homes, not fewer.
    """
    i = inputs()
    return 12 * i["auction_supply_month"] / (i["secured_share"] * i["disposals_2024_trn"])


def _solve(sc: dict, levers: dict, feedback: bool, hidden: np.ndarray | float):
    """Extra fall and extra mortgage bad loans (CNY trn) for one or many hidden gaps."""
    i = inputs()
    base_total = cm.combine_falls(sc["price_decline"], sc["extra_decline_2027"])
    h0 = high_ltv_share_2027(base_total)

    def extra_mortgage(delta):
        h = high_ltv_share_2027(cm.combine_falls(base_total, delta))
        return sc["conversion"] * (np.asarray(h) - h0) * i["mortgage_book_trn"]

    if not feedback:
        z = np.zeros_like(np.asarray(hidden, dtype=float))
        return (float(z) if z.ndim == 0 else z), (float(z) if z.ndim == 0 else z), 0
    # homes per CNY trn of secured bad loans: k; expressed as loan per home 1/k with q = 1
    return cm.feedback_fixed_point(
        i["secured_share"] * np.asarray(hidden, dtype=float),
        1.0 / reach_market(),
        1.0,
        absorption(sc, levers),
        sc["response"],
        YEARS_TO_2027,
        sc["exposure_years"],
        extra_mortgage,
    )


def run(
    params: dict | None = None, levers: dict | None = None, feedback: bool = True, with_retail: bool = True
) -> dict:
    """Everything the chapter shows for one scenario (``params`` overrides :func:`defaults`).

    ``with_retail=False`` skips the retail chapter's full run and the projection (the losses do
    not need them); the policy table uses it.
    """
    sc = {**defaults(), **(params or {})}
    levers = {k: bool((levers or {}).get(k, False)) for k in POLICY_LEVERS}
    i = inputs()
    book = loans_trn()
    gap = cm.hidden_gap(book, i["official_ratio"], sc["hidden_ratio"])
    delta, extra_m, rounds = _solve(sc, levers, feedback, gap)
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


# ----------------------------------------------------------------------------- frontier and sliders


def hidden_ratio_grid(low_pct: float = 1.5, top_pct: float = 10.0, step_pp: float = 0.1) -> np.ndarray:
    """Hidden ratios (fractions) from ``low_pct`` to ``top_pct`` every ``step_pp`` points; those at or
    below the official ratio leave no gap."""
    n = int(round((top_pct - low_pct) / step_pp)) + 1
    return np.round(low_pct + step_pp * np.arange(n), 6) / 100


RESPONSES = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
"""Price responses (ε) on the slider chart's grid."""
HARSHER = {"price_decline": 0.4, "extra_decline_2027": 0.3, "response": 3.0}
"""A harsher case: the upper ends of the price assumptions' ranges."""


def slider_grid(responses=RESPONSES) -> pd.DataFrame:
    """Bad loans (CNY trn) on a grid of hidden ratio × price response × policy, other inputs at default.

    The page's slider chart multiplies by the reader's loss-given-default in the browser; every
    other number is computed here.
    """
    sc = defaults()
    i = inputs()
    book = loans_trn()
    hs = hidden_ratio_grid()
    gaps = cm.hidden_gap(book, i["official_ratio"], hs)
    rows = []
    for policy in (False, True):
        levers = {k: policy for k in POLICY_LEVERS}
        for eps in responses:
            delta, m, _ = _solve({**sc, "response": eps}, levers, eps > 0, gaps)
            for h, g, dl, mm in zip(hs, gaps, np.broadcast_to(delta, hs.shape), np.broadcast_to(m, hs.shape)):
                sec = i["secured_share"] * g + mm
                rows.append(
                    {
                        "hidden_pct": round(100 * h, 4),
                        "response": eps,
                        "policy": policy,
                        "gap_trn": g,
                        "extra_mortgage_trn": mm,
                        "bad_trn": g + mm,
                        "unsecured_trn": g + mm - sec,
                        "secured_trn": sec,
                        "extra_fall": dl,
                    }
                )
    return pd.DataFrame(rows)


def frontier(lgds=None) -> pd.DataFrame:
    """Losses and years of earnings across hidden ratios, for the low, default and high LGD."""
    sc = defaults()
    i = inputs()
    lgds = lgds or {
        "low": i["listing_discount"],
        "default": i["auction_final_discount"],
        "high": i["half_price"],
    }
    g = slider_grid(responses=(sc["response"],))
    g = g[~g["policy"]]
    earn = cm.yearly_earnings(i["roa"], loans_trn(), sc["loan_share_of_assets"])
    out = []
    for name, lam in lgds.items():
        losses = cm.loss_with_collateral(
            g["unsecured_trn"].to_numpy(), g["secured_trn"].to_numpy(), lam, g["extra_fall"].to_numpy()
        )
        out.append(
            pd.DataFrame(
                {
                    "hidden_pct": g["hidden_pct"],
                    "lgd_case": name,
                    "lgd_pct": 100 * lam,
                    "loss_trn": losses,
                    "years_after_excess": cm.years_of_earnings(losses, i["excess_provisions_trn"], earn),
                }
            )
        )
    return pd.concat(out, ignore_index=True)


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


def break_even_ratio(buffer_trn: float, lgd: float) -> float:
    """Hidden ratio at which losses without feedback equal a buffer: ``r0 + B / (λ L)`` (fraction)."""
    i = inputs()
    return i["official_ratio"] + checks.non_negative("buffer_trn", buffer_trn) / (
        checks.positive("lgd", lgd) * loans_trn()
    )


# ----------------------------------------------------------------------------- Monte Carlo


def monte_carlo(
    draws: int = 10_000,
    seed: int = 20251129,
    levers: dict | None = None,
    feedback: bool = True,
    shifts: dict | None = None,
) -> dict:
    """Draw the uncertain assumptions from their ranges and run the loop for every draw at once.

    Uniform draws on each range, except the loss-given-default: triangular on its range,
    peaking at the final auction discount. ``shifts`` adds a fixed amount to a drawn assumption
    after the draw (the same draws, moved: for sensitivity and for the tests). Returns the draws
    and results as arrays.
    """
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    rng = np.random.default_rng(seed)
    sc = defaults()
    levers = {k: bool((levers or {}).get(k, False)) for k in POLICY_LEVERS}
    i = inputs()
    book = loans_trn()
    a = {x.name: x for x in assumptions()}
    d = {}
    for name in (
        "hidden_ratio",
        "response",
        "conversion",
        "price_decline",
        "extra_decline_2027",
        "exposure_years",
        "loan_share_of_assets",
    ):
        d[name] = rng.uniform(a[name].low, a[name].high, draws)
    d["lgd"] = cm.triangular(rng, a["lgd"].low, a["lgd"].default, a["lgd"].high, draws)
    for name, amount in (shifts or {}).items():
        if name not in d:
            raise ValueError(f"shifts: {name!r} is not a drawn assumption; drawn: {sorted(d)}")
        d[name] = d[name] + checks.number(f"shifts[{name!r}]", amount)
    gap = cm.hidden_gap(book, i["official_ratio"], d["hidden_ratio"])
    base_total = cm.combine_falls(d["price_decline"], d["extra_decline_2027"])
    h0 = high_ltv_share_2027(base_total)

    def extra_mortgage(delta):
        return (
            d["conversion"]
            * (high_ltv_share_2027(cm.combine_falls(base_total, delta)) - h0)
            * i["mortgage_book_trn"]
        )

    if feedback:
        delta, m, rounds = cm.feedback_fixed_point(
            i["secured_share"] * gap,
            1.0 / reach_market(),
            1.0,
            absorption(sc, levers),
            d["response"],
            YEARS_TO_2027,
            d["exposure_years"],
            extra_mortgage,
        )
    else:
        delta, m, rounds = np.zeros(draws), np.zeros(draws), 0
    secured = i["secured_share"] * gap + m
    losses = cm.loss_with_collateral(gap + m - secured, secured, d["lgd"], delta)
    earn = cm.yearly_earnings(i["roa"], book, d["loan_share_of_assets"])
    years = np.arange(0, 9)
    path = cm.exposure_path(losses, d["exposure_years"], years)
    return {
        "draws": d,
        "gap": gap,
        "extra_fall": delta,
        "extra_mortgage": m,
        "loss": losses,
        "earnings": earn,
        "years": START_YEAR - 1 + years,
        "path": path,
        "rounds": rounds,
        "excess": i["excess_provisions_trn"],
        "provisions": cm.provisions(i["stock_trn"], i["coverage"]),
    }


def exceedance(mc: dict) -> pd.DataFrame:
    """Probability that losses exceed each buffer (share of draws, %)."""
    loss, earn = mc["loss"], mc["earnings"]
    ex, prov = mc["excess"], mc["provisions"]
    rows = [
        ("Provisions above 150 % cover", loss > ex),
        ("Those, plus one year of profit", loss > ex + earn),
        ("Those, plus three years of profit", loss > ex + 3 * earn),
        ("All provisions", loss > prov),
        (
            "All provisions, plus the profit of the recognition years",
            loss > prov + earn * mc["draws"]["exposure_years"],
        ),
    ]
    return pd.DataFrame(
        {"Losses exceed": [r[0] for r in rows], "Probability (%)": [100 * float(np.mean(r[1])) for r in rows]}
    ).set_index("Losses exceed")


def fan(mc: dict, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Quantiles of cumulative losses by year (CNY trn), one row per year."""
    q = np.quantile(mc["path"], quantiles, axis=0)
    out = pd.DataFrame({"year": mc["years"]})
    for qq, row in zip(quantiles, q):
        out[f"q{int(round(qq * 100)):02d}"] = row
    return out


# ----------------------------------------------------------------------------- parameters


PARAMETER_RANGES = {
    "hidden_ratio_pct": (0.0, 20.0),
    "lgd_pct": (0.0, 100.0),
    "price_response": (0.0, 5.0),
    "extra_decline_2027_pct": (0.0, 80.0),
    "conversion_pct": (0.0, 100.0),
    "draws": (10_000, 200_000),
    "seed": (0, 2**32 - 1),
}
SWITCHES = ("feedback", "rate_cut", "tradein", "payment_subsidy")


def check_parameters(**values) -> dict:
    """Check the chapter's papermill parameters; return ``{"params", "levers", "feedback", "draws", "seed"}``.

    Numbers must lie in :data:`PARAMETER_RANGES` (``None`` = the book's default), switches must
    be ``True`` or ``False``. Raises :class:`helpers.book.checks.ParameterError` naming the parameter.
    """
    known = set(PARAMETER_RANGES) | set(SWITCHES)
    unknown = set(values) - known
    if unknown:
        raise checks.ParameterError(f"unknown parameter(s) {sorted(unknown)}; known: {sorted(known)}")
    for name in SWITCHES:
        if name in values and not isinstance(values[name], bool):
            raise checks.ParameterError(f"parameter {name!r} must be True or False, got {values[name]!r}")
    got = {}
    for name, (lo, hi) in PARAMETER_RANGES.items():
        v = values.get(name)
        if v is not None:
            got[name] = checks.check_range(name, v, lo, hi)
    for name in ("draws", "seed"):
        if name in got and got[name] != int(got[name]):
            raise checks.ParameterError(f"parameter {name!r} must be a whole number, got {values[name]!r}")
    i = inputs()
    if "hidden_ratio_pct" in got and got["hidden_ratio_pct"] / 100 < i["official_ratio"]:
        raise checks.ParameterError(
            f"parameter 'hidden_ratio_pct' = {got['hidden_ratio_pct']} is below the official ratio "
            f"({100 * i['official_ratio']:.2f} %): a hidden ratio cannot be lower than the reported one"
        )
    params = {}
    for src, dst in (
        ("hidden_ratio_pct", "hidden_ratio"),
        ("lgd_pct", "lgd"),
        ("conversion_pct", "conversion"),
        ("extra_decline_2027_pct", "extra_decline_2027"),
    ):
        if src in got:
            params[dst] = float(units.convert(got[src], "pct", "ratio"))
    if "price_response" in got:
        params["response"] = got["price_response"]
    return {
        "params": params,
        "levers": {k: bool(values.get(k, False)) for k in POLICY_LEVERS},
        "feedback": bool(values.get("feedback", True)),
        "draws": int(got.get("draws", 10_000)),
        "seed": int(got.get("seed", 20251129)),
    }


# ----------------------------------------------------------------------------- the page's numbers


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
    xs, vs = _high_ltv_steps(float(retail.published_scenario().prepayment))
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


def retail_profit_base_trn() -> float:
    """The 26E pre-tax profit of listed banks that the retail report's own figures imply (CNY trn):
    its 26E rise in business-loan bad loans (图表7) over the share of profit it says that is (§四.4).
    The retail chapter shows the same figure and its clash with the net-profit base."""
    amounts = retail.npl_amounts()
    rise = units.convert(amounts.loc["business", "26E"] - amounts.loc["business", "25E"], "CNY_mn", "CNY_trn")
    return float(rise / retail.fact("stress_business_share_pretax_profit", "ratio"))


def verdicts(result: dict) -> dict[str, str]:
    """Clauses of the prose whose wording depends on this run's numbers (glued as text)."""
    loss, prov = result["loss_trn"], result["provisions_trn"]
    over = result["years_after_excess"] > 0
    return {
        "v_excess": (
            "more than the provisions banks hold above the 150 % coverage floor, and the rest would take"
            if over
            else "within the provisions banks hold above the 150 % coverage floor, so it would take"
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


def stock_flow_table() -> pd.DataFrame:
    """:func:`stock_flow` as the page shows it (CNY trn, % of loans)."""
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
        "Provisions above 150 % cover": excess,
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


def frontier_settings(result: dict) -> dict:
    """Data and constants of :func:`figures.frontier_chart`; its sliders start at this run's settings.

    The chart computes the loss in the browser from the hidden gap with the same formulas as
    :func:`run` (collateral homes, price fall, loss with collateral), other assumptions at the
    book's defaults. That is exact only while no mortgage cohort crosses the high-LTV line
    anywhere on the sliders' range; this is checked here on the whole grid, and a test compares
    the chart's formula with :func:`slider_grid`.
    """
    i = inputs()
    sc, d = result["params"], defaults()
    grid = slider_grid()
    if (grid["extra_mortgage_trn"] > 0).any():
        raise ValueError(
            "the slider chart's formula assumes no mortgage cohort crosses the high-LTV line on its "
            "range, but some do at the book's defaults: precompute the loop instead"
        )
    coef = {}
    for pol in (False, True):
        a = absorption(d, {k: pol for k in POLICY_LEVERS})
        coef[pol] = reach_market() * i["secured_share"] / (d["exposure_years"] * a)
    rows = grid[(grid["response"] == RESPONSES[0]) & (~grid["policy"])][["hidden_pct", "gap_trn"]]
    return {
        "rows": rows.round({"hidden_pct": 2, "gap_trn": 6}).reset_index(drop=True),
        "official_pct": 100 * i["official_ratio"],
        "default_hidden_pct": min(max(100 * sc["hidden_ratio"], 1.5), 10.0),
        "lgd": {
            "low": i["listing_discount"],
            "default": min(max(sc["lgd"], i["listing_discount"]), i["half_price"]),
            "high": i["half_price"],
        },
        "default_response": float(min(RESPONSES, key=lambda r: abs(r - sc["response"]))),
        "responses": list(RESPONSES),
        "secured_share": i["secured_share"],
        "homes_share_per_trn": coef,
        "years_of_sales": YEARS_TO_2027,
        "yearly_cap": YEARLY_FALL_CAP,
        "excess": result["excess_provisions_trn"],
        "provisions": result["provisions_trn"],
        "earnings": result["earnings_trn"],
    }


def frontier_loss(settings: dict, gap, lgd: float, response: float, policy: bool):
    """The slider chart's loss formula, in Python (the test holds the two equal):
    ``x = c·G``, ``Δ = 1 - (1 - min(ε x, cap))^n``, loss ``= λ (1 - s) G + (1 - (1 - λ)(1 - Δ)) s G``."""
    s = settings["secured_share"]
    x = settings["homes_share_per_trn"][policy] * np.asarray(gap, dtype=float)
    delta = 1 - (1 - np.minimum(response * x, settings["yearly_cap"])) ** settings["years_of_sales"]
    return lgd * (1 - s) * gap + (1 - (1 - lgd) * (1 - delta)) * s * gap


def policy_display(policy: pd.DataFrame) -> pd.DataFrame:
    """:func:`policy_table` as the page shows it."""
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
