"""The cycle chapter's own assumptions: the links no source gives, each with a default, a range
and a reason, and the fixed choices of its projection.

* :class:`Assumption` and :func:`assumptions` — the twelve assumptions (several anchored on
  source figures), :func:`defaults` — their defaults by name;
* :data:`HARSHER` — the harsher case: the upper ends of the price assumptions' ranges;
* :data:`START_YEAR`, :data:`YEARS_TO_2027`, :data:`YEARLY_FALL_CAP` — the projection's frame;
* :data:`STOCK_RISE_QUARTERS_2024` — the upper end of the stock's unprinted change over 2024.

The table a reader sees is :func:`helpers.chapters.cycle.tables.assumption_table`.
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.book import lookup, tables
from helpers.chapters import retail_risk as retail

from .source_figures import inputs

START_YEAR = 2026
"""First year of the projection: the loans hidden at end-2025 are recognised from 2026 on."""
YEARS_TO_2027 = 2
"""Years of collateral sales that reach the retail chapter's 2027 horizon (2026 and 2027)."""
YEARLY_FALL_CAP = 0.5
"""A cap on the feedback's price fall in any one year (no reading of the sources comes near it)."""
STOCK_RISE_QUARTERS_2024 = 4
"""The stock's change over 2024 is not printed: the book assumes it lay between nothing and this
many quarters at the Q3 2025 rise (the upper end of the stock-flow table's range; the page says so)."""


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


_WORDS = ("none", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def _spelled(n: float) -> str:
    """A whole number up to ten as a word (``6.0`` → ``"six"``), else its digits."""
    return _WORDS[int(n)] if float(n).is_integer() and 0 <= n <= 10 else f"{n:g}"


def _around(default: float, low: float, high: float) -> str:
    """A range of fractions in words: ``±10 points`` when it is centred on ``default``, else
    ``20 to 40 %``."""
    if abs((high - default) - (default - low)) < 1e-9:
        return f"±{100 * (high - default):.0f} points"
    return f"{100 * low:.0f} to {100 * high:.0f} %"


def assumptions() -> list[Assumption]:
    """The book's assumptions, defaults and ranges (several anchored on source figures)."""
    i = inputs()
    rs = retail.published_scenario()
    fall, further, years = (0.2, 0.4), (0.1, 0.3), (4.0, 8.0)  # the book's ranges (low, high)
    lo_lgd = i["listing_discount"]
    hi_lgd = i["half_price"]
    half_price_home_m2 = lookup.value(
        "npl_collateral_examples", "m2", example_id="heilongjiang_sale", measure="floor_area"
    )
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
            # prose-lint: allow 1 (what an elasticity of 1 means: 1 % in, 1 % out)
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
            *fall,
            "fraction",
            "The retail chapter's default (the middle row of the report's LTV table), "
            f"{_around(rs.price_decline, *fall)}.",
            True,
        ),
        Assumption(
            "extra_decline_2027",
            "Further price fall to 2027, before the feedback",
            rs.extra_decline_2027,
            *further,
            "fraction",
            f"The report's assumed further fall, {_around(rs.extra_decline_2027, *further)}.",
            True,
        ),
        Assumption(
            "exposure_years",
            "Years over which hidden bad loans are recognised",
            rs.exposure_years,
            *years,
            "years",
            f"The report spreads extra mortgage bad loans over {_spelled(rs.exposure_years)} years; "
            f"we allow {_spelled(years[0])} to {_spelled(years[1])}.",
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
            "Not in the sources; turns new-home sales (in m²) into homes. The "
            f"{tables.as_printed(half_price_home_m2)} m² home sold at half price lies inside the range.",
            False,
        ),
        Assumption(
            "demand_response",
            "Rise in home purchases per unit fall in the monthly payment (η)",
            1.0,
            0.0,
            2.0,
            "ratio",
            # prose-lint: allow 1 (what an elasticity of 1 means: 1 % in, 1 % out)
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


def defaults() -> dict:
    """The assumptions' defaults by name: :func:`.scenario.run` uses them for any not given."""
    return {a.name: a.default for a in assumptions()}


HARSHER = {"price_decline": 0.4, "extra_decline_2027": 0.3, "response": 3.0}
"""A harsher case: the upper ends of the price assumptions' ranges."""
