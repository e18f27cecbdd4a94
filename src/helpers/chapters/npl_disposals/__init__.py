"""Models for the disposals chapter: the 2025 NPL clean-up and banks' fire sale of collateral.

Sources: ``000_53446e2d23b336c6.txt`` (news digest, Chinese then English; the Chinese is the
primary text) and ``001_3d7b5ccb12dc6b79.txt`` (news article). Their figures live in the
``npl_*`` tables of ``data/``.

The module has two layers:

* **pure model functions** (numbers in, numbers out, no I/O): discounts, implied loan books,
  pro-rating, shares and concentration, growth bounds. Each rejects bad input with a
  ``ValueError`` naming the argument.
* **assemblers** that read the ``npl_*`` tables through :func:`helpers.data.load` and apply the
  model functions: :func:`home_sales`, :func:`hidden_npl`, :func:`announcement_pace`,
  :func:`disposal_bounds`, :func:`claim_tests` and :func:`ledger_checks`.
"""

from __future__ import annotations

import datetime as _dt

import pandas as pd

from helpers.book import data, lookup, units
from helpers.models import npl as npl_model
from helpers.models.npl import (
    days_to_years,
    discount_pct,
    hhi,
    hidden_npl_gap,
    implied_floor_area,
    max_cagr_given_floor,
    max_growth_given_floor,
    previous_from_growth,
    prorate_count,
    shares,
)

CHAPTER = "disposals"
HUNDREDS_OF_BILLIONS_BN = 100.0
"""Our reading of the article's 'hundreds of billions' (yuan): its lower end, 100 CNY_bn."""
RURAL_TYPES = ("rural credit system", "rural commercial bank")
"""``institution_type`` values of ``npl_bank_home_sales`` that count as rural lenders."""
CHENG_HALF_PP = 5.0
"""'三成' (three tenths) is rounded to a tenth (成): it covers ±5 percentage points around 30 %."""
D0 = "000_53446e2d23b336c6.txt"
D1 = "001_3d7b5ccb12dc6b79.txt"


# --------------------------------------------------------------------------- table access


def banking_system() -> pd.DataFrame:
    """``npl_banking_system`` as loaded (validated)."""
    return data.load("npl_banking_system")


def official_npl() -> dict:
    """Q3 2025 official figures: balance (CNY trn), ratio (%), their q-o-q changes, previous quarter.

    ``previous_balance = balance - change`` (CNY trn); ``previous_ratio = ratio - change_pp``.
    """
    bs = banking_system()
    bal = lookup.row(bs, indicator="npl_balance", period="2025Q3")
    dbal = lookup.row(bs, indicator="npl_balance_change_qoq", period="2025Q3")
    ratio = lookup.value(bs, indicator="npl_ratio", period="2025Q3", estimator="official")
    dratio = lookup.row(bs, indicator="npl_ratio_change_qoq", period="2025Q3")
    balance = lookup.in_unit(bal, "CNY_trn")
    change = lookup.in_unit(dbal, "CNY_trn")
    dpp = float(units.convert(float(dratio["value"]), dratio["unit"], "pp"))
    return {
        "balance_trn": balance,
        "change_trn": change,
        "ratio_pct": ratio,
        "change_pp": dpp,
        "previous_balance_trn": balance - change,
        "previous_ratio_pct": ratio - dpp,
        "balance_growth_pct": change / (balance - change) * 100.0,
    }


