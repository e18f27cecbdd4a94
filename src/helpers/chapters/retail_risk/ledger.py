"""Ledger checks of the retail-risk chapter: every published cell of Zhongtai's tables recomputed,
always with the report's own assumptions (never the reader's scenario)."""

from __future__ import annotations

from functools import lru_cache

from helpers.book import data, units
from helpers.book.ledger import Check, checker
from helpers.chapters.retail_risk import (
    CHAPTER,
    HORIZON_YEARS,
    INITIAL_LTV,
    PRODUCT_EN,
    PRODUCTS,
    SEED,
    consumer_tier_stress,
    fact,
    facts,
    industry_mortgage_balance_100m,
    internet_lending_model,
    npl_amounts,
    npl_increases,
    npl_ratios,
    published_scenario,
    run,
    scenario_table,
    tier34_issuance_trn,
)
from helpers.models import mortgage_ltv as rm
from helpers.models import stress as rs

# ----------------------------------------------------------------------------- ledger


ROUNDING_NOTE = "off by 1 (million yuan): the printed components are rounded separately"


_base_check = checker(CHAPTER, SEED)


def _check(table, row, column, published, recomputed, unit, decimals, note=""):
    if note == ROUNDING_NOTE and abs(float(recomputed) - float(published)) <= 0.5:
        note = ""
    return _base_check(table, row, column, published, recomputed, unit, decimals, note)


def _sum_checks() -> list[Check]:
    out = []
    amounts = npl_amounts()
    for per in amounts.columns:
        out.append(
            _check(
                "图表7",
                "加总 (sum of four products)",
                per,
                amounts.loc["retail_total", per],
                amounts.loc[PRODUCTS, per].sum(),
                "CNY_mn",
                0,
                ROUNDING_NOTE,
            )
        )
    inc = npl_increases()
    for per in inc.columns:
        out.append(
            _check(
                "图表5",
                "零售加总 (sum of four products)",
                per,
                inc.loc["retail_total", per],
                inc.loc[PRODUCTS, per].sum(),
                "CNY_mn",
                0,
                ROUNDING_NOTE,
            )
        )
    # increases = differences of the amounts in 图表7
    prev = {"1H24": "2023", "2024": "1H24", "1H25": "2024"}
    for p in PRODUCTS + ["retail_total"]:
        for per, base in prev.items():
            out.append(
                _check(
                    "图表5",
                    PRODUCT_EN[p],
                    f"{per} vs {base}",
                    inc.loc[p, per],
                    amounts.loc[p, per] - amounts.loc[p, base],
                    "CNY_mn",
                    0,
                    ROUNDING_NOTE,
                )
            )
    return out


