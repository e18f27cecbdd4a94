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

from . import data, units
from .checks import non_negative, number, positive
from .ledger import Check

CHAPTER = "disposals"
HUNDREDS_OF_BILLIONS_BN = 100.0
"""Our reading of the article's 'hundreds of billions' (yuan): its lower end, 100 CNY_bn."""
RURAL_TYPES = ("rural credit system", "rural commercial bank")
"""``institution_type`` values of ``npl_bank_home_sales`` that count as rural lenders."""
CHENG_HALF_PP = 5.0
"""'三成' (three tenths) is rounded to a tenth (成): it covers ±5 percentage points around 30 %."""
D0 = "000_53446e2d23b336c6.txt"
D1 = "001_3d7b5ccb12dc6b79.txt"


# --------------------------------------------------------------------------- validation


def _ratio_pct(name: str, value) -> float:
    value = number(name, value)
    if not 0 < value <= 100:
        raise ValueError(f"{name} is a percentage and must lie in (0, 100], got {value!r}")
    return value


# --------------------------------------------------------------------------- model functions
def discount_pct(price: float, market_value: float) -> float:
    """Discount of a sale or starting price to market value, in percent.

    ``discount = (1 - price / market_value) * 100``. Both inputs in the same money unit;
    ``price`` >= 0, ``market_value`` > 0. A price above market value gives a negative discount.
    """
    price = non_negative("price", price)
    market_value = positive("market_value", market_value)
    return (1.0 - price / market_value) * 100.0


def implied_floor_area(market_value: float, price_per_m2: float) -> float:
    """Floor area (m²) implied by a total value and a price per m² (both in yuan units).

    ``area = market_value / price_per_m2`` with ``market_value`` in CNY and ``price_per_m2`` in
    CNY/m²; both must be positive.
    """
    return positive("market_value", market_value) / positive("price_per_m2", price_per_m2)


def implied_loan_book(npl_balance: float, npl_ratio_pct: float) -> float:
    """Loan book implied by an NPL balance and an NPL ratio.

    ``loans = npl_balance / (npl_ratio_pct / 100)``; the result is in the unit of
    ``npl_balance`` (e.g. CNY_trn). ``npl_ratio_pct`` is in percent, in (0, 100].
    """
    npl_balance = non_negative("npl_balance", npl_balance)
    return npl_balance / (_ratio_pct("npl_ratio_pct", npl_ratio_pct) / 100.0)


def npl_at_ratio(loans: float, npl_ratio_pct: float) -> float:
    """NPL balance of a loan book at a given NPL ratio: ``loans * npl_ratio_pct / 100``.

    Result in the unit of ``loans``; ``npl_ratio_pct`` in percent, in (0, 100].
    """
    loans = non_negative("loans", loans)
    return loans * _ratio_pct("npl_ratio_pct", npl_ratio_pct) / 100.0


def hidden_npl_gap(npl_balance: float, official_ratio_pct: float, test_ratio_pct: float) -> dict:
    """The NPLs a higher (or lower) ratio would imply on the same loan book.

    ``loans = npl_balance / official_ratio``; ``npl_test = loans * test_ratio``;
    ``gap = npl_test - npl_balance``; ``multiple = test_ratio / official_ratio``.
    Money results are in the unit of ``npl_balance``; ratios in percent.
    """
    loans = implied_loan_book(npl_balance, official_ratio_pct)
    npl_test = npl_at_ratio(loans, test_ratio_pct)
    return {
        "loans": loans,
        "npl_official": float(npl_balance),
        "npl_test": npl_test,
        "gap": npl_test - float(npl_balance),
        "multiple": test_ratio_pct / official_ratio_pct,
    }


def day_of_year(date: _dt.date) -> int:
    """Day number of ``date`` in its year, 1 January = 1 (so the count of days elapsed, inclusive)."""
    if not isinstance(date, _dt.date):
        raise ValueError(f"date must be a datetime.date, got {date!r}")
    return date.timetuple().tm_yday


def days_in_year(year: int) -> int:
    """365, or 366 in a leap year."""
    return 366 if (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)) else 365


