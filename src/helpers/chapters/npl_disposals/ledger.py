"""Ledger checks of the disposals chapter: every figure 000 and 001 derive, recomputed."""

from __future__ import annotations

from helpers.book import lookup, units
from helpers.book.intervals import Interval
from helpers.book.ledger import Check
from helpers.chapters.npl_disposals import (
    CHAPTER,
    CHENG_HALF_PP,
    D0,
    D1,
    banking_system,
    disposal_bounds,
    guangzhou_auction,
    official_npl,
)


# --------------------------------------------------------------------------- ledger
def ledger_checks() -> list[Check]:
    """This chapter's reproduction checks, from ``data/`` with the published assumptions."""
    g = guangzhou_auction()
    d = disposal_bounds()
    bs = banking_system()
    digest_ratio = lookup.value(bs, indicator="npl_ratio", source=D0, estimator="official")
    q3_ratio = official_npl()["ratio_pct"]
    # growth ceiling with 2024 at the top of its printed rounding (one decimal) and 2023 above the floor
    ceiling = Interval.printed(d["latest"], 1).apply(lambda x: (x / d["floor"] - 1) * 100)
    admissible = Interval(0.0, ceiling.high)  # 增 / "up": growth was positive
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
            finding="d-guangzhou-discount",
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
                f"2023 at {d['implied_2023']:.2f} trn, below the floor. With 2024 itself rounded to a tenth of a trillion the "
                f"ceiling rises to {ceiling.high:.1f} %."
            ),
            low=units.convert(admissible.low, "pct", "ratio"),
            high=units.convert(admissible.high, "pct", "ratio"),
        ),
        Check(
            chapter=CHAPTER,
            source=D0,
            table="en para 2",
            row="bank NPL disposals 2024",
            column="growth y/y ('nearly', English part)",
            published=d["growth_en_pct"],
            recomputed=d["max_growth_pct"],
            unit="pct",
            decimals=0,
            note=(
                f"the English part prints 'up nearly {d['growth_en_pct']:.0f}%'; growth above {d['max_growth_pct']:.1f} % "
                f"would put 2023 below {d['floor']:.0f} trn, contradicting 'above {d['floor']:.0f} trillion yuan "
                "for the fifth consecutive year' in the same sentence (with 2024 at the top of its rounding, "
                f"above {ceiling.high:.1f} %)."
            ),
            low=admissible.low,
            high=admissible.high,
            finding="d-growth-en",
        ),
        Check(
            chapter=CHAPTER,
            source=D0,
            table="zh para 2",
            row="commercial banks' NPL ratio (official)",
            column="约 (about) against 001's 2025Q3 figure",
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
