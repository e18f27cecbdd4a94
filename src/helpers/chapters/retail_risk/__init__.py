"""The retail-risk chapter: Zhongtai's framework for banks' four retail assets, made executable.

This module assembles the chapter's tables from ``data/retail_*`` and the pure models in
:mod:`helpers.retail_mortgage` and :mod:`helpers.retail_stress`:

* :class:`Scenario` — the reader's assumptions (fractions), :func:`scenario` builds one from
  the chapter's percent parameters, with ``None`` meaning "the report's assumption";
* :func:`run` — everything the chapter shows for one scenario (LTVs, high-LTV balances, the
  mortgage NPL path, the 2025E/2026E stress test);
* :func:`ledger_checks` — every published cell recomputed, always with the report's own
  assumptions (never the reader's scenario).

Assumptions the report does not print but its tables imply (found by reproducing 图表19–22)
are module constants, each with the evidence in the chapter: :data:`INITIAL_LTV` and
:data:`HORIZON_YEARS`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from helpers.book import data, lookup, units
from helpers.book import ledger as book_ledger
from helpers.models import mortgage_ltv as rm
from helpers.models import stress as rs

CHAPTER = "retail"
SEED = "002_618ba3871ebc0b54.txt"
PRODUCTS = ["mortgage", "credit_card", "consumer", "business"]
PRODUCT_EN = {
    "mortgage": "Mortgages",
    "credit_card": "Credit cards",
    "consumer": "Consumer loans",
    "business": "Business loans",
    "retail_total": "Retail total",
}

INITIAL_LTV = 0.70
"""Loan-to-value at origination. Not printed; the 0 %-prepayment column of 图表19 implies it
(see :func:`implied_initial_ltv`: every cell gives 0.69–0.71)."""

HORIZON_YEARS = {("2021", "current"): 4, ("2021", "2027"): 6, ("2022", "2027"): 5, ("2023", "2027"): 4}
"""Whole years of repayment behind each LTV table: 'current' (当前) is end-2025, four years after
2021; 2027 tables count years from the origination year."""

COHORT_DECLINE_OFFSET = {"2021": 0.0, "2022": 0.10, "2023": 0.20}
"""Our reading of 图表21: its three panels print price-decline rows starting 10 pp lower for each
later cohort (30/20/10 %), so a later cohort has seen that much less of the fall."""


# ----------------------------------------------------------------------------- data access


def facts() -> dict[str, dict]:
    """``retail_facts`` as ``{indicator: row}``."""
    frame = data.load("retail_facts")
    return {r["indicator"]: r for r in frame.to_dict("records")}


def fact(indicator: str, to_unit: str | None = None, field: str = "value") -> float:
    """One ``retail_facts`` figure, optionally converted to ``to_unit`` (:func:`helpers.book.lookup.value`)."""
    return lookup.value("retail_facts", to_unit, field, indicator=indicator)


def _pivot(name: str, column: str = "period") -> pd.DataFrame:
    frame = data.load(name)
    return frame.pivot(index="product", columns=column, values="value")


def npl_ratios() -> pd.DataFrame:
    """Published NPL ratios (pct), products × periods (图表3/7)."""
    return _pivot("retail_npl_ratio")


def npl_amounts() -> pd.DataFrame:
    """Published NPL amounts (CNY_mn), products incl. retail_total × periods (图表7)."""
    return _pivot("retail_npl_amount")


def npl_increases() -> pd.DataFrame:
    """Published half-yearly net NPL increases (CNY_mn), products × period end (图表5)."""
    return _pivot("retail_npl_increase")


def scenario_table() -> pd.DataFrame:
    """图表26 as scenario × indicator (values as printed)."""
    return data.load("retail_mortgage_scenarios").pivot(index="scenario", columns="indicator", values="value")


def implied_initial_ltv() -> pd.Series:
    """L0 each 0 %-prepayment cell of 图表19 implies: ``LTV * (1 - d) / (1 - a*n)``, n = 4."""
    ltv = data.load("retail_mortgage_ltv")
    sel = ltv[(ltv["cohort"] == 2021) & (ltv["horizon"] == "current") & (ltv["prepayment"] == 0)]
    a = fact("amortisation_rate", "ratio")
    n = HORIZON_YEARS[("2021", "current")]
    vals = sel["ltv"] / 100 * (1 - sel["price_decline"] / 100) / rm.remaining_fraction(n, 0, a)
    return pd.Series(vals.to_numpy(), index=sel["price_decline"].to_numpy(), name="implied L0")


def industry_mortgage_balance_100m() -> float:
    """Total mortgage balance (亿元) implied by 图表26's international-comparison column:
    ``M = extra NPL / (final - current ratio)`` — the report does not print it."""
    t = scenario_table().loc["international"]
    return rm.implied_balance(t["extra_npl"], t["final_npl_ratio"] / 100, t["npl_ratio_1h25"] / 100)


def listed_balances_trn() -> pd.DataFrame:
    """Loan balances (CNY trn) implied by each published NPL amount and ratio: ``A / r``."""
    amounts, ratios = npl_amounts(), npl_ratios()
    out = pd.DataFrame(index=PRODUCTS, columns=ratios.columns, dtype=float)
    for p in PRODUCTS:
        for per in ratios.columns:
            bal = rs.implied_balance(amounts.loc[p, per], ratios.loc[p, per] / 100)
            out.loc[p, per] = units.convert(bal, "CNY_mn", "CNY_trn")
    return out


def tier34_issuance_trn() -> dict[str, float]:
    """Tier-3/4 mortgage issuance by cohort (CNY trn): 2021 as printed (1.82); 2022 and 2023 are
    not printed and are implied by 图表22's 0 %-prepayment balances."""
    bal = data.load("retail_mortgage_balance")
    a = fact("amortisation_rate", "ratio")
    out = {"2021": fact("tier34_issuance_2021")}
    for c in ("2022", "2023"):
        row = bal[(bal["cohort"] == c) & (bal["prepayment"] == 0) & (bal["indicator"] == "balance")].iloc[0]
        out[c] = rm.implied_issuance(float(row["value"]), HORIZON_YEARS[(c, "2027")], 0.0, a)
    return out


