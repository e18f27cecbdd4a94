"""Named ledger functions of the retail-risk chapter (``fn:<name>`` in ``data/ledger/cells/retail.csv``).

Every published cell of Zhongtai's tables is recomputed with the report's own assumptions (never
the reader's scenario). Sums, differences, shares, conversions and products of printed figures
are generic relations of the cells file; the model cells below take the cell's spec row (its
``args`` say which cell) and return ``{"published", "recomputed", "low", "high", "values"}``;
the values fill the row's note template.
"""

from __future__ import annotations

from helpers.book import ledger, units
from helpers.book.intervals import Interval, monotone
from helpers.book.intervals import total as sum_of
from helpers.book.ledger import per_pass, spec_args
from helpers.chapters import retail_risk as rr
from helpers.chapters.retail_risk import HORIZON_YEARS, INITIAL_LTV
from helpers.models import mortgage_ltv as rm
from helpers.models import stress as rs


def _result(published, recomputed, low=None, high=None, **values) -> dict:
    return {
        "published": float(published),
        "recomputed": float(recomputed),
        "low": low,
        "high": high,
        "values": values,
    }


# the chapter's helpers, computed once per evaluation pass of the ledger
fact = per_pass(rr.fact)
npl_amounts = per_pass(rr.npl_amounts)
npl_increases = per_pass(rr.npl_increases)
npl_ratios = per_pass(rr.npl_ratios)
scenario_table = per_pass(rr.scenario_table)
industry_mortgage_balance_100m = per_pass(rr.industry_mortgage_balance_100m)
tier34_issuance_trn = per_pass(rr.tier34_issuance_trn)
consumer_tier_stress = per_pass(rr.consumer_tier_stress)
published_scenario = per_pass(rr.published_scenario)


# ----------------------------------------------------------------------------- 图表16/17: internet lending
@per_pass
def _lending():
    return ledger.table("retail_internet_lending").set_index("tier"), rr.internet_lending_model().set_index(
        "tier"
    )


def internet_model_cell(spec: dict) -> dict:
    """One 图表16 cell against the internet-lending model: printed field ``printed`` of tier ``tier``
    against the model's field ``model``."""
    a = spec_args(spec)
    lend, model = _lending()
    return _result(lend.loc[a["tier"], a["printed"]], model.loc[a["tier"], a["model"]])


def internet_model_total(spec: dict) -> dict:
    """A 图表16 累积 cell against the sum of the model's tiers (``Σ_t model_t``); with ``parts`` the
    interval of the printed rows' sum, each rounded to 1 亿."""
    a = spec_args(spec)
    lend, model = _lending()
    out = _result(lend.loc["total", a["printed"]], model[a["model"]].sum())
    if a.get("parts"):
        tiers = a["parts"].split(",")
        iv = sum_of(*[Interval.printed(float(v), 0) for v in lend.loc[tiers, a["printed"]]])
        out.update(low=iv.low, high=iv.high)
        out["values"]["parts_sum"] = float(lend.loc[tiers, a["printed"]].sum())
    return out


def tier_stress_npl(spec: dict) -> dict:
    """图表17 new NPL of a tier (or ``tier=total``: of the two stressed tiers) from the stress model."""
    tier = spec_args(spec)["tier"]
    lend, _ = _lending()
    stress = consumer_tier_stress().set_index("group")
    ours = (
        stress.loc[["lt18", "18_24"], "new_npl_100m"].sum()
        if tier == "total"
        else stress.loc[tier, "new_npl_100m"]
    )
    return _result(lend.loc[tier, "npl_increase_26e"], ours)


def own_brand_npl(spec: dict) -> dict:
    """Own-brand customers' new consumer NPL in 2026: the stated ratio rise × listed banks' consumer
    loans less their internet loans."""
    stress = consumer_tier_stress().set_index("group")
    ours = stress.loc["own_brand", "new_npl_100m"]
    pub = fact("stress_consumer_new_npl_own")
    base = units.convert(stress.loc["own_brand", "balance_100m"], "CNY_100m", "CNY_trn")
    return _result(pub, ours, base_trn=base, needed_base=pub / ours * base)


