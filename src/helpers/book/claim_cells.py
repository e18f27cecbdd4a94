"""The result of a claim cell (``fn:claims.<name>`` in ``data/ledger/cells/claims.csv``), built
the same way for every chapter's ``claims`` module.

A claim function returns ``{"published", "recomputed", "low", "high", "values"}`` for one
published cell; ``values`` fill the row's note template. How each relation is encoded:

* **equal** (a figure printed twice): ``published`` is the second printing, ``recomputed`` the
  first (in the published unit), ``[low, high]`` the first printing's rounding interval.
* **at_least / at_most** (a comparison such as "exceeds", "lower", "the most"): the claim
  bounds the published figure by another published figure ``b``. ``[low, high]`` is what the
  claim allows (``[b, ∞)`` or ``(-∞, b]``, ``None`` for an open end, widened by ``b``'s rounding)
  and ``recomputed = clip(published, low, high)``: the value nearest to the printed one that the
  source's other numbers allow. A claim that holds therefore *matches*; one that holds only at
  the edge of the rounding is *within rounding*; one that fails is a finding.
* **between** (a stated range or a threshold read from a table): ``[low, high]`` are the ends
  the source's numbers give, ``recomputed`` the central or interpolated value.
"""

from __future__ import annotations

from helpers.book.intervals import Interval


def clip(x: float, low: float | None, high: float | None) -> float:
    """``x`` limited to ``[low, high]`` (``None``: that end open)."""
    if low is not None and x < low:
        return low
    if high is not None and x > high:
        return high
    return x


def cell(published: float, recomputed: float, low=None, high=None, **values) -> dict:
    """The result dict of the ledger-spec format; ``values`` fill the note template."""
    return {
        "published": float(published),
        "recomputed": float(recomputed),
        "low": None if low is None else float(low),
        "high": None if high is None else float(high),
        "values": {
            "published": float(published),
            "recomputed": float(recomputed),
            **({} if low is None else {"low": float(low)}),
            **({} if high is None else {"high": float(high)}),
            **values,
        },
    }


def at_least(published: float, bound: Interval, **values) -> dict:
    """``published >= bound``: recomputed = max(published, bound as printed); low = bound's
    lowest admissible value (its rounding), so a claim met only inside the rounding is
    *within rounding*, not a match."""
    return cell(published, clip(published, bound.mid, None), bound.low, None, bound=bound.mid, **values)


def at_most(published: float, bound: Interval, **values) -> dict:
    """``published <= bound``: recomputed = min(published, bound as printed); high = bound's
    highest admissible value."""
    return cell(published, clip(published, None, bound.mid), None, bound.high, bound=bound.mid, **values)


def equal(published: float, first: float, first_decimals: int, **values) -> dict:
    """A figure printed twice: the second printing against the first and its rounding."""
    iv = Interval.printed(first, first_decimals)
    return cell(published, first, iv.low, iv.high, first=first, **values)