def hidden_npl(test_ratio_pct: float) -> pd.DataFrame:
    """Loan book implied by the Q3 2025 official figures and the NPLs at several ratios (CNY trn).

    Rows: the official ratio, the Japan Research Institute's 7.8 % (end-2024) and
    ``test_ratio_pct``. Columns: ``scenario``, ``ratio_pct``, ``npl_trn``, ``gap_trn`` (over the
    official balance), ``multiple`` (ratio / official ratio), ``loans_trn``.
    """
    o = official_npl()
    jri = lookup.value(banking_system(), indicator="npl_ratio", estimator="Japan Research Institute")
    rows = []
    for label, r in [
        ("official, Q3 2025", o["ratio_pct"]),
        ("JRI estimate, end-2024", jri),
        ("test ratio", test_ratio_pct),
    ]:
        g = hidden_npl_gap(o["balance_trn"], o["ratio_pct"], r)
        rows.append(
            {
                "scenario": label,
                "ratio_pct": r,
                "npl_trn": g["npl_test"],
                "gap_trn": g["gap"],
                "multiple": g["multiple"],
                "loans_trn": g["loans"],
            }
        )
    return pd.DataFrame(rows)


def profitability() -> pd.DataFrame:
    """ROE and ROA, 2024 vs the first three quarters of 2025, with the change in pp."""
    bs = banking_system()
    rows = []
    for ind, label in [("roe", "return on capital"), ("roa", "return on assets")]:
        a = lookup.value(bs, indicator=ind, period="2024")
        b = lookup.value(bs, indicator=ind, period="2025Q1-Q3")
        rows.append({"indicator": label, "2024 (%)": a, "2025 Q1-Q3 (%)": b, "change (pp)": b - a})
    return pd.DataFrame(rows)


def home_sales() -> pd.DataFrame:
    """Homes put up by each institution that has a figure, in homes, with shares of the ~70,000 total.

    One row per institution (the larger figure when both articles give one — they agree for
    Bank of Jilin); ``homes`` is the printed figure (for a range: its low end) converted to homes;
    ``share_of_total_pct = homes / total * 100``.
    """
    hs = data.load("npl_bank_home_sales")
    total = lookup.in_unit(lookup.row(hs, row_type="total", indicator="homes"), "homes")
    inst = hs[(hs["row_type"] == "institution") & (hs["relation"] != "named")].copy()
    inst["homes"] = [
        float(
            units.convert(float(r["value"] if pd.notna(r["value"]) else r["value_low"]), r["unit"], "homes")
        )
        for _, r in inst.iterrows()
    ]
    inst["figure"] = [
        {"eq": "", "approx": "about ", "gt": "over ", "ge": "at least ", "nearly": "nearly "}.get(r, "")
        + (f"{h:,.0f}" if r != "range" else f"{int(lo):,}-{int(hi):,} ('hundreds')")
        for r, h, lo, hi in zip(inst["relation"], inst["homes"], inst["value_low"], inst["value_high"])
    ]
    inst = inst.sort_values("homes", ascending=False).drop_duplicates("institution_en")
    out = inst[["institution_en", "institution_zh", "institution_type", "figure", "homes", "source"]].copy()
    out["share_of_total_pct"] = out["homes"] / total * 100.0
    return out.reset_index(drop=True)


def scale_summary() -> dict:
    """Total homes, institutions, Shanghai 2024 sales, their ratio, named coverage and concentration.

    ``ratio = total_homes / shanghai_sales``; ``named_share_pct = sum(named homes) / total``;
    ``hhi_named`` is the HHI of the named institutions' shares *among themselves*;
    ``top_share_pct`` = largest institution / total; ``rural_share_pct`` = named rural lenders
    (types in :data:`RURAL_TYPES`) / total, a lower bound for all rural sellers; ``rest_avg`` = homes per unnamed institution
    if the remainder were spread over the other (institutions - named) sellers.
    """
    hs = data.load("npl_bank_home_sales")
    mc = data.load("npl_market_context")
    total = lookup.in_unit(lookup.row(hs, row_type="total", indicator="homes"), "homes")
    n_inst = lookup.value(hs, row_type="total", indicator="institutions")
    sh = lookup.in_unit(lookup.row(mc, indicator="shanghai_new_home_sales"), "homes")
    named = home_sales()
    named_sum = float(named["homes"].sum())
    n_named = len(named)
    return {
        "total_homes": total,
        "institutions": n_inst,
        "shanghai_sales": sh,
        "ratio_to_shanghai": total / sh,
        "named_count": n_named,
        "named_homes": named_sum,
        "named_share_pct": named_sum / total * 100.0,
        "top_share_pct": float(named["homes"].max()) / total * 100.0,
        "hhi_named": hhi(shares(named["homes"].tolist())),
        "rural_homes": float(named.loc[named["institution_type"].isin(RURAL_TYPES), "homes"].sum()),
        "rural_share_pct": float(named.loc[named["institution_type"].isin(RURAL_TYPES), "homes"].sum())
        / total
        * 100.0,
        "rest_avg": (total - named_sum) / (n_inst - n_named) if n_inst > n_named else float("nan"),
    }