# ----------------------------------------------------------------------------- 图表19/21: LTV tables
def cohort_ltv(spec: dict) -> dict:
    """A printed LTV cell against the repayment rule:
    ``LTV = L0 × remaining(n, prepayment, amortisation) / (1 − decline)``."""
    a = spec_args(spec)
    cohort, horizon = a["cohort"], a["horizon"]
    decline, prepay = float(a["decline"]), float(a["prepayment"])
    ltv = ledger.table("retail_mortgage_ltv")
    amort = fact("amortisation_rate", "ratio")
    sel = ltv[
        (ltv["cohort"].astype(str) == cohort)
        & (ltv["horizon"] == horizon)
        & (ltv["price_decline"] == decline)
        & (ltv["prepayment"] == prepay)
    ]
    ours = (
        rm.cohort_ltv(INITIAL_LTV, HORIZON_YEARS[(cohort, horizon)], prepay / 100, decline / 100, amort) * 100
    )
    twin = ltv[
        ltv["locator"].str.startswith("图表19")
        & (ltv["price_decline"] == decline)
        & (ltv["prepayment"] == prepay)
    ].dropna(subset=["ltv"])
    values = {"twin": float(twin["ltv"].iloc[0])} if len(twin) else {}
    return _result(sel["ltv"].iloc[0], ours, **values)


# ----------------------------------------------------------------------------- 图表20/22: cohort balances
def _balance_rows():
    return ledger.table("retail_mortgage_balance")


def _printed_balance(cohort: str, horizon: str, prepay: float, indicator: str = "balance") -> float:
    bal = _balance_rows()
    sel = bal[
        (bal["cohort"] == cohort)
        & (bal["horizon"] == horizon)
        & (bal["indicator"] == indicator)
        & (bal["prepayment"] == prepay)
    ]
    return float(sel["value"].iloc[0])


def cohort_balance(spec: dict) -> dict:
    """A cohort's printed balance against the repayment rule from its issuance:
    ``B = I × remaining(n, prepayment, amortisation)``; issuance as printed (2021) or implied by the
    printed 0 %-prepayment balance (2022, 2023), each with its rounding to 0.01 万亿."""
    a = spec_args(spec)
    c, h, prepay = a["cohort"], a["horizon"], float(a["prepayment"])
    amort = fact("amortisation_rate", "ratio")
    issuance = tier34_issuance_trn()
    years = HORIZON_YEARS[(c, h)]
    if c == "2021":
        base = Interval.printed(issuance[c], 2)
    else:
        base = Interval.printed(_printed_balance(c, "2027", 0.0), 2).apply(
            lambda b: rm.implied_issuance(b, HORIZON_YEARS[(c, "2027")], 0.0, amort)
        )
    p = prepay / 100
    iv = base.apply(lambda b: rm.cohort_balance(b, years, p, amort))
    return _result(
        _printed_balance(c, h, prepay), rm.cohort_balance(issuance[c], years, p, amort), iv.low, iv.high
    )


def cohort_share(spec: dict) -> dict:
    """A cohort's printed share of all mortgages: printed balance / the balance 图表26 implies × 100."""
    a = spec_args(spec)
    c, h, prepay = a["cohort"], a["horizon"], float(a["prepayment"])
    total = units.convert(industry_mortgage_balance_100m(), "CNY_100m", "CNY_trn")
    return _result(
        _printed_balance(c, h, prepay, "share_of_total_mortgage"),
        _printed_balance(c, h, prepay) / total * 100,
        total=total,
    )


# ----------------------------------------------------------------------------- 图表26: scenarios
def _scenario(spec: dict):
    sc = spec_args(spec)["scenario"]
    row = scenario_table().loc[sc]
    m = industry_mortgage_balance_100m()
    r0, rf = row["npl_ratio_1h25"] / 100, row["final_npl_ratio"] / 100
    return row, m, r0, rf, rm.extra_npl(m, rf, r0)


def fig26_extra_npl(spec: dict) -> dict:
    """Extra mortgage NPL exposed: ``M × (final − current ratio)``, M implied by the international column."""
    row, m, _, _, e = _scenario(spec)
    return _result(row["extra_npl"], e, balance_trn=units.convert(m, "CNY_100m", "CNY_trn"))


def fig26_extra_provisions(spec: dict) -> dict:
    """Extra provisions: the extra NPL × the stated provision share."""
    row, _, _, _, e = _scenario(spec)
    return _result(
        row["extra_provisions"], rm.extra_provisions(e, fact("provision_share_of_extra_npl", "ratio"))
    )


def fig26_npl_per_year(spec: dict) -> dict:
    """NPL to expose each year: the extra NPL over the stated number of years."""
    row, _, _, _, e = _scenario(spec)
    return _result(row["npl_per_year"], rm.npl_per_year(e, fact("mortgage_exposure_years")))


