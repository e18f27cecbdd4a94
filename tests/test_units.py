import numpy as np
import pytest

from helpers.book import units


def test_convert_within_dimension():
    assert units.convert(38_000, "CNY_100m", "CNY_trn") == pytest.approx(3.8)
    assert units.convert(1, "CNY_trn", "CNY_mn") == pytest.approx(1e6)
    assert units.convert(5.9, "homes_10k", "homes") == pytest.approx(59_000)
    assert units.convert(25, "bp", "pp") == pytest.approx(0.25)
    assert units.convert(1.52, "pct", "ratio") == pytest.approx(0.0152)


def test_convert_arrays_and_columns():
    out = units.convert(np.array([1.0, 2.0]), "CNY_100m", "CNY_bn")
    assert out.tolist() == pytest.approx([0.1, 0.2])
    col = units.convert_column([1.0, 100.0], ["CNY_trn", "CNY_100m"], "CNY_bn")
    assert col.tolist() == pytest.approx([1000.0, 10.0])


def test_cross_dimension_and_unknown_rejected():
    with pytest.raises(units.UnitError, match="cannot convert 'CNY_100m'"):
        units.convert(1, "CNY_100m", "USD_100m")
    with pytest.raises(units.UnitError, match="unknown unit 'yuan'"):
        units.convert(1, "yuan", "CNY")


def test_unknown_units_lists_each_once():
    assert units.unknown_units(["pct", "x", None, "", "x", "y"]) == ["x", "y"]


def test_every_unit_has_positive_factor_and_published_form():
    for code, u in units.UNITS.items():
        assert u.factor > 0, code
        assert u.published.strip(), code