def announcement_pace(to: _dt.date) -> dict:
    """2025 NPL-transfer announcements: to date, pro-rated to ``to``, against the four-year average.

    ``projected = count * day_of_year(to) / day_of_year(as_of)``; ``ratio_* = x / average``.
    """
    tr = data.load("npl_transfers")
    ytd = lookup.row(tr, indicator="announcements_ytd")
    as_of = pd.Timestamp(ytd["as_of"]).date()
    count = float(ytd["value"])
    avg = lookup.value(tr, indicator="announcements_avg_4y")
    projected = prorate_count(count, as_of, to)
    full_year = prorate_count(count, as_of, _dt.date(as_of.year, 12, 31))
    return {
        "as_of": as_of,
        "to": to,
        "count": count,
        "average": avg,
        "projected": projected,
        "full_year": full_year,
        "ratio_to_date": count / avg,
        "ratio_projected": projected / avg,
        "ratio_full_year": full_year / avg,
    }


def disposal_bounds() -> dict:
    """What the stated disposal figures allow (CNY trn, percent).

    ``implied_2023 = 3.8 / (1 + 30/100)``; ``max_growth = (3.8 / 3 - 1) * 100`` (largest 2024
    growth compatible with 2023 above 3 trn); ``max_cagr = ((3.8 / 3) ** (1/4) - 1) * 100`` (largest
    average growth 2020-2024 compatible with 2020 above 3 trn).
    """
    d = data.load("npl_disposals")
    zh = d[d["source"] == D0]
    latest = lookup.value(zh, year=2024, indicator="disposals", relation="eq")
    growth = lookup.value(zh, year=2024, indicator="disposals_growth_yoy", relation="approx")
    growth_en = lookup.value(zh, year=2024, indicator="disposals_growth_yoy", relation="nearly")
    floor = lookup.value(zh, year=2023, indicator="disposals", relation="gt")
    floor_2020 = lookup.value(zh, year=2020, indicator="disposals", relation="gt")
    return {
        "latest": latest,
        "growth_pct": growth,
        "growth_en_pct": growth_en,
        "floor": floor,
        "implied_2023": previous_from_growth(latest, growth),
        "max_growth_pct": max_growth_given_floor(latest, floor),
        "max_cagr_pct": max_cagr_given_floor(latest, floor_2020, 2024 - 2020),
    }


def guangzhou_auction() -> dict:
    """The Guangzhou auction: starting price, market value, recomputed discount, implied floor area.

    ``discount = (1 - start / market) * 100``; ``area = market / area_price``; also the starting
    price as a share of market value (``start / market * 100``).
    """
    ex = data.load("npl_collateral_examples")
    g = ex[ex["example_id"] == "guangzhou_auction"]
    start = lookup.in_unit(lookup.row(g, measure="starting_price"), "CNY")
    market = lookup.in_unit(lookup.row(g, measure="market_value"), "CNY")
    area_price = lookup.in_unit(lookup.row(g, measure="area_listing_price"), "CNY_per_m2")
    claimed = lookup.value(g, measure="claimed_discount")
    return {
        "starting_price": start,
        "market_value": market,
        "area_price": area_price,
        "claimed_discount_pct": claimed,
        "discount_pct": discount_pct(start, market),
        "start_share_pct": start / market * 100.0,
        "implied_area_m2": implied_floor_area(market, area_price),
    }


