r"""The convergence-rate map of heavy-ball momentum on a quadratic (notebook 06), after
Goh's "Why Momentum Really Works" (Distill, 2017).

Heavy ball with learning rate eta and momentum beta (PyTorch's SGD momentum is the same
iteration): p_{t+1} = p_t - eta grad f(p_t) + beta (p_t - p_{t-1}). On f = 1/2 sum_i h_i p_i^2
each coordinate evolves on its own by the 2 x 2 matrix

    [p_{t+1}]   [1 + beta - eta h   -beta] [p_t    ]
    [p_t    ] = [1                   0   ] [p_{t-1}],

so the error shrinks per step by the largest |root| of z^2 - (1 + beta - eta h) z + beta = 0,
maximised over the curvatures h (theory: ``theory_rates``). The optimum for curvatures in
[mu, L] is eta* = 4 / (sqrt(L) + sqrt(mu))^2, beta* = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))^2,
with rate sqrt(beta*); the iteration diverges once eta > 2 (1 + beta) / L.
``measured_rates`` runs the iteration itself on a whole grid at once and measures the rate.
"""

from __future__ import annotations

import numpy as np

from .validation import check_array, check_count, check_positive


def _grid(lrs, momenta):
    lrs = check_array("lrs", lrs, ndim=1)
    momenta = check_array("momenta", momenta, ndim=1)
    if lrs.min() <= 0 or momenta.min() < 0 or momenta.max() >= 1:
        raise ValueError(f"learning rates must be > 0 and momenta in [0, 1); got lrs in [{lrs.min():g}, {lrs.max():g}], "
                         f"momenta in [{momenta.min():g}, {momenta.max():g}]")
    return np.meshgrid(lrs, momenta)                       # (n_momenta, n_lrs) each


def theory_rates(lrs, momenta, curvatures) -> np.ndarray:
    """Spectral radius of the heavy-ball iteration, (n_momenta, n_lrs): the largest |root| of
    z^2 - (1 + beta - eta h) z + beta over every curvature h."""
    eta, beta = _grid(lrs, momenta)
    h = check_array("curvatures", curvatures, ndim=1)
    a = (1 + beta - eta * h[:, None, None]).astype(complex)
    root = np.sqrt(a * a - 4 * beta)
    return np.maximum(abs((a + root) / 2), abs((a - root) / 2)).max(axis=0)


def measured_rates(lrs, momenta, curvatures, n_steps: int = 400) -> np.ndarray:
    """Run heavy ball from p_0 = p_{-1} = 1 in every coordinate, for every (eta, beta) of the
    grid at once, and measure the rate as the geometric mean shrink factor of the state norm
    ||(p_t, p_{t-1})|| over the second half of the run. The state is renormalised every step
    (its log norm accumulated), so diverging runs measure a rate > 1 without overflowing."""
    eta, beta = _grid(lrs, momenta)
    h = check_array("curvatures", curvatures, ndim=1)[:, None, None]
    n_steps = check_count("n_steps", n_steps, minimum=10)
    p, prev = np.ones((len(h), *eta.shape)), np.ones((len(h), *eta.shape))
    log_norm, half = np.zeros(eta.shape), None
    for t in range(1, n_steps + 1):
        p, prev = p - eta * h * p + beta * (p - prev), p
        norm = np.sqrt((p**2 + prev**2).sum(axis=0))
        log_norm += np.log(norm)
        p, prev = p / norm, prev / norm
        if t == n_steps // 2:
            half = log_norm.copy()
    return np.exp((log_norm - half) / (n_steps - n_steps // 2))


def optimum(L: float, mu: float) -> tuple[float, float, float]:
    """(eta*, beta*, rate*) for curvatures in [mu, L] (Polyak's tuning)."""
    L = check_positive("L", L, hint="the largest curvature")
    mu = check_positive("mu", mu, hint="the smallest curvature, 0 < mu <= L")
    if mu > L:
        raise ValueError(f"mu must be <= L (got mu={mu:g}, L={L:g}): they are the smallest and largest curvatures; swap them")
    kappa = L / mu
    beta = ((np.sqrt(kappa) - 1) / (np.sqrt(kappa) + 1)) ** 2
    return 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, float(beta), float(np.sqrt(beta))


def stability_edge(momenta, L: float) -> np.ndarray:
    """The largest stable learning rate for each momentum: eta = 2 (1 + beta) / L."""
    momenta = check_array("momenta", momenta, ndim=(0, 1), hint="momenta beta in [0, 1), e.g. [0.0, 0.5, 0.9]")
    if momenta.size and (momenta.min() < 0 or momenta.max() >= 1):
        raise ValueError(f"momenta must lie in [0, 1) (got values in [{momenta.min():g}, {momenta.max():g}])")
    L = check_positive("L", L, hint="the largest curvature")
    return 2 * (1 + momenta) / L
