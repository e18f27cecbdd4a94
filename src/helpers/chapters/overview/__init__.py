"""The landing page's headline figures, each picked from ``data/`` with its citation.

Nothing here types a source figure: every value comes from a validated table, selected by its
indicator code, and keeps the table's ``source`` and ``locator``.
"""

from __future__ import annotations

import pandas as pd

from helpers.book import lookup, units
from helpers.chapters import npl_disposals as disposals

HEADLINE_COLUMNS = ["topic", "figure", "value", "unit", "period", "source", "locator"]


def ratio(numerator: float, denominator: float) -> float:
    """``numerator / denominator``; ``ValueError`` if the denominator is not positive."""
    if denominator <= 0:
        raise ValueError(f"ratio(): denominator must be positive, got {denominator!r}")
    return numerator / denominator


def _row(topic: str, figure: str, row: pd.Series, period: str | None = None) -> dict:
    return {
        "topic": topic,
        "figure": figure,
        "value": float(row["value"]),
        "unit": row["unit"],
        "period": period or str(row.get("period", row.get("year", ""))),
        "source": row["source"],
        "locator": row["locator"],
    }


def headline_rows() -> dict[str, pd.Series]:
    """The source rows behind the landing page, keyed by a short name."""
    return {
        "npl_ratio": lookup.row(
            "npl_banking_system", indicator="npl_ratio", period="2025Q3", estimator="official"
        ),
        "npl_balance": lookup.row("npl_banking_system", indicator="npl_balance", period="2025Q3"),
        "npl_ratio_change": lookup.row(
            "npl_banking_system", indicator="npl_ratio_change_qoq", period="2025Q3"
        ),
        "npl_estimate": lookup.row(
            "npl_banking_system", indicator="npl_ratio", estimator="Japan Research Institute"
        ),
        "disposals_2024": lookup.row(
            "npl_disposals",
            indicator="disposals",
            year=2024,
            relation="eq",
            source="000_53446e2d23b336c6.txt",
        ),
        "disposals_growth": lookup.row(
            "npl_disposals",
            indicator="disposals_growth_yoy",
            year=2024,
            relation="approx",
            source="000_53446e2d23b336c6.txt",
        ),
        "disposals_floor": lookup.row(
            "npl_disposals",
            indicator="disposals",
            year=2020,
            relation="gt",
            source="000_53446e2d23b336c6.txt",
        ),
        "bank_homes": lookup.row("npl_bank_home_sales", row_type="total", indicator="homes"),
        "institutions": lookup.row("npl_bank_home_sales", row_type="total", indicator="institutions"),
        "shanghai_sales": lookup.row("npl_market_context", indicator="shanghai_new_home_sales"),
        "prices_oct25": lookup.row(
            "housing_70city_prices", period="2025-10", market="new", scope="national", measure="mom"
        ),
        "retail_npl": lookup.row("retail_npl_overview", indicator="npl_ratio", segment="retail"),
        "corporate_npl": lookup.row("retail_npl_overview", indicator="npl_ratio", segment="corporate"),
    }


def headline_figures() -> pd.DataFrame:
    """One row per headline figure: topic, figure, value and unit as published, period, citation.

    ``unit`` is the code in ``data/``; ``as_published`` is how the source prints it.
    """
    r = headline_rows()
    rows = [
        _row("Bad loans", "Commercial banks' NPL ratio (official)", r["npl_ratio"]),
        _row("Bad loans", "Commercial banks' NPL balance (official)", r["npl_balance"]),
        _row("Bad loans", "NPL ratio, change on the quarter", r["npl_ratio_change"]),
        _row("Bad loans", "Potential NPL ratio, Japan Research Institute estimate", r["npl_estimate"]),
        _row("Disposals", "NPL disposals in 2024", r["disposals_2024"]),
        _row("Disposals", "Growth of disposals in 2024 (about)", r["disposals_growth"]),
        _row("Disposals", "Disposals each year 2020–2024 exceeded", r["disposals_floor"], period="2020–2024"),
        _row("Collateral", "Homes sold or listed by banks (about)", r["bank_homes"], period="to Nov 2025"),
        _row(
            "Collateral",
            "Institutions selling collateral (at least)",
            r["institutions"],
            period="to Nov 2025",
        ),
        _row("Collateral", "Shanghai new-home sales (about)", r["shanghai_sales"]),
        _row("Housing", "70-city new-home prices, month on month", r["prices_oct25"]),
        _row("Retail loans", "Listed banks' retail NPL ratio", r["retail_npl"]),
        _row("Retail loans", "Listed banks' corporate NPL ratio", r["corporate_npl"]),
    ]
    frame = pd.DataFrame(rows, columns=HEADLINE_COLUMNS)
    frame.insert(4, "as_published", [units.unit(u).published for u in frame["unit"]])
    return frame