def packages() -> pd.DataFrame:
    """Named packages in CNY bn with, for Bohai, the interest-and-penalty part implied by the two totals.

    ``interest = total_with_interest - principal``; ``interest_share_of_principal = interest / principal``.
    """
    p = data.load("npl_packages")
    money = p[p["unit"] != "days"].copy()
    money["value_bn"] = units.convert_column(money["value"], money["unit"], "CNY_bn")
    return money


def claim_tests(to: _dt.date | None = None) -> pd.DataFrame:
    """The articles' quantitative claims tested against their own numbers.

    Columns: ``claim``, ``source``, ``locator``, ``test``, ``ours`` (our number, rounded for
    display), ``verdict`` ("holds", "fails", "untestable" or "odd wording").
    """
    s = scale_summary()
    a = announcement_pace(to or _dt.date(2025, 12, 31))
    d = disposal_bounds()
    g = guangzhou_auction()
    tr = data.load("npl_transfers")
    pk = data.load("npl_packages")
    mc = data.load("npl_market_context")
    h1 = lookup.value(tr, indicator="personal_npl_bulk_transfers")
    fc = lookup.value(tr, indicator="personal_npl_bulk_transfers_forecast")
    day_amt = lookup.value(tr, indicator="announcements_day_amount")
    ms_days = lookup.value(pk, package_id="minsheng_cc_2025_6", measure="days_overdue")
    ms_amt = lookup.value(pk, package_id="minsheng_cc_2025_6", measure="npl_amount")
    largest = float(packages()["value_bn"].max())
    start_d = lookup.value(mc, indicator="auction_start_discount")
    final_d = lookup.value(mc, indicator="auction_final_discount")

    over_years = lookup.value(tr, indicator="announcements_day_overdue")
    ex = data.load("npl_collateral_examples")
    hl_area = lookup.value(ex, example_id="heilongjiang_sale", measure="floor_area")
    lz_bids = lookup.value(ex, example_id="lanzhou_auction", measure="bids")
    hundreds_bn = HUNDREDS_OF_BILLIONS_BN

    def v(ok):
        return "holds" if ok else "fails"

    rows = [
        (
            f"~{s['total_homes']:,.0f} bank homes exceed Shanghai's ~{s['shanghai_sales']:,.0f} new-home sales of 2024",
            D0,
            "zh para 1",
            "total / Shanghai > 1",
            f"{s['ratio_to_shanghai']:.2f}",
            v(s["ratio_to_shanghai"] > 1),
        ),
        (
            f"2024 disposals {d['latest']:.1f} trn, +{d['growth_pct']:.0f} % y/y, and above {d['floor']:.0f} trn "
            f"in each of 2020-2024",
            D0,
            "zh para 2",
            f"{d['latest']:.1f} / (1 + {d['growth_pct']:.0f} %) > {d['floor']:.0f} (2023 above the floor)",
            f"{d['implied_2023']:.2f} trn",
            v(d["implied_2023"] > d["floor"]),
        ),
        (
            f"{a['count']:,.0f} announcements to {a['as_of']:%d %b} 'far exceed' the ~{a['average']:,.0f} yearly average",
            D1,
            "para 4",
            "to-date count / average",
            f"{a['ratio_to_date']:.2f}x",
            v(a["ratio_to_date"] > 1),
        ),
        (
            f"Guangzhou starting price 'over {g['claimed_discount_pct']:.0f} % below' market value",
            D1,
            "para 11",
            f"(1 - {g['starting_price']:,.0f} / {g['market_value']:,.0f}) > {g['claimed_discount_pct']:.0f} %",
            f"{g['discount_pct']:.1f} %",
            v(g["discount_pct"] > g["claimed_discount_pct"]),
        ),
        (
            f"Minsheng package {ms_days:,.0f} days overdue; {a['as_of']:%d %b} packages mostly 'over {over_years:.0f} years'",
            D1,
            "para 4-5",
            f"{ms_days:,.0f} / 365 > {over_years:.0f} years",
            f"{days_to_years(ms_days):.2f} years",
            v(days_to_years(ms_days) > over_years),
        ),
        (
            f"Minsheng's package among the {a['as_of']:%d %b} deals worth 'over {day_amt:.1f} bn'",
            D1,
            "para 4-5",
            f"{ms_amt:.2f} bn / {day_amt:.1f} bn (share if included)",
            f"{ms_amt / day_amt * 100:.0f} %",
            "untestable",
        ),
        (
            "Packages reach 'tens of billions or even hundreds of billions'",
            D1,
            "para 1, 6",
            f"largest named package >= {hundreds_bn:.0f} bn",
            f"{largest:.0f} bn",
            v(largest >= hundreds_bn),
        ),
        (
            f"Personal NPL bulk transfers to exceed {fc:.0f} bn in 2025 ({h1:.1f} bn in 1H)",
            D1,
            "para 7",
            f"2 x 1H > {fc:.0f} bn",  # prose-lint: allow 2 (two half-years make the year)
            f"{2 * h1:.1f} bn",
            v(2 * h1 > fc),
        ),
        (
            f"Auction discount: starting {start_d:.1f} %, final 'only' {final_d:.1f} %",
            D1,
            "para 16",
            "final discount < starting discount",
            f"{final_d - start_d:+.1f} pp",
            "odd wording",
        ),
        (
            f"Heilongjiang {hl_area:.0f} m2 home sold at half the market price",
            D0,
            "zh para 1",
            "no prices given",
            "-",
            "untestable",
        ),
        (
            f"Lanzhou homes at half the market price, {lz_bids:.0f} bids",
            D1,
            "para 12",
            "no prices given",
            "-",
            "untestable",
        ),
    ]
    return pd.DataFrame(rows, columns=["claim", "source", "locator", "test", "ours", "verdict"])


