"""Claims of the two news texts (seeds 000 and 001) tested by their own numbers: the reread's
ledger cells for the disposals chapter.

Each function takes a row of ``data/ledger/cells/claims.csv`` and returns the ledger-spec dict
(``published``, ``recomputed``, ``low``, ``high``, ``values``); published values come from
``data/``. The encoding of *equal*, *at_least*, *at_most* and *between* is the one described in
:mod:`helpers.chapters.retail_risk.claims`: for a comparison, ``recomputed`` is the value
nearest to the printed one that the claim allows, so a claim that holds matches.
"""

from __future__ import annotations

from helpers.book import data, lookup
from helpers.book.claim_cells import at_least as _at_least
from helpers.book.claim_cells import at_most as _at_most
from helpers.book.claim_cells import cell as _cell
from helpers.book.claim_cells import clip as _clip
from helpers.book.claim_cells import equal as _equal
from helpers.book.intervals import Interval, total

ZH = "000_53446e2d23b336c6.txt"
EN = "001_3d7b5ccb12dc6b79.txt"


# ----------------------------------------------------------------------------- helpers
# (helpers.book.claim_cells: one encoding of the relations for every chapter)


def _homes(institution: str, source: str) -> float:
    frame = data.load("npl_bank_home_sales")
    sel = frame[(frame["institution_en"] == institution) & (frame["source"] == source)]
    if len(sel) != 1:
        raise LookupError(f"npl_bank_home_sales: {len(sel)} rows for {institution!r} in {source}")
    r = sel.iloc[0]
    return lookup.in_unit(r, "homes")


def _total_homes(unit: str = "homes_10k") -> float:
    return lookup.value("npl_bank_home_sales", unit, row_type="total", indicator="homes")


def _banking(indicator: str, period: str, **where) -> float:
    return lookup.value("npl_banking_system", indicator=indicator, period=period, **where)


def _floor_rows(source: str):
    frame = data.load("npl_disposals")
    return frame[(frame["relation"] == "gt") & (frame["source"] == source)]


# ----------------------------------------------------------------------------- 000, para 1


def homes_exceed_shanghai(row=None) -> dict:
    """000 zh para 1: the ~70,000 homes "已超过" (already exceed) Shanghai's 2024 new-home
    sales (约5.9万套)."""
    shanghai = lookup.value("npl_market_context", "homes_10k", indicator="shanghai_new_home_sales")
    return _at_least(_total_homes(), Interval.printed(shanghai, 1), shanghai=shanghai)


def named_sellers_within_total(row=None) -> dict:
    """000 zh para 1: the sellers the digest names with a figure (Sichuan, Jilin, Lanzhou) are
    part of its total ("四川农信一地就挂牌约2.5万套" …): the total is at least their sum,
    each taken at its printed rounding."""
    sichuan = Interval.printed(_homes("Sichuan Rural Credit (Sichuan Rural Commercial Union Bank)", ZH), -3)
    jilin = Interval.printed(_homes("Bank of Jilin", ZH), -3)
    lanzhou = Interval.printed(_homes("Bank of Lanzhou", ZH), -1)
    parts = total(sichuan, jilin, lanzhou) / Interval.point(1e4)  # homes → 万套
    return _at_least(
        _total_homes(), parts, named_sum=parts.mid * 1e4, share_pct=100 * parts.mid / _total_homes()
    )


# ----------------------------------------------------------------------------- 000 para 2 / 001


def disposals_above_floor(row=None) -> dict:
    """000 zh para 2: 2024 disposals (3.8万亿) "连续五年突破3万亿" (above the 3 trn floor)."""
    floor = lookup.value("npl_disposals", year=2024, indicator="disposals", relation="gt", source=ZH)
    level = lookup.value("npl_disposals", year=2024, indicator="disposals", relation="eq", source=ZH)
    return _at_least(level, Interval.point(floor))


def disposals_2024_twice(row=None) -> dict:
    """001 para 8 repeats 000's 2024 disposals ("a record high of 3.8 trillion yuan")."""
    first = lookup.value("npl_disposals", year=2024, indicator="disposals", relation="eq", source=ZH)
    second = lookup.value("npl_disposals", year=2024, indicator="disposals", relation="eq", source=EN)
    return _equal(second, first, 1)


def floor_years_agree(row=None) -> dict:
    """000's "连续五年" (five years in a row, to 2024) and 001's "From 2020 to 2024 … five
    consecutive years" name the same span: the years each text puts above the floor."""
    zh, en = _floor_rows(ZH), _floor_rows(EN)
    n_zh = float(len(zh))
    span_en = float(int(en["year"].max()) - int(en["year"].min()) + 1)
    return _equal(n_zh, span_en, 0, first_year=float(en["year"].min()), last_year=float(en["year"].max()))


def potential_ratio_above_official(row=None) -> dict:
    """000 para 2: official NPL ratios "understate" the problem: the Japan Research Institute's
    potential ratio (end-2024) is above the official one (约1.5%)."""
    official = _banking("npl_ratio", "2025 (undated)")
    potential = _banking("npl_ratio", "2024-12")
    return _at_least(potential, Interval.printed(official, 1), official=official)


# ----------------------------------------------------------------------------- 001


def roe_lower(row=None) -> dict:
    """001 para 3: the 2025 Q1-Q3 return on capital is "lower than" 2024's."""
    return _at_most(_banking("roe", "2025Q1-Q3"), Interval.printed(_banking("roe", "2024"), 2))


def roa_lower(row=None) -> dict:
    """001 para 3: the 2025 Q1-Q3 return on assets is "also lower than" 2024's."""
    return _at_most(_banking("roa", "2025Q1-Q3"), Interval.printed(_banking("roa", "2024"), 2))


def announcements_far_exceed(row=None) -> dict:
    """001 paras 1 and 4: 2025's NPL-transfer announcements "far exceed" the average of the past
    four years (about 680 a year); the note gives the ratio."""
    ytd = lookup.value("npl_transfers", indicator="announcements_ytd")
    avg = lookup.value("npl_transfers", indicator="announcements_avg_4y")
    return _at_least(ytd, Interval.printed(avg, -1), average=avg, ratio=ytd / avg)


def largest_package_tens_of_billions(row=None) -> dict:
    """001 paras 1 and 6: packages of "tens of billions or even hundreds of billions": the largest
    package the article names (Bohai Bank, principal with interest) lies among the tens of
    billions, [10, 100) billion yuan; none it names reaches a hundred billion."""
    frame = data.load("npl_packages")
    money = frame[frame["unit"] == "CNY_bn"]
    largest = float(money["value"].max())
    return _cell(largest, _clip(largest, 10.0, 100.0), 10.0, 100.0)


def jilin_twice(row=None) -> dict:
    """000 ("吉林银行…处置约2,000") and 001 ("Jilin Bank have listed over 2,000") give the same
    figure for Bank of Jilin (one says disposed, the other listed)."""
    return _equal(_homes("Bank of Jilin", EN), _homes("Bank of Jilin", ZH), -3)


def final_discount_deeper(row=None) -> dict:
    """001 para 16: the average final discount of auctioned homes is deeper than the starting one
    (the numbers agree with each other; the wording "only" does not fit them: see the data note)."""
    start = lookup.value("npl_market_context", indicator="auction_start_discount")
    final = lookup.value("npl_market_context", indicator="auction_final_discount")
    return _at_least(final, Interval.printed(start, 1), starting=start)