def fig26_ratio(spec: dict) -> dict:
    """The mortgage NPL ratio path: half a year of exposure in 2025, a full year in 2026
    (``year=2025E`` or ``2026E``); also the path with another half-year in 2026."""
    year = spec_args(spec)["year"]
    row, _, r0, rf, _ = _scenario(spec)
    years = fact("mortgage_exposure_years")
    stated = rm.npl_ratio_path(r0, rf, years, steps=(0.5, 1.0))
    half = rm.npl_ratio_path(r0, rf, years, steps=(0.5, 0.5))
    k = 0 if year == "2025E" else 1
    return _result(row[f"npl_ratio_{year.lower()}"], stated[k] * 100, half=half[k] * 100)


def provision_range(spec: dict) -> dict:
    """§三.3's range of extra provisions against the smallest (``end=low``) or largest printed cell."""
    end = spec_args(spec)["end"]
    t = scenario_table()
    pick = min if end == "low" else max
    return _result(fact("extra_provisions_range", field=f"value_{end}"), pick(t["extra_provisions"]))


# ----------------------------------------------------------------------------- 图表7: the stress test
@per_pass
def _stress():
    return rr.run(published_scenario())["stress"].set_index(["product", "period"])


def stress_amount(spec: dict) -> dict:
    """A 图表7 NPL amount for 25E/26E against the stress model, with what 图表7's printed 1H25 inputs
    allow: mortgages from the implied 1H25 balance times 图表26's ratio path; cards, consumer and
    business loans from the 1H25 amount plus the printed 1H25 increase repeated (each ±0.5 百万元)."""
    a = spec_args(spec)
    product, period = a["product"], a["period"]
    r = _stress().loc[(product, period)]
    ours = float(r["npl_mn"])
    amounts, inc, ratios = npl_amounts(), npl_increases(), npl_ratios()
    sc = published_scenario()
    a_iv = Interval.printed(float(amounts.loc[product, "1H25"]), 0)
    i_iv = Interval.printed(float(inc.loc[product, "1H25"]), 0)
    values = {}
    if product == "mortgage":
        k = 0 if period == "25E" else 1

        def amount(x, ratio):
            path = rm.npl_ratio_path(ratio / 100, sc.final_mortgage_npl, sc.exposure_years, steps=(0.5, 1.0))
            return path[k] * x / (ratio / 100)

        r_iv = Interval.printed(float(ratios.loc["mortgage", "1H25"]), 2)
        path_pct = amount(a_iv.mid, r_iv.mid) * r_iv.mid / a_iv.mid
        balance_iv = a_iv / r_iv * 100
        iv = monotone(amount, a_iv, r_iv).hull(Interval.printed(path_pct, 2) / 100 * balance_iv)
        values = {
            "balance_low": units.convert(
                a_iv.mid / (ratios.loc["mortgage", "1H25"] + 0.005) * 100, "CNY_mn", "CNY_trn"
            ),
            "balance_high": units.convert(
                a_iv.mid / (ratios.loc["mortgage", "1H25"] - 0.005) * 100, "CNY_mn", "CNY_trn"
            ),
        }
    elif product == "consumer":
        iv = monotone(lambda x, i: rs.repeated_increase(x, i, 1), a_iv, i_iv)
        if period == "26E":
            iv = iv + (
                ours
                - rs.repeated_increase(
                    float(amounts.loc[product, "1H25"]), float(inc.loc[product, "1H25"]), 1
                )
            )
    else:
        halves = 1 if period == "25E" else 3
        mult = {"credit_card": 1 + sc.card_uplift, "business": sc.business_multiplier}.get(product, 1.0)
        iv = monotone(lambda x, i: rs.repeated_increase(x, i, halves, mult), a_iv, i_iv)
    return _result(r["published_npl_mn"], ours, iv.low, iv.high, **values)


def stress_ratio_flat_balance(spec: dict) -> dict:
    """The book's what-if: our 25E/26E NPL amount over the 1H25 balance, against the printed ratio;
    ``implied_change`` is the balance change (%) the printed ratio implies."""
    a = spec_args(spec)
    r = _stress().loc[(a["product"], a["period"])]
    growth = (r["npl_mn"] / r["ratio_flat_balance_pct"]) / (r["published_npl_mn"] / r["published_ratio_pct"])
    return _result(
        r["published_ratio_pct"], r["ratio_flat_balance_pct"], implied_change=100 * (1 / growth - 1)
    )


def ledger_checks() -> list:
    """This chapter's checks: its rows of ``data/ledger/cells/retail.csv`` evaluated by :func:`helpers.book.ledger.checks`."""
    from helpers.book import ledger

    return ledger.checks(["retail"])