def _overview_checks() -> list[Check]:
    out = []
    ov = data.load("retail_npl_overview").set_index(["indicator", "segment"])
    inc = npl_increases()
    for p in PRODUCTS:
        out.append(
            _check(
                "§一.2",
                f"share of 1H25 retail NPL increase: {PRODUCT_EN[p]}",
                "1H25",
                ov.loc[("npl_increase_share", p), "value"],
                rs.share(inc.loc[p, "1H25"], inc.loc["retail_total", "1H25"]) * 100,
                "pct",
                1,
            )
        )
    shares = data.load("retail_npl_share").pivot(index="product", columns="period", values="value")
    out.append(
        _check(
            "§一.2 / 图表6",
            "retail share of total NPL (63:37 split)",
            "1H25",
            ov.loc[("npl_stock_split", "retail"), "value"],
            shares.loc[PRODUCTS, "1H25"].sum(),
            "pct",
            0,
            "the four product shares of 图表6 sum to 36.3 %, not the 37 % of the 63:37 split",
        )
    )
    r = npl_ratios()
    f = facts()
    for ind, prod, per, base in [
        ("business_ratio_change_1h25", "business", "1H25", "2024"),
        ("business_ratio_change_2h24", "business", "2024", "1H24"),
        ("card_ratio_change_1h25", "credit_card", "1H25", "2024"),
    ]:
        out.append(
            _check(
                "§四/§五 prose",
                ind,
                f"{per} vs {base}",
                f[ind]["value"],
                units.convert(r.loc[prod, per] - r.loc[prod, base], "pp", "bp"),
                "bp",
                0,
            )
        )
    for ind, prod, per in [
        ("business_npl_increase_1h25", "business", "1H25"),
        ("business_npl_increase_2h24", "business", "2024"),
    ]:
        out.append(
            _check(
                "§四.3 prose",
                ind,
                per,
                f[ind]["value"],
                units.convert(inc.loc[prod, per], "CNY_mn", "CNY_100m"),
                "CNY_100m",
                0,
            )
        )
    out.append(
        _check(
            "§五 prose",
            "card_npl_increase_1h25",
            "1H25",
            f["card_npl_increase_1h25"]["value"],
            units.convert(inc.loc["credit_card", "1H25"], "CNY_mn", "CNY_100m"),
            "CNY_100m",
            1,
        )
    )
    out.append(
        _check(
            "§四.2 prose",
            "business_exposed_npl (2024 + 1H25)",
            "2024-1H25",
            f["business_exposed_npl"]["value"],
            f["business_exposed_npl_2024"]["value"] + f["business_exposed_npl_1h25"]["value"],
            "CNY_100m",
            0,
        )
    )
    exposed = units.convert(f["business_exposed_npl"]["value"], "CNY_100m", "CNY_trn")
    out.append(
        _check(
            "§四.2 prose",
            "exposed share of high-risk business loans",
            "2024-1H25",
            f["business_exposed_share"]["value"],
            rs.share(exposed, f["business_high_risk_stock"]["value"]) * 100,
            "pct",
            0,
            "3,384亿 is 15 % of the 2.21万亿 high-risk stock, not 31 % ('近1/3'); the text gives no other base",
        )
    )
    return out