# --------------------------------------------------------------------------- parameters
def check_parameters(test_npl_ratio_pct, prorate_to) -> tuple[float, _dt.date]:
    """Validate the chapter's papermill parameters; return them typed.

    ``test_npl_ratio_pct``: an NPL ratio in percent, 0.5-50. ``prorate_to``: an ISO date string
    (or a ``datetime.date``) between the announcement count's as-of date and 31 December of that
    year. Raises :class:`helpers.params.ParameterError` naming the parameter.
    """
    from helpers.book import checks as params

    ratio = params.check_range("test_npl_ratio_pct", test_npl_ratio_pct, 0.5, 50)
    if isinstance(prorate_to, _dt.date):
        to = prorate_to
    else:
        try:
            to = _dt.date.fromisoformat(str(prorate_to))
        except ValueError:
            raise params.ParameterError(
                f"parameter 'prorate_to' = {prorate_to!r} is not a date in YYYY-MM-DD form"
            ) from None
    tr = data.load("npl_transfers")
    as_of = pd.Timestamp(lookup.row(tr, indicator="announcements_ytd")["as_of"]).date()
    end = _dt.date(as_of.year, 12, 31)
    if not as_of <= to <= end:
        raise params.ParameterError(
            f"parameter 'prorate_to' = {to.isoformat()} is out of range: it must lie in "
            f"[{as_of.isoformat()}, {end.isoformat()}] (the count runs to {as_of.isoformat()})"
        )
    return ratio, to