def prorate_count(count: float, as_of: _dt.date, to: _dt.date) -> float:
    """Extend a year-to-date count at a constant daily pace to a later date of the same year.

    ``projected = count * day_of_year(to) / day_of_year(as_of)`` (days counted inclusively from
    1 January). ``to`` must fall in the same year as ``as_of`` and not before it; with
    ``to`` = 31 December this is the full-year pace.
    """
    count = non_negative("count", count)
    if not isinstance(as_of, _dt.date) or not isinstance(to, _dt.date):
        raise ValueError("as_of and to must be datetime.date values")
    if to.year != as_of.year:
        raise ValueError(f"to ({to}) must be in the same year as as_of ({as_of})")
    if to < as_of:
        raise ValueError(f"to ({to}) must not be before as_of ({as_of})")
    return count * day_of_year(to) / day_of_year(as_of)


def shares(values) -> list[float]:
    """Each value's share of their sum, as fractions: ``s_i = v_i / sum(v)``. Values >= 0, sum > 0."""
    vals = [non_negative(f"values[{i}]", v) for i, v in enumerate(values)]
    total = sum(vals)
    if total <= 0:
        raise ValueError("values must have a positive sum")
    return [v / total for v in vals]


def hhi(share_list) -> float:
    """Herfindahl–Hirschman index on the 0–10,000 scale: ``sum((100 * s_i)**2)``, shares as fractions.

    Shares must be in [0, 1] and sum to at most 1 (+1e-9). 10,000 = a single seller; a low value
    = sales spread across many sellers.
    """
    s = [non_negative(f"share_list[{i}]", v) for i, v in enumerate(share_list)]
    if any(v > 1 for v in s) or sum(s) > 1 + 1e-9:
        raise ValueError("share_list must hold fractions in [0, 1] summing to at most 1")
    return sum((100.0 * v) ** 2 for v in s)


def previous_from_growth(latest: float, growth_pct: float) -> float:
    """The previous period's level implied by the latest level and its growth.

    ``previous = latest / (1 + growth_pct / 100)``; ``growth_pct`` > -100.
    """
    latest = non_negative("latest", latest)
    growth_pct = number("growth_pct", growth_pct)
    if growth_pct <= -100:
        raise ValueError(f"growth_pct must be above -100, got {growth_pct!r}")
    return latest / (1.0 + growth_pct / 100.0)


def max_growth_given_floor(latest: float, floor: float) -> float:
    """Largest growth (percent) to ``latest`` compatible with a previous level of at least ``floor``.

    ``g_max = (latest / floor - 1) * 100``; both in the same unit, ``floor`` > 0.
    """
    return (non_negative("latest", latest) / positive("floor", floor) - 1.0) * 100.0


def max_cagr_given_floor(latest: float, floor: float, years: int) -> float:
    """Largest average annual growth (percent) over ``years`` from a start of at least ``floor``.

    ``cagr_max = ((latest / floor) ** (1 / years) - 1) * 100``; ``years`` a positive integer.
    """
    if isinstance(years, bool) or not isinstance(years, int) or years <= 0:
        raise ValueError(f"years must be a positive integer, got {years!r}")
    return ((non_negative("latest", latest) / positive("floor", floor)) ** (1.0 / years) - 1.0) * 100.0


def days_to_years(days: float) -> float:
    """``years = days / 365`` (calendar years of 365 days; the articles' 'years overdue')."""
    return non_negative("days", days) / 365.0


# --------------------------------------------------------------------------- table access
def _value(frame: pd.DataFrame, **where) -> float:
    """The single ``value`` of the row matching every column=value in ``where``."""
    mask = pd.Series(True, index=frame.index)
    for col, val in where.items():
        mask &= frame[col] == val
    hits = frame.loc[mask]
    if len(hits) != 1:
        raise data.DataError(f"expected one row for {where}, found {len(hits)}")
    return float(hits["value"].iloc[0])


def _row(frame: pd.DataFrame, **where) -> pd.Series:
    mask = pd.Series(True, index=frame.index)
    for col, val in where.items():
        mask &= frame[col] == val
    hits = frame.loc[mask]
    if len(hits) != 1:
        raise data.DataError(f"expected one row for {where}, found {len(hits)}")
    return hits.iloc[0]


def _in(row: pd.Series, target: str) -> float:
    return float(units.convert(float(row["value"]), row["unit"], target))