def derived_figures(alternative_npl_ratio_pct: float | None = None) -> dict[str, float]:
    """The few numbers the landing page derives, each from :func:`headline_rows` values.

    The NPL arithmetic is :func:`helpers.disposals.hidden_npl_gap`.

    * ``loan_book_trn``: loans implied by the official NPL balance and ratio, in CNY trn;
    * ``npl_at_alternative_trn``: NPL balance at the alternative ratio (default: the estimate);
    * ``hidden_npl_trn``: the difference between the two NPL balances;
    * ``homes_vs_shanghai``: homes put up by banks ÷ Shanghai's 2024 new-home sales.
    """
    r = headline_rows()
    balance_trn = units.convert(r["npl_balance"]["value"], r["npl_balance"]["unit"], "CNY_trn")
    official = r["npl_ratio"]["value"]
    alternative = (
        r["npl_estimate"]["value"] if alternative_npl_ratio_pct is None else alternative_npl_ratio_pct
    )
    gap = disposals.hidden_npl_gap(balance_trn, official, alternative)
    homes = units.convert(r["bank_homes"]["value"], r["bank_homes"]["unit"], "homes")
    shanghai = units.convert(r["shanghai_sales"]["value"], r["shanghai_sales"]["unit"], "homes")
    figures = {
        "loan_book_trn": gap["loans"],
        "alternative_ratio_pct": alternative,
        "npl_at_alternative_trn": gap["npl_test"],
        "hidden_npl_trn": gap["gap"],
        "homes_vs_shanghai": ratio(homes, shanghai),
        "bank_homes": homes,
        "shanghai_homes": shanghai,
    }
    return {name: float(value) for name, value in figures.items()}


def headline_table() -> pd.DataFrame:
    """The headline figures as readers see them: indexed by figure, with a short citation.

    Columns: value (as published), unit (as the source prints it), period, source (BibTeX key
    of the document and the place in it).
    """
    from helpers.book import sources

    frame = headline_figures()
    return pd.DataFrame(
        {
            "figure": frame["figure"],
            "value": frame["value"],
            "unit": [units.unit(u).published.split(" / ")[0] for u in frame["unit"]],
            "period": frame["period"],
            "source": [f"{sources.key(s)}, {loc}" for s, loc in zip(frame["source"], frame["locator"])],
        }
    ).set_index("figure")


HEADLINE_NUMBERS = (
    "npl_ratio",
    "npl_balance",
    "npl_estimate",
    "disposals_2024",
    "disposals_growth",
    "disposals_floor",
    "institutions",
    "prices_oct25",
    "retail_npl",
    "corporate_npl",
)
"""Source figures the landing page's prose quotes, by their key in :func:`headline_rows`."""


def numbers(alternative_npl_ratio_pct: float | None = None) -> dict[str, float]:
    """Every number the landing page's prose quotes: the :data:`HEADLINE_NUMBERS` as printed and
    the :func:`derived_figures` (with the reader's alternative NPL ratio, if any)."""
    rows = headline_rows()
    out = {name: float(rows[name]["value"]) for name in HEADLINE_NUMBERS}
    derived = derived_figures(alternative_npl_ratio_pct)
    for name in (
        "bank_homes",
        "shanghai_homes",
        "homes_vs_shanghai",
        "loan_book_trn",
        "npl_at_alternative_trn",
        "hidden_npl_trn",
        "alternative_ratio_pct",
    ):
        out[name] = derived[name]
    return out