# --------------------------------------------------------------------------- numbers for the prose
def numbers(test_ratio: float, prorate_date: _dt.date) -> dict[str, float | str]:
    """Every number the chapter's prose quotes, by the name it is glued under.

    Data values (through :func:`helpers.book.lookup` and the table assemblers above) and the
    model results built on them; dates come back as text ("30 September 2025").
    """
    v: dict[str, float | str] = {}
    o = official_npl()
    hid = hidden_npl(test_ratio).set_index("scenario")
    prof = profitability().set_index("indicator")
    d = disposal_bounds()
    s = scale_summary()
    pace = announcement_pace(prorate_date)
    gz = guangzhou_auction()
    bs = banking_system()
    tr = data.load("npl_transfers").set_index("indicator")
    mc = data.load("npl_market_context").set_index("indicator")
    pk = packages().set_index(["package_id", "measure"])
    pk_days = data.load("npl_packages").set_index(["package_id", "measure"])
    ex = data.load("npl_collateral_examples").set_index(["example_id", "measure"])

    for k in (
        "balance_trn",
        "change_trn",
        "ratio_pct",
        "change_pp",
        "previous_ratio_pct",
        "previous_balance_trn",
        "balance_growth_pct",
    ):
        v[f"o_{k}"] = o[k]
    v["o_change_bn"] = units.convert(o["change_trn"], "CNY_trn", "CNY_bn")
    jri_row = hid.loc["JRI estimate, end-2024"]
    test_row = hid.loc["test ratio"]
    v["loans_trn"] = float(jri_row["loans_trn"])
    v["jri_ratio"] = float(jri_row["ratio_pct"])
    v["jri_npl_trn"] = float(jri_row["npl_trn"])
    v["jri_gap_trn"] = float(jri_row["gap_trn"])
    v["jri_multiple"] = float(jri_row["multiple"])
    v["test_ratio"] = test_ratio
    v["test_npl_trn"] = float(test_row["npl_trn"])
    v["test_gap_trn"] = float(test_row["gap_trn"])
    v["roe_2024"] = prof.loc["return on capital", "2024 (%)"]
    v["roe_2025"] = prof.loc["return on capital", "2025 Q1-Q3 (%)"]
    v["roa_2024"] = prof.loc["return on assets", "2024 (%)"]
    v["roa_2025"] = prof.loc["return on assets", "2025 Q1-Q3 (%)"]
    v["roe_change"] = -prof.loc["return on capital", "change (pp)"]
    for k in ("latest", "growth_pct", "floor", "implied_2023", "max_growth_pct", "max_cagr_pct"):
        v[f"d_{k}"] = d[k]
    for k in (
        "total_homes",
        "institutions",
        "shanghai_sales",
        "ratio_to_shanghai",
        "named_count",
        "named_homes",
        "named_share_pct",
        "top_share_pct",
        "hhi_named",
        "rest_avg",
        "rural_homes",
        "rural_share_pct",
    ):
        v[f"s_{k}"] = s[k]
    v["s_rest_institutions"] = s["institutions"] - s["named_count"]
    for k in (
        "count",
        "average",
        "projected",
        "full_year",
        "ratio_to_date",
        "ratio_projected",
        "ratio_full_year",
    ):
        v[f"p_{k}"] = pace[k]
    v["p_as_of"] = f"{pace['as_of']:%d %B %Y}"
    v["p_to"] = f"{prorate_date:%d %B %Y}"
    v["p_day"] = npl_model.day_of_year(pace["as_of"])
    for k in (
        "starting_price",
        "market_value",
        "area_price",
        "claimed_discount_pct",
        "discount_pct",
        "start_share_pct",
        "implied_area_m2",
    ):
        v[f"gz_{k}"] = gz[k]
    hs_named = home_sales().set_index("institution_zh")
    for key, zh in [
        ("sichuan", "四川农信"),
        ("guangdong", "广东农信"),
        ("abc", "中国农业银行"),
        ("jilin", "吉林银行"),
        ("lanzhou", "兰州银行"),
    ]:
        v[f"h_{key}"] = float(hs_named.loc[zh, "homes"])
    v["digest_ratio"] = float(
        bs[(bs.indicator == "npl_ratio") & (bs.source == D0) & (bs.estimator == "official")]["value"].iloc[0]
    )
    v["d_growth_low"] = d["growth_pct"] - CHENG_HALF_PP
    v["d_growth_high"] = d["growth_pct"] + CHENG_HALF_PP
    v["liquor_date"] = f"{pd.Timestamp(ex.loc[('ningcheng_liquor', 'starting_price'), 'date']):%d %B}"
    v["deregistered"] = float(bs.set_index("indicator").loc["banks_deregistered", "value"])
    v["over_years"] = float(tr.loc["announcements_day_overdue", "value"])
    v["day_count"] = float(tr.loc["announcements_day", "value"])
    v["day_amount"] = float(tr.loc["announcements_day_amount", "value"])
    v["personal_h1"] = float(tr.loc["personal_npl_bulk_transfers", "value"])
    v["personal_h1_x2"] = 2 * float(tr.loc["personal_npl_bulk_transfers", "value"])
    v["personal_fc"] = float(tr.loc["personal_npl_bulk_transfers_forecast", "value"])
    v["ms_amount"] = float(pk.loc[("minsheng_cc_2025_6", "npl_amount"), "value_bn"])
    ms_days = float(pk_days.loc[("minsheng_cc_2025_6", "days_overdue"), "value"])
    v["ms_days"] = ms_days
    v["ms_years"] = days_to_years(ms_days)
    v["ms_share_day"] = (
        float(pk.loc[("minsheng_cc_2025_6", "npl_amount"), "value_bn"])
        / float(tr.loc["announcements_day_amount", "value"])
        * 100
    )
    bohai_p = float(pk.loc[("bohai_2025_10", "principal"), "value_bn"])
    bohai_t = float(pk.loc[("bohai_2025_10", "total_with_interest"), "value_bn"])
    v["bohai_p"] = bohai_p
    v["bohai_t"] = bohai_t
    v["bohai_interest"] = bohai_t - bohai_p
    v["bohai_interest_share"] = (bohai_t - bohai_p) / bohai_p * 100
    v["grcb"] = float(pk.loc[("grcb_2025", "listed_assets"), "value_bn"])
    v["auction_supply"] = float(mc.loc["auction_supply", "value"])
    v["auction_start"] = float(mc.loc["auction_start_discount", "value"])
    v["auction_final"] = float(mc.loc["auction_final_discount", "value"])
    v["listing_discount"] = float(mc.loc["bank_listing_discount", "value"])
    v["hl_area"] = float(ex.loc[("heilongjiang_sale", "floor_area"), "value"])
    v["hl_ratio"] = float(ex.loc[("heilongjiang_sale", "price_to_market"), "value"])
    v["lz_ratio"] = float(ex.loc[("lanzhou_auction", "price_to_market"), "value"])
    v["lz_bids"] = float(ex.loc[("lanzhou_auction", "bids"), "value"])
    v["liquor_price"] = float(ex.loc[("ningcheng_liquor", "starting_price"), "value"])
    v["stone_price"] = float(ex.loc[("kalaxingqi_stone", "starting_price"), "value"])
    v["d_growth_en_pct"] = d["growth_en_pct"]
    v.update(digest_named_sellers())
    return {k: x if isinstance(x, str) else float(x) for k, x in v.items()}


def digest_named_sellers() -> dict[str, float]:
    """Homes the digest (000) itself attributes to the sellers it names with a figure, and their
    share of its own total (``s_digest_named_*``): the named sellers belong to that total."""
    hs = data.load("npl_bank_home_sales")
    d0 = hs[(hs["source"] == D0) & (hs["row_type"] == "institution") & (hs["indicator"] == "homes")]
    d0 = d0.dropna(subset=["value"])
    homes = sum(lookup.in_unit(r, "homes") for _, r in d0.iterrows())
    return {
        "s_digest_named_count": float(d0["institution_en"].nunique()),
        "s_digest_named_homes": float(homes),
        "s_digest_named_share_pct": homes / scale_summary()["total_homes"] * 100,
    }