def banking_system() -> pd.DataFrame:
    """``npl_banking_system`` as loaded (validated)."""
    return data.load("npl_banking_system")


def official_npl() -> dict:
    """Q3 2025 official figures: balance (CNY trn), ratio (%), their q-o-q changes, previous quarter.

    ``previous_balance = balance - change`` (CNY trn); ``previous_ratio = ratio - change_pp``.
    """
    bs = banking_system()
    bal = _row(bs, indicator="npl_balance", period="2025Q3")
    dbal = _row(bs, indicator="npl_balance_change_qoq", period="2025Q3")
    ratio = _value(bs, indicator="npl_ratio", period="2025Q3", estimator="official")
    dratio = _row(bs, indicator="npl_ratio_change_qoq", period="2025Q3")
    balance = _in(bal, "CNY_trn")
    change = _in(dbal, "CNY_trn")
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
    jri = _value(banking_system(), indicator="npl_ratio", estimator="Japan Research Institute")
    rows = []
    for label, r in [
        ("official (2025Q3)", o["ratio_pct"]),
        ("Japan Research Institute estimate (end-2024)", jri),
        ("ratio tested (parameter)", test_ratio_pct),
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
        a = _value(bs, indicator=ind, period="2024")
        b = _value(bs, indicator=ind, period="2025Q1-Q3")
        rows.append({"indicator": label, "2024 (%)": a, "2025 Q1-Q3 (%)": b, "change (pp)": b - a})
    return pd.DataFrame(rows)


def home_sales() -> pd.DataFrame:
    """Homes put up by each institution that has a figure, in homes, with shares of the ~70,000 total.

    One row per institution (the larger figure when both articles give one — they agree for
    Bank of Jilin); ``homes`` is the printed figure (for a range: its low end) converted to homes;
    ``share_of_total_pct = homes / total * 100``.
    """
    hs = data.load("npl_bank_home_sales")
    total = _in(_row(hs, row_type="total", indicator="homes"), "homes")
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
    total = _in(_row(hs, row_type="total", indicator="homes"), "homes")
    n_inst = _value(hs, row_type="total", indicator="institutions")
    sh = _in(_row(mc, indicator="shanghai_new_home_sales"), "homes")
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
    ytd = _row(tr, indicator="announcements_ytd")
    as_of = pd.Timestamp(ytd["as_of"]).date()
    count = float(ytd["value"])
    avg = _value(tr, indicator="announcements_avg_4y")
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
    latest = _value(zh, year=2024, indicator="disposals", relation="eq")
    growth = _value(zh, year=2024, indicator="disposals_growth_yoy", relation="approx")
    growth_en = _value(zh, year=2024, indicator="disposals_growth_yoy", relation="nearly")
    floor = _value(zh, year=2023, indicator="disposals", relation="gt")
    floor_2020 = _value(zh, year=2020, indicator="disposals", relation="gt")
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
    start = _in(_row(g, measure="starting_price"), "CNY")
    market = _in(_row(g, measure="market_value"), "CNY")
    area_price = _in(_row(g, measure="area_listing_price"), "CNY_per_m2")
    claimed = _value(g, measure="claimed_discount")
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
    h1 = _value(tr, indicator="personal_npl_bulk_transfers")
    fc = _value(tr, indicator="personal_npl_bulk_transfers_forecast")
    day_amt = _value(tr, indicator="announcements_day_amount")
    ms_days = _value(pk, package_id="minsheng_cc_2025_6", measure="days_overdue")
    ms_amt = _value(pk, package_id="minsheng_cc_2025_6", measure="npl_amount")
    largest = float(packages()["value_bn"].max())
    start_d = _value(mc, indicator="auction_start_discount")
    final_d = _value(mc, indicator="auction_final_discount")

    over_years = _value(tr, indicator="announcements_day_overdue")
    ex = data.load("npl_collateral_examples")
    hl_area = _value(ex, example_id="heilongjiang_sale", measure="floor_area")
    lz_bids = _value(ex, example_id="lanzhou_auction", measure="bids")
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
            f"2 x 1H > {fc:.0f} bn",
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


# --------------------------------------------------------------------------- ledger
def ledger_checks() -> list[Check]:
    """This chapter's reproduction checks, from ``data/`` with the published assumptions."""
    g = guangzhou_auction()
    d = disposal_bounds()
    bs = banking_system()
    digest_ratio = _value(bs, indicator="npl_ratio", source=D0, estimator="official")
    q3_ratio = official_npl()["ratio_pct"]
    return [
        Check(
            chapter=CHAPTER,
            source=D1,
            table="para 11",
            row="Guangzhou auction (Jiujiang Bank)",
            column="discount of starting price to market value",
            published=g["claimed_discount_pct"],
            recomputed=g["discount_pct"],
            unit="pct",
            decimals=0,
            note=(
                f"published 'over {g['claimed_discount_pct']:.0f}% below market value'; the article's own prices "
                f"(about {g['starting_price']:,.0f} yuan against about {g['market_value']:,.0f}) give a discount of "
                f"{g['discount_pct']:.1f} %: the starting price is {g['start_share_pct']:.1f} % of market value. "
                "The claim contradicts its own numbers."
            ),
        ),
        Check(
            chapter=CHAPTER,
            source=D0,
            table="zh para 2",
            row="bank NPL disposals 2024",
            column="growth y/y (三成, as a ratio)",
            published=units.convert(d["growth_pct"], "pct", "ratio"),
            recomputed=units.convert(d["max_growth_pct"], "pct", "ratio"),
            unit="ratio",
            decimals=1,
            note=(
                f"recomputed = the largest 2024 growth compatible with 2023 disposals above {d['floor']:.0f} trn "
                f"({d['latest']:.1f}/{d['floor']:.0f} - 1). '三成' is printed in tenths, so at its own precision "
                f"it is compatible with 'five years above {d['floor']:.0f} trn' only if growth was "
                f"{d['growth_pct'] - CHENG_HALF_PP:.0f}-{d['max_growth_pct']:.1f} %; taken literally, {d['growth_pct']:.0f} % puts "
                f"2023 at {d['implied_2023']:.2f} trn, below the floor."
            ),
        ),
        Check(
            chapter=CHAPTER,
            source=D0,
            table="en para 2",
            row="bank NPL disposals 2024",
            column="growth y/y ('nearly 30%', English part)",
            published=d["growth_en_pct"],
            recomputed=d["max_growth_pct"],
            unit="pct",
            decimals=0,
            note=(
                f"the English part prints 'up nearly {d['growth_en_pct']:.0f}%'; growth above {d['max_growth_pct']:.1f} % "
                f"would put 2023 below {d['floor']:.0f} trn, contradicting 'above {d['floor']:.0f} trillion yuan "
                "for the fifth consecutive year' in the same sentence."
            ),
        ),
        Check(
            chapter=CHAPTER,
            source=D0,
            table="zh para 2",
            row="commercial banks' NPL ratio (official)",
            column="约1.5% against 001's 2025Q3 figure",
            published=digest_ratio,
            recomputed=q3_ratio,
            unit="pct",
            decimals=1,
            note=(
                f"cross-source check: the digest's undated 'about {digest_ratio:.1f} %' agrees with 001's "
                f"{q3_ratio:.2f} % for 2025Q3."
            ),
        ),
    ]


# --------------------------------------------------------------------------- parameters
def check_parameters(test_npl_ratio_pct, prorate_to) -> tuple[float, _dt.date]:
    """Validate the chapter's papermill parameters; return them typed.

    ``test_npl_ratio_pct``: an NPL ratio in percent, 0.5-50. ``prorate_to``: an ISO date string
    (or a ``datetime.date``) between the announcement count's as-of date and 31 December of that
    year. Raises :class:`helpers.params.ParameterError` naming the parameter.
    """
    from . import params

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
    as_of = pd.Timestamp(_row(tr, indicator="announcements_ytd")["as_of"]).date()
    end = _dt.date(as_of.year, 12, 31)
    if not as_of <= to <= end:
        raise params.ParameterError(
            f"parameter 'prorate_to' = {to.isoformat()} is out of range: it must lie in "
            f"[{as_of.isoformat()}, {end.isoformat()}] (the count runs to {as_of.isoformat()})"
        )
    return ratio, to
