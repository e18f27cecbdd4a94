"""Argument checks shared by the models: each names the argument it rejects."""

import math

import numpy as np
import pytest

from helpers.book.checks import non_negative, number, positive


@pytest.mark.parametrize("value", [3, 2.5, -1.0, 0, np.float64(1.5), np.int64(7)])
def test_number_accepts_finite_numbers_as_float(value):
    out = number("x", value)
    assert isinstance(out, float) and out == value


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3", "must be a number"),
        (None, "must be a number"),
        (True, "must be a number"),
        (math.nan, "must be finite"),
        (math.inf, "must be finite"),
    ],
)
def test_number_rejects_non_numbers_naming_the_argument(value, message):
    with pytest.raises(ValueError, match=rf"price_fall {message}"):
        number("price_fall", value)


def test_positive_and_non_negative_bounds():
    assert positive("p", 0.1) == 0.1
    assert non_negative("n", 0) == 0.0
    with pytest.raises(ValueError, match="p must be positive, got 0.0"):
        positive("p", 0)
    with pytest.raises(ValueError, match="n must not be negative, got -1.0"):
        non_negative("n", -1)
