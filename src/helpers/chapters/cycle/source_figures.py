"""The cycle chapter's inputs: every published figure it uses, read from ``data/`` once.

The figures come from the other chapters' data (``npl_*``, ``housing_*``, ``policy_*``,
``retail_*``) through :mod:`helpers.book.lookup` and the other chapters' own readers, and are
handed on in model units: fractions, CNY trn, homes, m².

* :func:`inputs` — the figures, by name (cached until a CSV in ``data/`` changes);
* :func:`loans_trn` — the loan book the stock and the ratio imply;
* :func:`retail_profit_base_trn` — the profit base the retail report's own ratios imply;
* :func:`coverage_floor` — the provision coverage regulators require, as the reader reads it.
"""

from __future__ import annotations

from functools import lru_cache

from helpers.book import data, lookup, tables, units
from helpers.chapters import npl_disposals as disposals
from helpers.chapters import retail_risk as retail

D0, D1 = "000_53446e2d23b336c6.txt", "001_3d7b5ccb12dc6b79.txt"
D2, D3 = "002_618ba3871ebc0b54.txt", "003_dc4f0dbeb2c2a3ea.txt"


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


def retail_profit_base_trn() -> float:
    """The 26E pre-tax profit of listed banks that the retail report's own figures imply (CNY trn):
    its 26E rise in business-loan bad loans (图表7) over the share of profit it says that is (§四.4).
    The retail chapter shows the same figure and its clash with the net-profit base."""
    amounts = retail.npl_amounts()
    rise = units.convert(amounts.loc["business", "26E"] - amounts.loc["business", "25E"], "CNY_mn", "CNY_trn")
    return float(rise / retail.fact("stress_business_share_pretax_profit", "ratio"))


def coverage_floor() -> str:
    """The provision coverage above which the retail report counts provisions as excess (超额拨备,
    002 §三.3 para 2), in reader words: its ``retail_facts`` value as printed, then its unit (``150 %``).
    Every label, tooltip and sentence about the buffer above the floor takes it from here."""
    found = lookup.row("retail_facts", indicator="excess_provision_threshold")
    return f"{tables.as_printed(lookup.in_unit(found))} {tables.unit_words(found['unit'])}"
