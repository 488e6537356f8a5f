"""The small-group sampler works out only the columns of its table that a draw can reach (issue 31: the 'other'
group's exits were a quarter of a hiring-share move's Monte Carlo): the draws must be the ones the whole table
gives, draw for draw, and the generator must be left where the whole table leaves it."""

from __future__ import annotations

import numpy as np
import pytest

from di_metrics.models.montecarlo import binomial_by_inversion


def whole_table(rng: np.random.Generator, n: np.ndarray, p: float) -> np.ndarray:
    """The sampler as it was: the table of every size present, every column from 0 to the largest size."""
    if p > 0.5:
        return n - whole_table(rng, n, 1.0 - p)
    out = np.zeros(n.shape, dtype=np.int64)
    some = n > 0
    if not some.any():
        return out
    n = n[some]
    low, top = int(n.min()), int(n.max())
    sizes, k = np.arange(low, top + 1)[:, None], np.arange(top + 1)[None, :]
    log_fact = np.concatenate(([0.0], np.cumsum(np.log(np.arange(1, top + 1)))))
    inside = k <= sizes
    spare = np.where(inside, sizes - k, 0)
    log_pmf = log_fact[sizes] - log_fact[k] - log_fact[spare] + k * np.log(p) + spare * np.log1p(-p)
    cdf = np.cumsum(np.where(inside, np.exp(log_pmf), 0.0), axis=1)
    cdf[k >= sizes] = 1.0
    rows = 2.0 * np.arange(len(cdf))[:, None]
    shifted = cdf + rows
    uniform = rng.random(n.shape)
    width = int(np.argmax((shifted >= uniform.max() + rows).all(axis=0))) + 1
    found = np.searchsorted(shifted[:, :width].ravel(), uniform + 2.0 * (n - low), side="left")
    out[some] = found - (n - low) * width
    return out


@pytest.mark.parametrize("seed", range(40))
def test_the_draws_are_the_whole_tables_draw_for_draw(seed):
    """Random groups as the 'other' group's are (a few persons to 400, some empty), chances from 0.001 to 0.999
    (above one half the stayers are drawn), 10,000 paths: the same draws, and the generator in the same place."""
    spec = np.random.default_rng(1000 + seed)
    low = int(spec.integers(0, 300))
    sizes = spec.integers(low, int(spec.integers(low, 401)) + 1, 10_000)
    sizes[spec.random(10_000) < 0.05] = 0
    p = float(spec.choice([0.001, 0.01, 0.1, 0.3, 0.5, 0.7, 0.999, spec.random()]))
    mine, theirs = np.random.default_rng(seed), np.random.default_rng(seed)
    assert np.array_equal(binomial_by_inversion(mine, sizes, p), whole_table(theirs, sizes, p))
    assert mine.random() == theirs.random()


def test_a_draw_beyond_the_first_columns_is_found_in_the_whole_table(monkeypatch):
    """Where the largest uniform lies past the columns worked out first, the whole table is worked out and gives
    the draw. A generator cannot draw 1.0, so a stand-in does: the distribution of 400 persons at a tenth sums
    to just under 1 (in floating point) until the last column, where the table sets it to 1."""
    from di_metrics.models import montecarlo

    class Top:
        def random(self, shape):
            u = np.full(shape, 0.25)
            u[0] = 1.0
            return u

    tables = []
    real = montecarlo._shifted_cdf
    monkeypatch.setattr(montecarlo, "_shifted_cdf", lambda *args: tables.append(args[-1]) or real(*args))
    sizes = np.full(5, 400)
    drawn = binomial_by_inversion(Top(), sizes, 0.1)
    assert len(tables) == 2 and tables[-1] == 401  # the first columns did not reach it, the whole table did
    assert list(drawn) == list(whole_table(Top(), sizes, 0.1))
