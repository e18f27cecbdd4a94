"""The closed cycle: stock and flow of bad loans, loss absorption, the housing feedback.

Pure functions, vectorised: every argument may be a number or a NumPy array (arrays broadcast),
and the result has the broadcast shape. Money is in one unit throughout (the caller's, CNY trn
in the chapter); ratios and shares are **fractions** (0.0152 = 1.52 %); homes are counts.
Each function rejects impossible input with a ``ValueError`` naming the argument.

Stock and flow. A stock of bad loans ``S`` grows by the loans newly recognised as bad ``N``
and shrinks by disposals ``D`` (sales, transfers, write-offs, recoveries)::

    S_end = S_start + N - D          ⇔          N = (S_end - S_start) + D

Loss absorption. On a loan book ``L`` with official NPL ratio ``r0``, a hidden ratio ``h``
means ``G = max(h - r0, 0) * L`` of unrecognised bad loans; at a loss-given-default ``λ`` the
loss is ``λ * G``. Provisions at coverage ``c`` on the stock ``S`` are ``c * S``; those above a
floor ``f`` (150 %) are ``(c - f) * S``. Yearly earnings at return on assets ``ρ`` are
``ρ * L / a`` with ``a`` the loans' share of assets.

Housing feedback. Bad loans secured on homes bring homes to market; relative to the market's
yearly absorption they push prices down; lower prices raise loan-to-value and so mortgage
bad loans, which bring more homes to market. :func:`feedback_fixed_point` iterates that loop
with the book's mortgage-LTV lookup passed in as a function.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

__all__ = [
    "new_npl_from_stocks",
    "next_stock",
    "identity_residual",
    "roll_stock",
    "hidden_gap",
    "loss",
    "loss_with_collateral",
    "provisions",
    "excess_provisions",
    "yearly_earnings",
    "years_of_earnings",
    "break_even_ratio",
    "collateral_homes",
    "yearly_price_fall",
    "cumulative_fall",
    "combine_falls",
    "absorption_with_policy",
    "feedback_fixed_point",
    "step_lookup",
    "exposure_path",
    "triangular",
]


# --------------------------------------------------------------------------- argument checks


def _arr(
    name: str,
    value,
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    high_open: bool = False,
) -> np.ndarray:
    """``value`` as a float array, every element finite and inside the stated bounds."""
    if isinstance(value, (bool, str, bytes)) or (
        isinstance(value, np.ndarray) and value.dtype.kind not in "iuf"
    ):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}")
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (np.any(a <= low) if low_open else np.any(a < low)):
        raise ValueError(f"{name} must be {'>' if low_open else '≥'} {low}, got {value!r}")
    if high is not None and (np.any(a >= high) if high_open else np.any(a > high)):
        raise ValueError(f"{name} must be {'<' if high_open else '≤'} {high}, got {value!r}")
    return a


def _out(a: np.ndarray):
    """A 0-d result as a Python float, an array otherwise."""
    return float(a) if np.ndim(a) == 0 else a


# --------------------------------------------------------------------------- stock and flow


def new_npl_from_stocks(stock_start, stock_end, disposals):
    """Bad loans newly recognised in a period: ``N = (S_end - S_start) + D``.

    Stocks and disposals ≥ 0, same money unit; the result is in that unit.
    """
    s0 = _arr("stock_start", stock_start, low=0)
    s1 = _arr("stock_end", stock_end, low=0)
    d = _arr("disposals", disposals, low=0)
    return _out(s1 - s0 + d)


def next_stock(stock_start, new_npl, disposals):
    """Stock at the end of a period: ``S_end = S_start + N - D``; it may not turn negative."""
    s0 = _arr("stock_start", stock_start, low=0)
    n = _arr("new_npl", new_npl, low=0)
    d = _arr("disposals", disposals, low=0)
    s1 = s0 + n - d
    if np.any(s1 < -1e-12):
        raise ValueError("disposals exceed the stock plus new bad loans: the stock would turn negative")
    return _out(np.maximum(s1, 0.0))


def identity_residual(stock_start, new_npl, disposals, stock_end):
    """What the stock-flow identity leaves unexplained: ``S_start + N - D - S_end`` (0 if it holds)."""
    s0 = _arr("stock_start", stock_start)
    n = _arr("new_npl", new_npl)
    d = _arr("disposals", disposals)
    s1 = _arr("stock_end", stock_end)
    return _out(s0 + n - d - s1)


def roll_stock(stock_start, new_npl, disposals) -> np.ndarray:
    """Stocks at the end of each period for a sequence of inflows and disposals.

    ``S_t = S_{t-1} + N_t - D_t`` for ``t = 1..T``; ``new_npl`` and ``disposals`` are arrays
    whose **last** axis is time (other axes broadcast, e.g. Monte Carlo draws). Returns an
    array of end-of-period stocks with the same shape as the broadcast inputs.
    """
    s0 = _arr("stock_start", stock_start, low=0)
    n = _arr("new_npl", new_npl, low=0)
    d = _arr("disposals", disposals, low=0)
    n, d = np.broadcast_arrays(n, d)
    if n.ndim == 0:
        raise ValueError("new_npl and disposals need a time axis (at least one period)")
    stocks = s0[..., None] + np.cumsum(n - d, axis=-1)
    if np.any(stocks < -1e-9):
        raise ValueError("disposals exceed the stock plus new bad loans: the stock would turn negative")
    return np.maximum(stocks, 0.0)


# --------------------------------------------------------------------------- loss absorption


def hidden_gap(loans, official_ratio, hidden_ratio):
    """Unrecognised bad loans: ``G = max(h - r0, 0) * L``.

    ``loans`` ≥ 0 (money); ``official_ratio`` (r0) and ``hidden_ratio`` (h) fractions in
    [0, 1]. A hidden ratio at or below the official one leaves no gap.
    """
    book = _arr("loans", loans, low=0)
    r0 = _arr("official_ratio", official_ratio, low=0, high=1)
    h = _arr("hidden_ratio", hidden_ratio, low=0, high=1)
    return _out(np.maximum(h - r0, 0.0) * book)


def loss(bad_loans, lgd):
    """Loss on bad loans at a loss-given-default: ``λ * G``; ``lgd`` a fraction in [0, 1]."""
    g = _arr("bad_loans", bad_loans, low=0)
    lam = _arr("lgd", lgd, low=0, high=1)
    return _out(lam * g)


def loss_with_collateral(unsecured, secured, lgd, extra_fall=0.0):
    """Loss when collateral loses value: ``λ U + (1 - (1 - λ)(1 - Δ)) S``.

    ``unsecured`` (U) and ``secured`` (S) bad loans ≥ 0; ``lgd`` (λ) the loss-given-default at
    today's prices; ``extra_fall`` (Δ) a further fall in the collateral's price, a fraction in
    [0, 1): what a secured loan recovers, ``1 - λ``, shrinks in proportion. With ``Δ = 0`` this
    is :func:`loss` on ``U + S``.
    """
    u = _arr("unsecured", unsecured, low=0)
    s = _arr("secured", secured, low=0)
    lam = _arr("lgd", lgd, low=0, high=1)
    d = _arr("extra_fall", extra_fall, low=0, high=1, high_open=True)
    return _out(lam * u + (1.0 - (1.0 - lam) * (1.0 - d)) * s)


def provisions(stock, coverage):
    """Loan-loss provisions held against a bad-loan stock: ``c * S`` (``coverage`` 2.07 = 207 %)."""
    s = _arr("stock", stock, low=0)
    c = _arr("coverage", coverage, low=0)
    return _out(c * s)


def excess_provisions(stock, coverage, floor=1.5):
    """Provisions above a regulatory floor: ``max(c - f, 0) * S`` (``floor`` 1.5 = 150 %)."""
    s = _arr("stock", stock, low=0)
    c = _arr("coverage", coverage, low=0)
    f = _arr("floor", floor, low=0)
    return _out(np.maximum(c - f, 0.0) * s)


def yearly_earnings(roa, loans, loan_share_of_assets):
    """Yearly profit implied by a return on assets: ``ρ * L / a``.

    ``roa`` (ρ) a fraction (0.0063 = 0.63 % a year); ``loans`` (L) ≥ 0; ``loan_share_of_assets``
    (a) a fraction in (0, 1]: assets are ``L / a``.
    """
    rho = _arr("roa", roa, low=-1, high=1)
    book = _arr("loans", loans, low=0)
    a = _arr("loan_share_of_assets", loan_share_of_assets, low=0, high=1, low_open=True)
    return _out(rho * book / a)


def years_of_earnings(losses, buffer, earnings):
    """Years of earnings a loss consumes once a buffer is used up: ``max(loss - B, 0) / E``.

    ``earnings`` (E, per year) must be positive.
    """
    x = _arr("losses", losses, low=0)
    b = _arr("buffer", buffer, low=0)
    e = _arr("earnings", earnings, low=0, low_open=True)
    return _out(np.maximum(x - b, 0.0) / e)


def break_even_ratio(official_ratio, buffer, lgd, loans):
    """Hidden NPL ratio at which the loss on the hidden bad loans equals a buffer: ``r0 + B / (λ L)``.

    The inverse of ``λ * max(h - r0, 0) * L = B`` (:func:`hidden_gap`, :func:`loss`) for ``h``:
    ``official_ratio`` (r0) a fraction in [0, 1]; ``buffer`` (B) ≥ 0, money; ``lgd`` (λ) a
    fraction in (0, 1]; ``loans`` (L) > 0, the same money unit. The result is a fraction and
    may exceed 1 when the buffer is larger than any loss the book could bring.
    """
    r0 = _arr("official_ratio", official_ratio, low=0, high=1)
    b = _arr("buffer", buffer, low=0)
    lam = _arr("lgd", lgd, low=0, high=1, low_open=True)
    book = _arr("loans", loans, low=0, low_open=True)
    return _out(r0 + b / (lam * book))


# --------------------------------------------------------------------------- housing feedback


def collateral_homes(secured_bad_loans, loan_per_home, reach_market):
    """Homes a stock of home-secured bad loans brings to market: ``q * G_s / ℓ``.

    ``secured_bad_loans`` (G_s, money) ≥ 0; ``loan_per_home`` (ℓ, same money unit per home) > 0;
    ``reach_market`` (q) the fraction of that collateral actually put up for sale, in [0, 1].
    """
    g = _arr("secured_bad_loans", secured_bad_loans, low=0)
    ell = _arr("loan_per_home", loan_per_home, low=0, low_open=True)
    q = _arr("reach_market", reach_market, low=0, high=1)
    return _out(q * g / ell)


def yearly_price_fall(extra_homes, absorption, response, cap=0.5):
    """Yearly price fall from extra homes for sale: ``δ = min(ε * H / A, cap)``.

    ``extra_homes`` (H, per year) ≥ 0; ``absorption`` (A, homes the market buys in a year) > 0;
    ``response`` (ε ≥ 0) is the fall in prices, as a fraction, per unit of extra supply
    relative to absorption (ε = 1: supply 1 % above a year's sales lowers prices 1 %);
    ``cap`` a fraction in [0, 1) bounds the yearly fall.
    """
    h = _arr("extra_homes", extra_homes, low=0)
    a = _arr("absorption", absorption, low=0, low_open=True)
    eps = _arr("response", response, low=0)
    c = _arr("cap", cap, low=0, high=1, high_open=True)
    return _out(np.minimum(eps * h / a, c))


def cumulative_fall(yearly_fall, years):
    """Fall after ``years`` years of the same yearly fall: ``1 - (1 - δ)^n``."""
    d = _arr("yearly_fall", yearly_fall, low=0, high=1, high_open=True)
    n = _arr("years", years, low=0)
    return _out(1.0 - (1.0 - d) ** n)


def combine_falls(first, further):
    """Cumulative fall after a fall ``first`` then ``further``: ``1 - (1 - f1)(1 - f2)``.

    The array form of :func:`helpers.models.mortgage_ltv.combined_decline`.
    """
    f1 = _arr("first", first, low=0, high=1, high_open=True)
    f2 = _arr("further", further, low=0, high=1, high_open=True)
    return _out(1.0 - (1.0 - f1) * (1.0 - f2))


def absorption_with_policy(base, payment_cut=0.0, demand_response=0.0, extra_buyers=0.0):
    """Homes the market absorbs in a year once policy acts: ``A' = A (1 + η p) + B``.

    ``base`` (A) > 0 homes a year; ``payment_cut`` (p) the fall in a new buyer's monthly
    payment, a fraction in [0, 1); ``demand_response`` (η ≥ 0) the rise in purchases per unit
    fall in the payment; ``extra_buyers`` (B ≥ 0) homes bought by a scheme (trade-in purchases).
    """
    a = _arr("base", base, low=0, low_open=True)
    p = _arr("payment_cut", payment_cut, low=0, high=1, high_open=True)
    eta = _arr("demand_response", demand_response, low=0)
    b = _arr("extra_buyers", extra_buyers, low=0)
    return _out(a * (1.0 + eta * p) + b)


def step_lookup(grid, values, x):
    """Value of a non-decreasing step function at ``x``: ``values[k]`` for the last ``grid[k] ≤ x``.

    ``grid`` strictly increasing, starting at or below every ``x``; ``values`` the function at
    the grid points. Taking the grid point at or below ``x`` keeps a step function's
    monotonicity (it never rounds a threshold the wrong way).
    """
    g = _arr("grid", grid)
    v = _arr("values", values)
    if g.ndim != 1 or g.shape != v.shape or g.size == 0:
        raise ValueError("grid and values must be 1-d arrays of the same, positive length")
    if np.any(np.diff(g) <= 0):
        raise ValueError("grid must be strictly increasing")
    x = _arr("x", x)
    if np.any(x < g[0] - 1e-12):
        raise ValueError(f"x must not lie below the grid's start {g[0]}")
    k = np.searchsorted(g, x + 1e-12, side="right") - 1
    return _out(v[np.clip(k, 0, g.size - 1)])


def feedback_fixed_point(
    secured_hidden,
    loan_per_home,
    reach_market,
    absorption,
    response,
    years_of_sales,
    exposure_years,
    extra_mortgage_npl: Callable[[np.ndarray], np.ndarray],
    rounds: int = 50,
    tol: float = 1e-10,
):
    """The loop closed: the extra price fall ``Δ`` and extra mortgage bad loans ``M`` that agree.

    Home-secured bad loans ``G_s + M`` are recognised evenly over ``T`` years
    (``exposure_years``), so ``H = q (G_s + M) / (T ℓ)`` homes a year come to market; prices
    fall ``δ = min(ε H / A, 0.5)`` a year for ``n`` years (``years_of_sales``):
    ``Δ = 1 - (1 - δ)^n``; the fall raises mortgage bad loans to ``M = m(Δ)``, where ``m`` is
    ``extra_mortgage_npl`` (non-decreasing, ``m(0) = 0``)::

        Δ_0 = fall(G_s),   M_k = m(Δ_k),   Δ_{k+1} = fall(G_s + M_k)

    Every map is non-decreasing, so the iterates rise to the smallest fixed point; the loop
    stops when ``M`` moves less than ``tol`` or after ``rounds`` rounds. Returns
    ``(Δ, M, rounds_used)``; with ``ε = 0`` or ``q = 0`` the loop is open (Δ = 0, M = 0).
    """
    g = _arr("secured_hidden", secured_hidden, low=0)
    n = _arr("years_of_sales", years_of_sales, low=0)
    t = _arr("exposure_years", exposure_years, low=0, low_open=True)

    def fall(bad):
        homes = collateral_homes(bad / t, loan_per_home, reach_market)
        return np.asarray(cumulative_fall(yearly_price_fall(homes, absorption, response), n))

    delta = fall(g)
    m = np.asarray(extra_mortgage_npl(delta), dtype=float)
    used = 0
    while used < rounds:
        used += 1
        delta = fall(g + m)
        m_new = np.asarray(extra_mortgage_npl(delta), dtype=float)
        done = np.all(np.abs(m_new - m) <= tol)
        m = m_new
        if done:
            break
    return _out(delta), _out(m), used


def exposure_path(total, exposure_years, years):
    """Cumulative share of a total recognised evenly over ``T`` years, at each year ``t``.

    ``total * min(t / T, 1)``; ``years`` an array of elapsed years (the last axis of the
    result); ``total`` and ``exposure_years`` broadcast against a leading axis of draws.
    """
    x = _arr("total", total, low=0)
    t = _arr("exposure_years", exposure_years, low=0, low_open=True)
    y = _arr("years", years, low=0)
    return x[..., None] * np.minimum(y / t[..., None], 1.0)


def triangular(rng: np.random.Generator, low: float, mode: float, high: float, size: int) -> np.ndarray:
    """``size`` draws from a triangular distribution on [low, high] peaking at ``mode``.

    Uniform when ``low == high`` is excluded: needs ``low ≤ mode ≤ high`` and ``low < high``.
    """
    if not low <= mode <= high or not low < high:
        raise ValueError(f"need low ≤ mode ≤ high and low < high, got {low}, {mode}, {high}")
    return rng.triangular(low, mode, high, size)