# ----------------------------------------------------------------------------- scenario


@dataclass(frozen=True)
class Scenario:
    """The reader's assumptions, all fractions except ``exposure_years``."""

    price_decline: float  # tier-3/4 price fall since 2021, to now
    extra_decline_2027: float  # further fall from now to 2027
    prepayment: float  # annual prepayment rate
    final_mortgage_npl: float  # mortgage NPL ratio finally reached
    exposure_years: float  # years over which the extra mortgage NPL is exposed
    card_uplift: float  # card half-yearly NPL increase above 1H25
    business_multiplier: float  # × the 1H25 business-loan increase, each half-year
    consumer_multiplier: float  # × the consumer tier stress of 2026


def published_scenario() -> Scenario:
    """The report's assumptions, read from ``data/``.

    The report gives no single price decline: we default to the middle row of 图表19 (30 %),
    and to the prepayment rate (7.5 %) at which 图表20 gives the printed midpoint (2.9 %).
    """
    ltv = data.load("retail_mortgage_ltv")
    rows19 = sorted(ltv[(ltv["cohort"] == 2021) & (ltv["horizon"] == "current")]["price_decline"].unique())
    bal = data.load("retail_mortgage_balance")
    mid = fact("high_ltv_share_now")
    share20 = bal[(bal["cohort"] == "2021") & (bal["indicator"] == "share_of_total_mortgage")]
    prepay = float(share20.loc[(share20["value"] - mid).abs().idxmin(), "prepayment"])
    return Scenario(
        price_decline=rows19[len(rows19) // 2] / 100,
        extra_decline_2027=fact("extra_decline_to_2027", "ratio"),
        prepayment=prepay / 100,
        final_mortgage_npl=fact("mortgage_final_npl_ratio", "ratio"),
        exposure_years=fact("mortgage_exposure_years"),
        card_uplift=fact("stress_card_uplift", "ratio"),
        business_multiplier=1.0,
        consumer_multiplier=1.0,
    )


def scenario(
    price_decline_pct=None,
    extra_decline_2027_pct=None,
    prepayment_pct=None,
    final_mortgage_npl_pct=None,
    exposure_years=None,
    card_uplift_pct=None,
    business_multiplier=None,
    consumer_multiplier=None,
) -> Scenario:
    """A :class:`Scenario` from the chapter's parameters (percent); ``None`` = the report's value."""
    base = asdict(published_scenario())
    given = {
        "price_decline": price_decline_pct,
        "extra_decline_2027": extra_decline_2027_pct,
        "prepayment": prepayment_pct,
        "final_mortgage_npl": final_mortgage_npl_pct,
        "card_uplift": card_uplift_pct,
    }
    for key, pct in given.items():
        if pct is not None:
            base[key] = units.convert(float(pct), "pct", "ratio")
    for key, val in (
        ("exposure_years", exposure_years),
        ("business_multiplier", business_multiplier),
        ("consumer_multiplier", consumer_multiplier),
    ):
        if val is not None:
            base[key] = float(val)
    return Scenario(**base)


# ----------------------------------------------------------------------------- models on data


def consumer_tier_stress(multiplier: float = 1.0) -> pd.DataFrame:
    """图表17's 2026 stress: listed banks' new consumer NPL per customer group (亿元).

    Own-brand (自营) loans are listed banks' consumer loans (图表10) minus their internet loans
    (图表16); the internet tiers use 图表17's own balances and ratios.
    """
    lend = data.load("retail_internet_lending").set_index("tier")
    market = data.load("retail_consumer_market").set_index("lender")
    own_balance = market.loc["listed_banks", "balance"] - lend.loc["total", "listed_funded"]
    rows = [
        (
            "own_brand",
            own_balance,
            fact("stress_consumer_own_ratio_now"),
            fact("stress_consumer_own_ratio_26e"),
        )
    ]
    for tier in ("lt18", "18_24"):
        rows.append(
            (
                tier,
                lend.loc[tier, "listed_funded"],
                lend.loc[tier, "current_npl_ratio"],
                lend.loc[tier, "stress_npl_ratio_26e"],
            )
        )
    out = pd.DataFrame(rows, columns=["group", "balance_100m", "ratio_now_pct", "ratio_26e_pct"])
    out["new_npl_100m"] = [
        rs.stressed_increase(b, r0 / 100, r1 / 100, multiplier)
        for b, r0, r1 in zip(out["balance_100m"], out["ratio_now_pct"], out["ratio_26e_pct"])
    ]
    return out


def listed_bank_share() -> float:
    """Listed banks' share of commercial banks' consumer loans (图表10): ``λ = listed / all banks``."""
    m = data.load("retail_consumer_market").set_index("lender")
    return rs.share(m.loc["listed_banks", "balance"], m.loc["commercial_banks", "balance"])


def internet_lending_model() -> pd.DataFrame:
    """图表16 recomputed: tier shares, bank-funded and listed-funded parts (亿元, %)."""
    lend = data.load("retail_internet_lending").set_index("tier")
    market = data.load("retail_consumer_market").set_index("lender")
    tiers = ["lt18", "18_24", "24_36"]
    vols = [float(lend.loc[t, "matched_volume"]) for t in tiers]
    # funding shares are the table's 测算假设: 50 %, 50 %, 10 % (parsed from the printed text)
    fshare = {t: _funding_share(lend.loc[t, "bank_assumption_zh"]) for t in tiers}
    lam = listed_bank_share()
    out = pd.DataFrame({"tier": tiers, "matched_volume": vols})
    out["matched_share_pct"] = [s * 100 for s in rs.shares(vols)]
    out["bank_funding_share"] = [fshare[t] for t in tiers]
    out["bank_funded"] = [rs.funded(v, fshare[t]) for v, t in zip(vols, tiers)]
    out["bank_share_pct"] = [
        rs.share(b, market.loc["commercial_banks", "balance"]) * 100 for b in out["bank_funded"]
    ]
    out["listed_funded"] = [b * lam if t != "24_36" else 0.0 for b, t in zip(out["bank_funded"], tiers)]
    return out


def _funding_share(text: str) -> float:
    """The percentage in a 测算假设 cell such as '放贷资金50% 来自商业银行', as a fraction."""
    import re

    m = re.search(r"(\d+(?:\.\d+)?)%", str(text))
    if not m:
        raise ValueError(f"no percentage in funding assumption {text!r}")
    return float(m.group(1)) / 100


def run(sc: Scenario | None = None) -> dict:
    """Everything the chapter shows for scenario ``sc`` (the report's when ``None``)."""
    sc = sc or published_scenario()
    a = fact("amortisation_rate", "ratio")
    threshold = fact("high_ltv_threshold", "ratio")
    total_trn = units.convert(industry_mortgage_balance_100m(), "CNY_100m", "CNY_trn")
    issuance = tier34_issuance_trn()

    # --- LTV and high-LTV balances
    decline_2027 = rm.combined_decline(sc.price_decline, sc.extra_decline_2027)
    rows = []
    for (cohort, horizon), years in HORIZON_YEARS.items():
        base = sc.price_decline if horizon == "current" else decline_2027
        d = max(base - COHORT_DECLINE_OFFSET[cohort], 0.0)
        ltv = rm.cohort_ltv(INITIAL_LTV, years, sc.prepayment, d, a)
        bal = rm.cohort_balance(issuance[cohort], years, sc.prepayment, a)
        rows.append(
            dict(
                cohort=cohort,
                horizon=horizon,
                years=years,
                price_decline=d,
                ltv=ltv,
                balance_trn=bal,
                share_of_mortgages=bal / total_trn,
                high_ltv=ltv > threshold,
            )
        )
    cohorts = pd.DataFrame(rows)
    now = cohorts[cohorts["horizon"] == "current"]
    later = cohorts[cohorts["horizon"] == "2027"]
    high_now = rm.high_ltv_balance(now["balance_trn"].tolist(), now["ltv"].tolist(), threshold)
    high_2027 = rm.high_ltv_balance(later["balance_trn"].tolist(), later["ltv"].tolist(), threshold)

    # --- mortgage NPL path (stated schedule: half of 2025, then all of 2026)
    r0 = npl_ratios().loc["mortgage", "1H25"] / 100
    path = rm.npl_ratio_path(r0, sc.final_mortgage_npl, sc.exposure_years, steps=(0.5, 1.0))

    # --- stress test, listed banks
    amounts, inc = npl_amounts(), npl_increases()
    balances = listed_balances_trn()
    consumer = consumer_tier_stress(sc.consumer_multiplier)
    consumer_26 = units.convert(consumer["new_npl_100m"].sum(), "CNY_100m", "CNY_mn")
    mort_bal_mn = units.convert(balances.loc["mortgage", "1H25"], "CNY_trn", "CNY_mn")
    proj = {
        "mortgage": (path[0] * mort_bal_mn, path[1] * mort_bal_mn),
        "credit_card": (
            rs.repeated_increase(
                amounts.loc["credit_card", "1H25"], inc.loc["credit_card", "1H25"], 1, 1 + sc.card_uplift
            ),
            rs.repeated_increase(
                amounts.loc["credit_card", "1H25"], inc.loc["credit_card", "1H25"], 3, 1 + sc.card_uplift
            ),
        ),
        "business": (
            rs.repeated_increase(
                amounts.loc["business", "1H25"], inc.loc["business", "1H25"], 1, sc.business_multiplier
            ),
            rs.repeated_increase(
                amounts.loc["business", "1H25"], inc.loc["business", "1H25"], 3, sc.business_multiplier
            ),
        ),
    }
    c25 = rs.repeated_increase(amounts.loc["consumer", "1H25"], inc.loc["consumer", "1H25"], 1)
    proj["consumer"] = (c25, c25 + consumer_26)
    srows = []
    for p in PRODUCTS:
        for per, amt in zip(("25E", "26E"), proj[p]):
            bal_report = units.convert(balances.loc[p, per], "CNY_trn", "CNY_mn")
            bal_flat = units.convert(balances.loc[p, "1H25"], "CNY_trn", "CNY_mn")
            srows.append(
                dict(
                    product=p,
                    period=per,
                    npl_mn=amt,
                    ratio_report_balance_pct=rs.npl_ratio(amt, bal_report) * 100,
                    ratio_flat_balance_pct=rs.npl_ratio(amt, bal_flat) * 100,
                    published_npl_mn=amounts.loc[p, per],
                    published_ratio_pct=npl_ratios().loc[p, per],
                )
            )
    stress = pd.DataFrame(srows)
    return {
        "scenario": sc,
        "cohorts": cohorts,
        "total_mortgage_trn": total_trn,
        "cohort_share_now": float(now["share_of_mortgages"].sum()),
        "cohort_share_2027": float(later["share_of_mortgages"].sum()),
        "high_ltv_share_now": high_now / total_trn,
        "high_ltv_share_2027": high_2027 / total_trn,
        "mortgage_ratio_25e": path[0],
        "mortgage_ratio_26e": path[1],
        "stress": stress,
        "consumer_tiers": consumer,
    }


def scenario_summary(result: dict) -> pd.DataFrame:
    """One row per headline output of :func:`run`, for the two-scenario comparison and tests."""
    st = result["stress"].set_index(["product", "period"])
    rows = {
        "LTV now, 2021 tier-3/4 cohort (%)": result["cohorts"].iloc[0]["ltv"] * 100,
        "LTV 2027, 2021 cohort (%)": result["cohorts"].iloc[1]["ltv"] * 100,
        "High-LTV balance now, share of mortgages (%)": result["high_ltv_share_now"] * 100,
        "High-LTV balance 2027, share of mortgages (%)": result["high_ltv_share_2027"] * 100,
        "Mortgage NPL ratio 2026E (%)": result["mortgage_ratio_26e"] * 100,
        "Retail NPL 26E (CNY bn)": units.convert(
            st.xs("26E", level="period")["npl_mn"].sum(), "CNY_mn", "CNY_bn"
        ),
    }
    return pd.DataFrame({"output": list(rows), "value": list(rows.values())})


# ----------------------------------------------------------------------------- chapter support

PARAMETER_RANGES = {
    "price_decline_pct": (0, 90),
    "extra_decline_2027_pct": (0, 90),
    "prepayment_pct": (0, 30),
    "final_mortgage_npl_pct": (0, 20),
    "exposure_years": (1, 20),
    "card_uplift_pct": (-100, 500),
    "business_multiplier": (0, 10),
    "consumer_multiplier": (0, 10),
}
"""Allowed range of each chapter parameter (``None`` = the report's assumption is always allowed)."""


def check_parameters(**values) -> Scenario:
    """Check every chapter parameter against :data:`PARAMETER_RANGES`; return the :class:`Scenario`.

    Raises :class:`helpers.params.ParameterError` naming the first bad parameter.
    """
    from helpers.book import checks as params

    unknown = set(values) - set(PARAMETER_RANGES)
    if unknown:
        raise params.ParameterError(
            f"unknown parameter(s) {sorted(unknown)}; known: {sorted(PARAMETER_RANGES)}"
        )
    for name, value in values.items():
        if value is not None:
            params.check_range(name, value, *PARAMETER_RANGES[name])
    return scenario(**values)


def numbers(result: dict) -> dict[str, float]:
    """Numbers the chapter's prose quotes (via glue): published figures and our recomputations."""
    f = {k: v["value"] for k, v in facts().items() if v["value"] is not None and v["value"] == v["value"]}
    ov = data.load("retail_npl_overview").set_index(["indicator", "segment"])["value"]
    r, amounts, inc = npl_ratios(), npl_amounts(), npl_increases()
    bal = listed_balances_trn()
    st = result["stress"].set_index(["product", "period"])
    sc = result["scenario"]
    shares = data.load("retail_npl_share").pivot(index="product", columns="period", values="value")
    lend = data.load("retail_internet_lending").set_index("tier")
    consumer = consumer_tier_stress().set_index("group")
    scen = scenario_table()
    r0 = r.loc["mortgage", "1H25"] / 100
    stated = rm.npl_ratio_path(r0, 0.02, 6, (0.5, 1.0))
    business_26 = units.convert(
        amounts.loc["business", "26E"] - amounts.loc["business", "25E"], "CNY_mn", "CNY_100m"
    )
    checks = book_ledger.collect(["retail"])
    out = {
        "retail_npl": ov[("npl_ratio", "retail")],
        "corporate_npl": ov[("npl_ratio", "corporate")],
        "split_corporate": ov[("npl_stock_split", "corporate")],
        "split_retail": ov[("npl_stock_split", "retail")],
        "sum_product_shares": shares.loc[PRODUCTS, "1H25"].sum(),
        **{f"share_{p}": shares.loc[p, "1H25"] for p in PRODUCTS},
        **{f"incshare_{p}": ov[("npl_increase_share", p)] for p in PRODUCTS},
        **{f"ratio_{p}_1h25": r.loc[p, "1H25"] for p in PRODUCTS},
        **{f"ratio_{p}_25e": r.loc[p, "25E"] for p in PRODUCTS},
        **{f"ratio_{p}_26e": r.loc[p, "26E"] for p in PRODUCTS},
        **{f"flat_{p}_26e": st.loc[(p, "26E"), "ratio_flat_balance_pct"] for p in PRODUCTS},
        **{f"balgrowth_{p}_26e": 100 * (bal.loc[p, "26E"] / bal.loc[p, "1H25"] - 1) for p in PRODUCTS},
        "card_inc_yoy": 100 * (inc.loc["credit_card", "1H25"] / inc.loc["credit_card", "1H24"] - 1),
        "card_inc_hoh": 100 * (inc.loc["credit_card", "1H25"] / inc.loc["credit_card", "2024"] - 1),
        "business_exposed_ours": 100
        * rs.share(
            units.convert(f["business_exposed_npl"], "CNY_100m", "CNY_trn"), f["business_high_risk_stock"]
        ),
        "listed_internet_trn": units.convert(lend.loc["total", "listed_funded"], "CNY_100m", "CNY_trn"),
        "own_brand_trn": units.convert(consumer.loc["own_brand", "balance_100m"], "CNY_100m", "CNY_trn"),
        "own_brand_new_ours": consumer.loc["own_brand", "new_npl_100m"],
        "own_brand_new_ours_bn": units.convert(
            consumer.loc["own_brand", "new_npl_100m"], "CNY_100m", "CNY_bn"
        ),
        "own_brand_implied_trn": units.convert(
            f["stress_consumer_new_npl_own"]
            / (f["stress_consumer_own_ratio_26e"] - f["stress_consumer_own_ratio_now"])
            * 100,
            "CNY_100m",
            "CNY_trn",
        ),
        "listed_share_pct": 100 * listed_bank_share(),
        "initial_ltv": 100 * INITIAL_LTV,
        "industry_mortgage_trn": result["total_mortgage_trn"],
        "listed_mortgage_trn": bal.loc["mortgage", "1H25"],
        "listed_mortgage_25e_trn": bal.loc["mortgage", "25E"],
        "mort26_stated": stated[1] * 100,
        "mort26_printed": scen.loc["international", "npl_ratio_2026e"],
        "pretax_implied_trn": units.convert(
            business_26 / (f["stress_business_share_pretax_profit"] / 100), "CNY_100m", "CNY_trn"
        ),
        "netprofit_implied_trn": units.convert(
            f["stress_consumer_new_npl_26e"] / (f["stress_consumer_npl_share_net_profit"] / 100),
            "CNY_100m",
            "CNY_trn",
        ),
        "sc_price_decline": sc.price_decline * 100,
        "sc_extra_decline": sc.extra_decline_2027 * 100,
        "sc_prepayment": sc.prepayment * 100,
        "sc_final_npl": sc.final_mortgage_npl * 100,
        "sc_years": sc.exposure_years,
        "sc_card_uplift": sc.card_uplift * 100,
        "sc_business_mult": sc.business_multiplier,
        "sc_consumer_mult": sc.consumer_multiplier,
        "sc_ltv_now": result["cohorts"].iloc[0]["ltv"] * 100,
        "sc_ltv_2027": result["cohorts"].iloc[1]["ltv"] * 100,
        "sc_cohort_share_now": result["cohort_share_now"] * 100,
        "sc_cohort_share_2027": result["cohort_share_2027"] * 100,
        "sc_high_now": result["high_ltv_share_now"] * 100,
        "sc_high_2027": result["high_ltv_share_2027"] * 100,
        "sc_mort_25e": result["mortgage_ratio_25e"] * 100,
        "sc_mort_26e": result["mortgage_ratio_26e"] * 100,
        "ledger_n": len(checks),
        "ledger_match": int((checks["status"] == "match").sum()),
        "ledger_mismatch": int((checks["status"] == "mismatch").sum()),
    }
    out.update({f"fact_{k}": v for k, v in f.items()})
    allf = facts()
    out.update(
        {
            f"fact_{k}_bn": units.convert(v["value"], "CNY_100m", "CNY_bn")
            for k, v in allf.items()
            if v["unit"] == "CNY_100m" and v["value"] == v["value"] and v["value"] is not None
        }
    )
    out["fact_homes_delivered_mn"] = units.convert(f["homes_delivered"], "homes_10k", "homes") / 1e6
    out["high2027_low"] = allf["high_ltv_share_2027"]["value_low"]
    out["high2027_high"] = allf["high_ltv_share_2027"]["value_high"]
    for key in ("card_inc_yoy", "card_inc_hoh"):
        out[f"{key}_abs"] = abs(out[key])
    out["fact_card_increase_yoy_abs"] = abs(f["card_increase_yoy"])
    out["fact_card_increase_hoh_abs"] = abs(f["card_increase_hoh"])
    # the price fall at which the 2021 cohort's LTV reaches the threshold now: 1 - L0 * B/P0 / threshold
    thr = f["high_ltv_threshold"] / 100
    frac_now = rm.remaining_fraction(
        HORIZON_YEARS[("2021", "current")], sc.prepayment, f["amortisation_rate"] / 100
    )
    out["sc_decline_to_threshold"] = 100 * max(1 - INITIAL_LTV * frac_now / thr, 0.0)
    for sc_code, name in (("negative_cash_flow", "ncf"), ("international", "intl"), ("high_ltv", "ltv")):
        out[f"scen_final_{name}"] = scen.loc[sc_code, "final_npl_ratio"]
    for tier in ("lt18", "18_24"):
        out[f"tier_bump_{tier}"] = (
            lend.loc[tier, "stress_npl_ratio_26e"] - lend.loc[tier, "current_npl_ratio"]
        )
    ltv = data.load("retail_mortgage_ltv")
    cell = lambda c, h, d, p: float(
        ltv[
            (ltv["cohort"] == c)
            & (ltv["horizon"] == h)
            & (ltv["price_decline"] == d)
            & (ltv["prepayment"] == p)
        ]["ltv"].iloc[0]
    )
    a = f["amortisation_rate"] / 100
    out["ltv_2022_typo"] = cell(2022, "2027", 60, 0)
    out["ltv_2022_model"] = rm.cohort_ltv(INITIAL_LTV, HORIZON_YEARS[("2022", "2027")], 0.0, 0.6, a) * 100
    out["ltv_2023_a"], out["ltv_19_a"] = cell(2023, "2027", 10, 20), cell(2021, "current", 10, 20)
    out["ltv_2023_b"], out["ltv_19_b"] = cell(2023, "2027", 40, 5), cell(2021, "current", 40, 5)
    return {k: float(v) for k, v in out.items()}


def ltv_grid(step: float = 1.0, max_decline: float = 70.0) -> pd.DataFrame:
    """Price declines (percent) for the interactive LTV chart; the LTV itself is computed in the
    browser from the same formula as :func:`helpers.retail_mortgage.cohort_ltv`."""
    n = int(round(max_decline / step)) + 1
    return pd.DataFrame({"decline": [i * step for i in range(n)]})


def ltv_published_points() -> pd.DataFrame:
    """Printed LTV cells of 图表19/21 with the repayment years behind each panel."""
    ltv = data.load("retail_mortgage_ltv").dropna(subset=["ltv"])
    ltv["years"] = [HORIZON_YEARS[(str(c), h)] for c, h in zip(ltv["cohort"], ltv["horizon"])]
    ltv["panel"] = [
        f"{c} loans, {'now' if h == 'current' else 'in 2027'} ({loc})"
        for c, h, loc in zip(ltv["cohort"], ltv["horizon"], ltv["locator"])
    ]
    return ltv[["years", "panel", "price_decline", "prepayment", "ltv"]]
