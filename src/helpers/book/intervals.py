"""Interval arithmetic for rounded published numbers.

A number printed with ``d`` decimals stands for every value that rounds to it: the closed
interval ``[x - h, x + h]`` with ``h = 0.5 * 10**-d`` (half a unit of the last printed digit).
A number derived from rounded inputs is therefore an interval too, and a published derived
value is *consistent* with its inputs when its own interval meets the interval the inputs
allow. The operations below are the textbook ones (Moore, *Interval Analysis*, 1966):

* ``[a, b] + [c, d] = [a + c, b + d]``
* ``[a, b] - [c, d] = [a - d, b - c]``
* ``[a, b] × [c, d] = [min(ac, ad, bc, bd), max(ac, ad, bc, bd)]``
* ``[a, b] / [c, d] = [a, b] × [1/d, 1/c]``, defined only when ``0 ∉ [c, d]``
* growth in % from ``[a, b]`` (old) to ``[c, d]`` (new) ``= 100 × ([c, d] / [a, b] - 1)``
* share in % of part ``[a, b]`` in whole ``[c, d]`` ``= 100 × [a, b] / [c, d]``

Monotone functions of one interval (``apply``) map the ends; a function of several
intervals that is monotone in each argument (``monotone``) is evaluated at every corner.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

EPS = 1e-9
"""Float allowance added to every containment and overlap test."""


@dataclass(frozen=True)
class Interval:
    """The closed interval ``[low, high]`` (``low <= high``)."""

    low: float
    high: float

    def __post_init__(self):
        low, high = float(self.low), float(self.high)
        if math.isnan(low) or math.isnan(high):
            raise ValueError(f"Interval bounds must be numbers, got [{self.low}, {self.high}]")
        if low > high:
            raise ValueError(f"Interval low {low} is above high {high}")
        object.__setattr__(self, "low", low)
        object.__setattr__(self, "high", high)

    # ---------------------------------------------------------------- construction
    @classmethod
    def point(cls, value: float) -> Interval:
        """An exact number: ``[value, value]``."""
        return cls(value, value)

    @classmethod
    def printed(cls, value: float, decimals: int) -> Interval:
        """What a number printed with ``decimals`` decimals stands for: ``value ± 0.5·10**-decimals``.

        ``decimals`` may be negative for a number rounded to tens, hundreds …
        (``printed(3000, -3)`` is ``[2500, 3500]``).
        """
        if not isinstance(decimals, int):
            raise ValueError(f"decimals must be an int, got {decimals!r}")
        half = 0.5 * 10.0 ** (-decimals)
        return cls(value - half, value + half)

    @classmethod
    def of(cls, x) -> Interval:
        """``x`` as an interval: an Interval is returned as is, a number becomes a point."""
        if isinstance(x, Interval):
            return x
        return cls.point(float(x))

    # ---------------------------------------------------------------- properties
    @property
    def mid(self) -> float:
        return (self.low + self.high) / 2

    @property
    def width(self) -> float:
        return self.high - self.low

    def contains(self, value: float) -> bool:
        """``low - EPS <= value <= high + EPS``."""
        return self.low - EPS <= float(value) <= self.high + EPS

    def overlaps(self, other) -> bool:
        """True when the two intervals share at least one value (with the float allowance)."""
        other = Interval.of(other)
        return self.low <= other.high + EPS and other.low <= self.high + EPS

    def hull(self, other) -> Interval:
        """The smallest interval containing both."""
        other = Interval.of(other)
        return Interval(min(self.low, other.low), max(self.high, other.high))

    def distance(self, other) -> float:
        """The gap between the two intervals (0 when they overlap)."""
        other = Interval.of(other)
        return max(0.0, other.low - self.high, self.low - other.high)

    # ---------------------------------------------------------------- arithmetic
    def __add__(self, other):
        other = Interval.of(other)
        return Interval(self.low + other.low, self.high + other.high)

    __radd__ = __add__

    def __sub__(self, other):
        other = Interval.of(other)
        return Interval(self.low - other.high, self.high - other.low)

    def __rsub__(self, other):
        return Interval.of(other) - self

    def __neg__(self):
        return Interval(-self.high, -self.low)

    def __mul__(self, other):
        other = Interval.of(other)
        corners = [self.low * other.low, self.low * other.high, self.high * other.low, self.high * other.high]
        return Interval(min(corners), max(corners))

    __rmul__ = __mul__

    def __truediv__(self, other):
        other = Interval.of(other)
        if other.low <= 0 <= other.high:
            raise ZeroDivisionError(f"division by an interval containing zero: {other}")
        return self * Interval(1 / other.high, 1 / other.low)

    def __rtruediv__(self, other):
        return Interval.of(other) / self

    def apply(self, func, increasing: bool = True) -> Interval:
        """``func`` (monotone on the interval) applied to both ends."""
        a, b = func(self.low), func(self.high)
        return Interval(a, b) if increasing else Interval(b, a)

    def __repr__(self):
        return f"Interval({self.low:.10g}, {self.high:.10g})"


def total(*parts) -> Interval:
    """The sum of rounded parts: ``[Σ low, Σ high]``."""
    out = Interval.point(0.0)
    for p in parts:
        out = out + Interval.of(p)
    return out


def difference(a, b) -> Interval:
    """``a - b``: ``[a.low - b.high, a.high - b.low]``."""
    return Interval.of(a) - Interval.of(b)


def product(*factors) -> Interval:
    """The product of rounded factors (min and max over the corners)."""
    out = Interval.point(1.0)
    for f in factors:
        out = out * Interval.of(f)
    return out


def ratio(numerator, denominator) -> Interval:
    """``numerator / denominator``; the denominator must not contain zero."""
    return Interval.of(numerator) / Interval.of(denominator)


def share(part, whole) -> Interval:
    """``100 × part / whole``, in percent."""
    return ratio(part, whole) * 100.0


def growth(old, new) -> Interval:
    """Growth in percent from ``old`` to ``new``: ``100 × (new / old - 1)``."""
    return (ratio(new, old) - 1.0) * 100.0


def cagr(old, new, years: float) -> Interval:
    """Compound annual growth in percent over ``years``: ``100 × ((new / old)**(1/years) - 1)``.

    Increasing in ``new/old``, so the ends of the ratio map to the ends of the rate.
    """
    if years <= 0:
        raise ValueError(f"years must be positive, got {years}")
    r = ratio(new, old)
    if r.low <= 0:
        raise ValueError(f"cagr needs a positive ratio, got {r}")
    return r.apply(lambda x: 100.0 * (x ** (1.0 / years) - 1.0))


def monotone(func, *args) -> Interval:
    """``func(*args)`` over intervals, for a ``func`` monotone in each argument separately.

    Evaluated at every corner of the box (2**n points); the hull of the results is exact for
    such functions (and for any function the true range lies inside it only if monotone).
    """
    boxes = [Interval.of(a) for a in args]
    values = [func(*corner) for corner in itertools.product(*[(b.low, b.high) for b in boxes])]
    return Interval(min(values), max(values))
