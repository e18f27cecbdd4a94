import pytest

from helpers.book.intervals import Interval, cagr, difference, growth, monotone, product, ratio, share, total


def approx(iv, lo, hi, tol=1e-9):
    assert iv.low == pytest.approx(lo, abs=tol) and iv.high == pytest.approx(hi, abs=tol), iv


def test_printed_half_unit():
    approx(Interval.printed(1.43, 2), 1.425, 1.435)
    approx(Interval.printed(4251, 0), 4250.5, 4251.5)
    approx(Interval.printed(3000, -3), 2500, 3500)


def test_sum_of_rounded_parts_2024q1_sales():
    # 1.43 万亿 (2 dp) + 4251 亿 = 0.4251 万亿 (exact to 1 亿: 4 dp)
    s = total(Interval.printed(1.43, 2), Interval.printed(0.4251, 4))
    approx(s, 1.85005, 1.86015)
    assert s.overlaps(Interval.printed(1.85, 2))  # the printed 1.85 fits
    assert not s.overlaps(Interval.printed(1.84, 2))


def test_difference():
    approx(difference(Interval.printed(5.0, 1), Interval.printed(2.0, 1)), 2.9, 3.1)


def test_product():
    approx(product(Interval.printed(2.0, 1), Interval.printed(3.0, 1)), 1.95 * 2.95, 2.05 * 3.05)
    approx(Interval(-1, 2) * Interval(3, 4), -4, 8)


def test_ratio_of_two_rounded_numbers():
    # 23.5 / 11.8, each to 0.1: [23.45/11.85, 23.55/11.75]
    r = ratio(Interval.printed(23.5, 1), Interval.printed(11.8, 1))
    approx(r, 23.45 / 11.85, 23.55 / 11.75)
    assert r.low == pytest.approx(1.978903, abs=1e-6) and r.high == pytest.approx(2.004255, abs=1e-6)


def test_growth_rate():
    # 98.1 % printed; inputs 11.8 -> 23.5 give 97.89 % .. 100.43 %
    g = growth(Interval.printed(11.8, 1), Interval.printed(23.5, 1))
    approx(g, 97.8903, 100.4255, tol=1e-4)
    assert g.overlaps(Interval.printed(98.1, 1))
    # 3147 -> 3250 (integers): 3.2415 % .. 3.3047 %; printed 3.26 fits, 3.20 does not
    g2 = growth(Interval.printed(3147, 0), Interval.printed(3250, 0))
    approx(g2, 100 * (3249.5 / 3147.5 - 1), 100 * (3250.5 / 3146.5 - 1))
    assert g2.overlaps(Interval.printed(3.26, 2)) and not g2.overlaps(Interval.printed(3.20, 2))


def test_cagr():
    c = cagr(Interval.printed(11.8, 1), Interval.printed(23.5, 1), 4)
    assert c.low == pytest.approx(100 * ((23.45 / 11.85) ** 0.25 - 1))
    assert c.high == pytest.approx(100 * ((23.55 / 11.75) ** 0.25 - 1))
    assert c.overlaps(Interval.printed(18.6, 1))


def test_share():
    approx(share(Interval.printed(1, 0), Interval.printed(4, 0)), 100 * 0.5 / 4.5, 100 * 1.5 / 3.5)


def test_division_by_interval_with_zero():
    with pytest.raises(ZeroDivisionError):
        ratio(1, Interval(-1, 1))


def test_bad_bounds():
    with pytest.raises(ValueError):
        Interval(2, 1)
    with pytest.raises(ValueError):
        Interval(float("nan"), 1)


def test_monotone_corners():
    f = lambda a, b: a / (1 + b)
    iv = monotone(f, Interval(1, 2), Interval(0, 1))
    approx(iv, 0.5, 2)


def test_distance():
    assert Interval(0, 1).distance(Interval(2, 3)) == 1
    assert Interval(0, 1).distance(0.5) == 0