def _consumer_checks() -> list[Check]:
    out = []
    m = data.load("retail_consumer_market").set_index("lender")
    top = ["commercial_banks", "consumer_finance_cos", "private_banks", "microlenders", "auto_finance_cos"]
    total = m.loc[top, "balance"].sum()
    out.append(
        _check(
            "图表10",
            "商业银行 = 上市 + 非上市",
            "2024(亿元)",
            m.loc["commercial_banks", "balance"],
            m.loc["listed_banks", "balance"] + m.loc["unlisted_banks", "balance"],
            "CNY_100m",
            0,
        )
    )
    for lender in m.index:
        out.append(
            _check(
                "图表10",
                m.loc[lender, "label_zh"],
                "占比",
                m.loc[lender, "share"],
                rs.share(m.loc[lender, "balance"], total) * 100,
                "pct",
                1,
            )
        )
    out.append(
        _check(
            "§二.2 prose",
            "narrow consumer loans total (12.3万亿)",
            "2024",
            fact("narrow_consumer_loans_total"),
            units.convert(total, "CNY_100m", "CNY_trn"),
            "CNY_trn",
            1,
        )
    )
    out.append(
        _check(
            "§二.2 prose",
            "private banks' consumer loans = 80 % of 1.31万亿",
            "2024",
            fact("private_bank_consumer_loans"),
            fact("private_bank_loans") * fact("private_bank_consumer_share_assumption", "ratio"),
            "CNY_trn",
            2,
        )
    )
    others = ["consumer_finance_cos", "private_banks", "microlenders", "auto_finance_cos"]
    out.append(
        _check(
            "报告摘要",
            "other players' share (31 %)",
            "2024",
            fact("other_players_share"),
            rs.share(m.loc[others, "balance"].sum(), total) * 100,
            "pct",
            0,
        )
    )
    lend = data.load("retail_internet_lending").set_index("tier")
    out.append(
        _check(
            "§二.4 / 图表16",
            "24-36 % share of narrow consumer loans (4.4 %)",
            "2024",
            fact("high_risk_share_of_consumer"),
            rs.share(lend.loc["24_36", "matched_volume"], total) * 100,
            "pct",
            1,
        )
    )
    model = internet_lending_model().set_index("tier")
    out.append(
        _check(
            "图表16",
            "累积",
            "互联网金融撮合贷款规模",
            lend.loc["total", "matched_volume"],
            model["matched_volume"].sum(),
            "CNY_100m",
            0,
        )
    )
    # (printed column, published field, model field, unit, decimals); listed banks fund no 24–36 % loans
    tier_cells = [
        ("占互联网撮合贷款比重", "matched_share", "matched_share_pct", "pct", 1),
        ("商业银行出资部分", "bank_funded", "bank_funded", "CNY_100m", 0),
        ("占商业银行消费贷比重", "bank_share_of_bank_consumer", "bank_share_pct", "pct", 1),
        ("上市银行出资部分", "listed_funded", "listed_funded", "CNY_100m", 0),
    ]
    for t in model.index:
        label = lend.loc[t, "label_zh"]
        for column, published, ours, unit, decimals in tier_cells:
            if column == "上市银行出资部分" and t == "24_36":
                continue
            out.append(
                _check("图表16", label, column, lend.loc[t, published], model.loc[t, ours], unit, decimals)
            )
    out.append(
        _check(
            "图表16",
            "累积",
            "商业银行出资部分",
            lend.loc["total", "bank_funded"],
            model["bank_funded"].sum(),
            "CNY_100m",
            0,
        )
    )
    out.append(
        _check(
            "图表16",
            "累积",
            "上市银行出资部分",
            lend.loc["total", "listed_funded"],
            model["listed_funded"].sum(),
            "CNY_100m",
            0,
            "the printed rows 9,555 + 5,959 sum to 15,514; 15,515 is the sum before rounding",
        )
    )
    stress = consumer_tier_stress().set_index("group")
    for t in ("lt18", "18_24"):
        out.append(
            _check(
                "图表17",
                lend.loc[t, "label_zh"],
                "不良额净增(亿元)",
                lend.loc[t, "npl_increase_26e"],
                stress.loc[t, "new_npl_100m"],
                "CNY_100m",
                0,
            )
        )
    out.append(
        _check(
            "图表17",
            "累积",
            "不良额净增(亿元)",
            lend.loc["total", "npl_increase_26e"],
            stress.loc[["lt18", "18_24"], "new_npl_100m"].sum(),
            "CNY_100m",
            0,
        )
    )
    out.append(
        _check(
            "§二.5 prose",
            "own-brand customers' new NPL (56亿)",
            "26E",
            fact("stress_consumer_new_npl_own"),
            stress.loc["own_brand", "new_npl_100m"],
            "CNY_100m",
            0,
            "0.1 pp on listed banks' own-brand consumer loans (6.34万亿 less 1.55万亿 internet loans = 4.79万亿) gives 48亿; "
            "56亿 needs a 5.6万亿 base the report does not give",
        )
    )
    out.append(
        _check(
            "§二.5 prose",
            "new consumer NPL 26E (241亿 = 56 + 96 + 89)",
            "26E",
            fact("stress_consumer_new_npl_26e"),
            fact("stress_consumer_new_npl_own")
            + fact("stress_consumer_new_npl_lt18")
            + fact("stress_consumer_new_npl_18_24"),
            "CNY_100m",
            0,
        )
    )
    return out


