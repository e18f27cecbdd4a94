"""Argument checks shared by the model functions: finite numbers, positive, non-negative.

Each returns the value as a float or raises ``ValueError`` naming the argument.
"""

from __future__ import annotations

import math


def _number(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return value


def _positive(name: str, value) -> float:
    value = _number(name, value)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value!r}")
    return value


def _non_negative(name: str, value) -> float:
    value = _number(name, value)
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return value
