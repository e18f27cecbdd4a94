"""Argument checks shared by the model functions: finite numbers, positive, non-negative.

Each returns the value as a float or raises ``ValueError`` naming the argument. NumPy scalars
count as numbers (values often come out of a DataFrame); ``bool`` does not.
"""

from __future__ import annotations

import math
import numbers


def number(name: str, value) -> float:
    """``value`` as a finite float; ``ValueError`` naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def positive(name: str, value) -> float:
    """``value`` as a float > 0."""
    value = number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def non_negative(name: str, value) -> float:
    """``value`` as a float ≥ 0."""
    value = number(name, value)
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return value