def _mortgage_checks() -> list[Check]:
    out = []
    a = fact("amortisation_rate", "ratio")
    ltv = data.load("retail_mortgage_ltv")
    for r in ltv.dropna(subset=["ltv"]).to_dict("records"):
        key = (str(r["cohort"]), r["horizon"])
        ours = (
            rm.cohort_ltv(INITIAL_LTV, HORIZON_YEARS[key], r["prepayment"] / 100, r["price_decline"] / 100, a)
            * 100
        )
        note = ""
        if abs(ours - r["ltv"]) > 0.5:
            note = (
                "the 2023 panel copies 图表19 (same four-year horizon) except this cell"
                if r["cohort"] == 2023
                else "no other cell of the panel departs from the model; likely a typo"
            )
        out.append(
            _check(
                r["locator"].split(" ")[0],
                f"{r['cohort']} cohort, {r['horizon']}, decline {r['price_decline']:g}%",
                f"prepayment {r['prepayment']:g}%",
                r["ltv"],
                ours,
                "pct",
                0,
                note,
            )
        )
    out.append(
        _check(
            "§三.1(1) prose",
            "tier-3/4 issuance 2021 = 7.76万亿 × 23.4%",
            "2021",
            fact("tier34_issuance_2021"),
            fact("mortgage_issuance_2021") * fact("tier34_sales_share_2021", "ratio"),
            "CNY_trn",
            2,
        )
    )
    bal = data.load("retail_mortgage_balance")
    total = units.convert(industry_mortgage_balance_100m(), "CNY_100m", "CNY_trn")
    issuance = tier34_issuance_trn()
    for r in bal.to_dict("records"):
        c, h, p = r["cohort"], r["horizon"], r["prepayment"] / 100
        loc = r["locator"]
        if r["indicator"] == "initial_amount":
            continue
        if r["indicator"] == "balance":
            if c in ("2022", "2023") and r["prepayment"] == 0:
                continue  # used to infer the cohort's issuance
            cohorts = ["2021", "2022", "2023"] if c == "2021-2023" else [c]
            ours = sum(rm.cohort_balance(issuance[k], HORIZON_YEARS[(k, h)], p, a) for k in cohorts)
            note = ""
            if c in ("2022", "2023") and abs(ours - r["value"]) > 0.005:
                note = (
                    "the 2022/2023 rows fall faster with prepayment than the repayment rule allows at any single "
                    "horizon (issuance implied by the 0 % column)"
                )
            elif abs(ours - r["value"]) > 0.005:
                note = (
                    "2021 row: 1.82万亿 matches 图表20 fully; the unrounded 7.76 × 23.4 % = 1.816 would fit two of these "
                    "cells but break one of 图表20"
                    if c == "2021"
                    else "sum of the three cohorts above"
                )
            out.append(
                _check(
                    loc,
                    f"{c} cohort balance ({h})",
                    f"prepayment {r['prepayment']:g}%",
                    r["value"],
                    ours,
                    "CNY_trn",
                    2,
                    note,
                )
            )
        else:
            printed = bal[
                (bal["cohort"] == c)
                & (bal["horizon"] == h)
                & (bal["indicator"] == "balance")
                & (bal["prepayment"] == r["prepayment"])
            ]
            out.append(
                _check(
                    loc,
                    f"{c} cohort share of all mortgages ({h})",
                    f"prepayment {r['prepayment']:g}%",
                    r["value"],
                    float(printed["value"].iloc[0]) / total * 100,
                    "pct",
                    1,
                    "denominator: the 37.44万亿 mortgage balance implied by 图表26",
                )
            )
    # 图表26
    t = scenario_table()
    m = industry_mortgage_balance_100m()
    share = fact("provision_share_of_extra_npl", "ratio")
    years = fact("mortgage_exposure_years")
    for sc in t.index:
        row = t.loc[sc]
        r0, rf = row["npl_ratio_1h25"] / 100, row["final_npl_ratio"] / 100
        e = rm.extra_npl(m, rf, r0)
        if sc != "international":
            out.append(
                _check(
                    "图表26",
                    sc,
                    "额外暴露的按揭不良(亿元)",
                    row["extra_npl"],
                    e,
                    "CNY_100m",
                    0,
                    "balance 37.44万亿 implied by the international column",
                )
            )
        out.append(
            _check(
                "图表26",
                sc,
                "需要多提的拨备(亿元)",
                row["extra_provisions"],
                rm.extra_provisions(e, share),
                "CNY_100m",
                0,
            )
        )
        out.append(
            _check(
                "图表26",
                sc,
                "每年需暴露不良(亿元)",
                row["npl_per_year"],
                rm.npl_per_year(e, years),
                "CNY_100m",
                0,
            )
        )
        stated = rm.npl_ratio_path(r0, rf, years, steps=(0.5, 1.0))
        half = rm.npl_ratio_path(r0, rf, years, steps=(0.5, 0.5))
        out.append(_check("图表26", sc, "2025E按揭不良率", row["npl_ratio_2025e"], stated[0] * 100, "pct", 2))
        out.append(
            _check(
                "图表26",
                sc,
                "2026E按揭不良率",
                row["npl_ratio_2026e"],
                stated[1] * 100,
                "pct",
                2,
                f"one full year of exposure in 2026 gives {stated[1] * 100:.2f}%; the printed value equals "
                f"another half-year ({half[1] * 100:.3f}%)",
            )
        )
    return out


