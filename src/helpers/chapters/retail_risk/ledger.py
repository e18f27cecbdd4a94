"""Ledger checks of the retail-risk chapter: every published cell of Zhongtai's tables recomputed,
always with the report's own assumptions (never the reader's scenario)."""

from __future__ import annotations

from functools import lru_cache

from helpers.book import data, units
from helpers.book.intervals import Interval, monotone
from helpers.book.intervals import total as sum_of
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


_check = checker(CHAPTER, SEED)


def _units(*values) -> list[Interval]:
    """Amounts printed to the unit (百万元 in 图表5/7): each stands for ``value ± 0.5``."""
    return [Interval.printed(float(v), 0) for v in values]


def _sum_note(iv: Interval, n: int) -> str:
    return (
        f"the {n} printed parts are each rounded to the unit, so their sum can be anywhere from "
        f"{iv.low:,.1f} to {iv.high:,.1f}"
    )


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
                _sum_note(sum_of(*_units(*amounts.loc[PRODUCTS, per])), len(PRODUCTS)),
                interval=sum_of(*_units(*amounts.loc[PRODUCTS, per])),
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
                _sum_note(sum_of(*_units(*inc.loc[PRODUCTS, per])), len(PRODUCTS)),
                interval=sum_of(*_units(*inc.loc[PRODUCTS, per])),
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
                    "a difference of two amounts each rounded to the unit",
                    interval=_units(amounts.loc[p, per])[0] - _units(amounts.loc[p, base])[0],
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
    split_iv = sum_of(*[Interval.printed(float(v), 1) for v in shares.loc[PRODUCTS, "1H25"]])
    out.append(
        _check(
            "§一.2 / 图表6",
            "retail share of total NPL (corporate:retail split)",
            "1H25",
            ov.loc[("npl_stock_split", "retail"), "value"],
            shares.loc[PRODUCTS, "1H25"].sum(),
            "pct",
            0,
            f"the four product shares of 图表6, each printed to a tenth of a per cent, sum to "
            f"{shares.loc[PRODUCTS, '1H25'].sum():.1f} % (at most {split_iv.high:.2f} % unrounded); the split "
            f"prints {ov.loc[('npl_stock_split', 'retail'), 'value']:.0f}",
            interval=split_iv,
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
            f"{f['business_exposed_npl']['value']:,.0f}亿 is {rs.share(exposed, f['business_high_risk_stock']['value']) * 100:.0f} % "
            f"of the {f['business_high_risk_stock']['value']:.2f}万亿 high-risk stock, not the printed "
            f"{f['business_exposed_share']['value']:.0f} % ('近1/3'); the text gives no other base",
            finding="r-exposed-share",
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
            "narrow consumer loans total",
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
            "private banks' consumer loans = stated share of their loans",
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
            "other players' share",
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
            "highest-rate tier's share of narrow consumer loans",
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
            f"the printed rows sum to {lend.loc[['lt18', '18_24'], 'listed_funded'].sum():,.0f}; each is rounded "
            "to 1 亿, so the total may differ from their sum by one",
            interval=sum_of(
                *[Interval.printed(float(v), 0) for v in lend.loc[["lt18", "18_24"], "listed_funded"]]
            ),
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
            "own-brand customers' new NPL",
            "26E",
            fact("stress_consumer_new_npl_own"),
            stress.loc["own_brand", "new_npl_100m"],
            "CNY_100m",
            0,
            f"the stated ratio rise on listed banks' own-brand consumer loans "
            f"({units.convert(stress.loc['own_brand', 'balance_100m'], 'CNY_100m', 'CNY_trn'):.2f}万亿: their consumer "
            f"loans less their internet loans) gives {stress.loc['own_brand', 'new_npl_100m']:.0f}亿; the printed "
            f"{fact('stress_consumer_new_npl_own'):.0f}亿 needs a base of about "
            f"{fact('stress_consumer_new_npl_own') / stress.loc['own_brand', 'new_npl_100m'] * units.convert(stress.loc['own_brand', 'balance_100m'], 'CNY_100m', 'CNY_trn'):.1f}万亿, "
            "which the report does not give",
            finding="r-own-brand-npl",
        )
    )
    out.append(
        _check(
            "§二.5 prose",
            "new consumer NPL 26E = own-brand + two internet tiers",
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


LTV_FINDINGS = {
    (2022, 60.0, 0.0): "r-ltv-2022",
    (2023, 10.0, 20.0): "r-ltv-2023-a",
    (2023, 40.0, 5.0): "r-ltv-2023-b",
}
"""Printed LTV cells (cohort, price decline %, prepayment %) filed under a finding when they miss."""


def _mortgage_checks() -> list[Check]:
    out = []
    a = fact("amortisation_rate", "ratio")
    ltv = data.load("retail_mortgage_ltv")
    fig19 = {
        (float(r["price_decline"]), float(r["prepayment"])): float(r["ltv"])
        for r in ltv[ltv["locator"].str.startswith("图表19")].dropna(subset=["ltv"]).to_dict("records")
    }
    for r in ltv.dropna(subset=["ltv"]).to_dict("records"):
        key = (str(r["cohort"]), r["horizon"])
        ours = (
            rm.cohort_ltv(INITIAL_LTV, HORIZON_YEARS[key], r["prepayment"] / 100, r["price_decline"] / 100, a)
            * 100
        )
        note = ""
        cell = (int(r["cohort"]), float(r["price_decline"]), float(r["prepayment"]))
        if abs(ours - r["ltv"]) > 0.5:
            twin = fig19.get(cell[1:])
            note = (
                f"the 2023 panel copies 图表19 (same four-year horizon) except this cell: 图表19 prints "
                f"{twin:g} % and the repayment rule gives {ours:.0f} %"
                if r["cohort"] == 2023 and twin is not None
                else f"no other cell of the panel departs from the repayment rule, which gives {ours:.0f} % here"
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
                finding=LTV_FINDINGS.get(cell, ""),
            )
        )
    out.append(
        _check(
            "§三.1(1) prose",
            "tier-3/4 issuance 2021 = issuance × tier-3/4 share",
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
    zero_col = {
        c: bal[(bal["cohort"] == c) & (bal["prepayment"] == 0) & (bal["indicator"] == "balance")][
            "value"
        ].iloc[0]
        for c in ("2022", "2023")
    }
    for r in bal.to_dict("records"):
        c, h, p = r["cohort"], r["horizon"], r["prepayment"] / 100
        loc = r["locator"]
        if r["indicator"] == "initial_amount":
            continue
        if r["indicator"] == "balance":
            if c in ("2022", "2023") and r["prepayment"] == 0:
                continue  # used to infer the cohort's issuance
            finding, note = "", ""
            if c == "2021-2023":
                # the 合计 row against the three printed cohort rows (the table's own identity)
                parts = bal[
                    (bal["cohort"].isin(["2021", "2022", "2023"]))
                    & (bal["horizon"] == h)
                    & (bal["indicator"] == "balance")
                    & (bal["prepayment"] == r["prepayment"])
                ]["value"]
                ours = float(parts.sum())
                iv = sum_of(*[Interval.printed(float(x), 2) for x in parts])
                note = "合计 against the sum of the three printed cohort rows, each rounded to 0.01万亿"
            else:
                # issuance as printed (2021) or implied by the printed 0 % column (2022, 2023), with its rounding
                years_ch = HORIZON_YEARS[(c, h)]
                if c == "2021":
                    base = Interval.printed(issuance[c], 2)
                else:
                    base = Interval.printed(float(zero_col[c]), 2).apply(
                        lambda b, c=c: rm.implied_issuance(b, HORIZON_YEARS[(c, "2027")], 0.0, a)
                    )
                ours = rm.cohort_balance(issuance[c], years_ch, p, a)
                iv = base.apply(lambda b, y=years_ch, p=p: rm.cohort_balance(b, y, p, a))
                finding = "r-fig22-prepayment"
                note = "issuance as printed in 图表20, rounded to 0.01万亿"
                if c in ("2022", "2023"):
                    note = (
                        "the 2022/2023 rows fall faster with prepayment than the repayment rule allows at any single "
                        "horizon (issuance implied by the 0 % column)"
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
                    interval=iv,
                    finding=finding,
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
                    f"denominator: the {total:.2f}万亿 mortgage balance implied by 图表26",
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
                    f"balance {units.convert(m, 'CNY_100m', 'CNY_trn'):.2f}万亿 implied by the international column",
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
                finding="r-fig26-2026e",
            )
        )
    return out


def _range_checks() -> list[Check]:
    """Prose ranges that quote a table: §三.3's extra provisions against 图表26's column."""
    t = scenario_table()
    out = []
    for end, field, pick in (("low", "value_low", min), ("high", "value_high", max)):
        out.append(
            _check(
                "§三.3 prose / 图表26",
                f"extra provisions across the three scenarios, {end} end",
                "需要多提的拨备(亿元)",
                fact("extra_provisions_range", field=field),
                pick(t["extra_provisions"]),
                "CNY_100m",
                0,
                "the prose range against the smallest and the largest printed cell of the table",
            )
        )
    return out


def _stress_interval(product: str, period: str, ours: float) -> tuple[Interval, str, str]:
    """What 图表7's printed 1H25 inputs allow for one stress-test amount, a note, and a finding id.

    * mortgages: the 1H25 balance is implied by the printed amount over the printed ratio
      (rounded to 0.01 %), times the ratio path of 图表26's international case;
    * cards, business and consumer (2025E): the 1H25 amount plus the printed 1H25 increase
      repeated, each rounded to 1 百万元.
    """
    amounts, inc, ratios = npl_amounts(), npl_increases(), npl_ratios()
    sc = published_scenario()
    a_iv = Interval.printed(float(amounts.loc[product, "1H25"]), 0)
    i_iv = Interval.printed(float(inc.loc[product, "1H25"]), 0)
    halves = 1 if period == "25E" else 3
    if product == "mortgage":
        k = 0 if period == "25E" else 1

        def amount(a, r):
            path = rm.npl_ratio_path(r / 100, sc.final_mortgage_npl, sc.exposure_years, steps=(0.5, 1.0))
            return path[k] * a / (r / 100)

        r_iv = Interval.printed(float(ratios.loc["mortgage", "1H25"]), 2)
        # the report multiplies its ratio, rounded to 0.01 % as it prints ratios, by the balance
        path_pct = amount(a_iv.mid, r_iv.mid) * r_iv.mid / a_iv.mid  # our ratio for the period, in %
        balance_iv = a_iv / r_iv * 100  # 百万元
        iv = monotone(amount, a_iv, r_iv).hull(Interval.printed(path_pct, 2) / 100 * balance_iv)
        note = (
            "ours: the 1H25 balance implied by the printed amount and ratio, times the 图表26 ratio path "
            "(rounded to 0.01 % as the report prints ratios); "
            f"the ratio's rounding lets that balance range from "
            f"{units.convert(a_iv.mid / (ratios.loc['mortgage', '1H25'] + 0.005) * 100, 'CNY_mn', 'CNY_trn'):.2f} to "
            f"{units.convert(a_iv.mid / (ratios.loc['mortgage', '1H25'] - 0.005) * 100, 'CNY_mn', 'CNY_trn'):.2f}万亿"
        )
        return iv, note, ("r-fig26-2026e" if period == "26E" else "")
    mult = {"credit_card": 1 + sc.card_uplift, "business": sc.business_multiplier}.get(product, 1.0)
    if product == "consumer":
        c25 = monotone(lambda a, i: rs.repeated_increase(a, i, 1), a_iv, i_iv)
        if period == "25E":
            return c25, "2H25 repeats the printed 1H25 increase; both inputs are rounded to 1 百万元", ""
        extra = ours - rs.repeated_increase(
            float(amounts.loc[product, "1H25"]), float(inc.loc[product, "1H25"]), 1
        )
        return (
            c25 + extra,
            "2H25 repeats the 1H25 increase; 2026 adds the tier stress with our own-brand base (see 图表17 rows)",
            "r-own-brand-npl",
        )
    iv = monotone(lambda a, i: rs.repeated_increase(a, i, halves, mult), a_iv, i_iv)
    return iv, "the printed 1H25 amount and increase are each rounded to 1 百万元", ""


def _stress_checks() -> list[Check]:
    out = []
    res = run(published_scenario())
    st = res["stress"].set_index(["product", "period"])
    for p in PRODUCTS:
        for per in ("25E", "26E"):
            r = st.loc[(p, per)]
            iv, note, finding = _stress_interval(p, per, r["npl_mn"])
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
                    interval=iv,
                    finding=finding,
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
                    "the book's what-if: our amount over the 1H25 balance"
                    + (
                        f"; the printed ratio implies a loan balance {100 * (1 / growth - 1):+.1f}% vs 1H25 (the "
                        "report states no balance path)"
                        if abs(r["published_ratio_pct"] - r["ratio_flat_balance_pct"]) > 0.005
                        else ""
                    ),
                    whatif=True,
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
        _sum_checks()
        + _overview_checks()
        + _consumer_checks()
        + _mortgage_checks()
        + _range_checks()
        + _stress_checks()
    )


def ledger_checks() -> list[Check]:
    """Every published cell this chapter recomputes, with the report's own assumptions."""
    stamp = tuple(sorted((p.name, p.stat().st_mtime) for p in data.data_dir().glob("retail_*.csv")))
    return list(_ledger_cached(stamp))