def _stress_checks() -> list[Check]:
    out = []
    res = run(published_scenario())
    st = res["stress"].set_index(["product", "period"])
    for p in PRODUCTS:
        for per in ("25E", "26E"):
            r = st.loc[(p, per)]
            note = {
                "mortgage": "ours: 1H25 balance (34.14万亿) × our ratio; the report multiplies its rounded ratio by 34.12万亿",
                "consumer": (
                    "2H25 repeats the 1H25 increase; 2026 adds the tier stress with our own-brand base (see 图表17 rows)"
                    if per == "26E"
                    else "2H25 repeats the 1H25 increase; printed value is 1 lower"
                ),
                "credit_card": "the printed 1H25 increase (3,934) is itself rounded",
            }.get(p, "")
            out.append(
                _check(
                    "图表7",
                    PRODUCT_EN[p],
                    f"不良额 {per}",
                    r["published_npl_mn"],
                    r["npl_mn"],
                    "CNY_mn",
                    0,
                    note if abs(r["published_npl_mn"] - r["npl_mn"]) > 0.5 else "",
                )
            )
            growth = (r["npl_mn"] / r["ratio_flat_balance_pct"]) / (
                r["published_npl_mn"] / r["published_ratio_pct"]
            )
            out.append(
                _check(
                    "图表7",
                    PRODUCT_EN[p],
                    f"不良率 {per} (balance held at 1H25)",
                    r["published_ratio_pct"],
                    r["ratio_flat_balance_pct"],
                    "pct",
                    2,
                    f"the printed ratio implies a loan balance {100 * (1 / growth - 1):+.1f}% vs 1H25; the report states no balance growth"
                    if abs(r["published_ratio_pct"] - r["ratio_flat_balance_pct"]) > 0.005
                    else "",
                )
            )
    amounts = npl_amounts()
    out.append(
        _check(
            "§一.3 prose",
            "retail NPL net increase 25E vs 1H25",
            "25E",
            fact("stress_retail_increase_25e"),
            units.convert(
                amounts.loc["retail_total", "25E"] - amounts.loc["retail_total", "1H25"], "CNY_mn", "CNY_100m"
            ),
            "CNY_100m",
            0,
        )
    )
    out.append(
        _check(
            "§一.3 prose",
            "retail NPL net increase 26E vs 25E",
            "26E",
            fact("stress_retail_increase_26e"),
            units.convert(
                amounts.loc["retail_total", "26E"] - amounts.loc["retail_total", "25E"], "CNY_mn", "CNY_100m"
            ),
            "CNY_100m",
            0,
        )
    )
    r = npl_ratios()
    for p in PRODUCTS:
        out.append(
            _check(
                "摘要 / §一.3 prose",
                f"{PRODUCT_EN[p]}: NPL ratio change 26E vs 25E",
                "26E",
                fact(f"stress_ratio_change_26e_{p}"),
                units.convert(r.loc[p, "26E"] - r.loc[p, "25E"], "pp", "bp"),
                "bp",
                0,
            )
        )
    return out


@lru_cache(maxsize=1)
def _ledger_cached(stamp: tuple) -> tuple:
    return tuple(
        _sum_checks() + _overview_checks() + _consumer_checks() + _mortgage_checks() + _stress_checks()
    )


def ledger_checks() -> list[Check]:
    """Every published cell this chapter recomputes, with the report's own assumptions."""
    stamp = tuple(sorted((p.name, p.stat().st_mtime) for p in data.data_dir().glob("retail_*.csv")))
    return list(_ledger_cached(stamp))
