"""Exercise checkers for notebook 06 (optimizers)."""

from __future__ import annotations

import functools
import math

import numpy as np
import torch

from ..optimizers import optimize
from ..surfaces import quadratic
from .feedback import call_learner, correct, not_yet, read_number


def check_largest_stable_lr(kappa, answer) -> bool:
    """Exercise 1: the largest learning rate for which gradient descent does not diverge on
    ``quadratic(kappa)`` (curvatures L = 1 and mu = 1/kappa): 2 / L = 2.

    Accepted: answers that are stable (at most 2) and within 1 % below the limit. The
    feedback says on which side of the limit an answer lies and how far, in per cent, and
    what the steep direction's factor |1 - lr L| per step is.
    """
    ok, answer = read_number(answer)
    if not ok:
        return not_yet(answer)
    if answer <= 0:
        return not_yet(f"a learning rate is positive; got {answer:g}")
    kappa = float(kappa)
    limit, factor = 2.0, abs(1.0 - answer)            # L = 1: the steep direction's factor per step
    gap = (answer - limit) / limit
    if math.isclose(answer, 2.0 * kappa, rel_tol=0.01):
        return not_yet(f"that is 2 / mu, the flat direction's limit; the steep direction (curvature 1) blows up long "
                       f"before: its error grows by |1 - lr L| = {factor:.0f} per step")
    if answer > limit:
        return not_yet(f"unstable side: {answer:g} is {100 * gap:.2g} % above the limit, and the steep direction's error "
                       f"grows by |1 - lr L| = {factor:.4g} per step, so it diverges (slowly if close)")
    if gap >= -0.01:
        edge = " exactly at the edge: the steep direction neither shrinks nor grows," if answer == limit else ""
        return correct(f"{answer:g} is on the stable side,{edge} within 1 % of 2 / L = 2 (L = 1, the largest curvature, "
                       "whatever kappa is: the steep direction sets the limit)")
    if math.isclose(answer, 2.0 / (1.0 + 1.0 / kappa), rel_tol=1e-3):
        return not_yet(f"that is the *best* fixed step 2 / (L + mu), {100 * -gap:.2g} % below the limit; the largest "
                       "stable one is a little larger")
    return not_yet(f"stable side, but {100 * -gap:.2g} % below the limit (|1 - lr L| = {factor:.3g} < 1): you can go "
                   "further; think of the steepest direction")


@functools.lru_cache(maxsize=16)
def momentum_speedup(kappa: float, tol: float = 1e-6) -> float:
    """Measured ratio of steps to reach ||x|| < tol: tuned gradient descent vs tuned momentum."""
    s = quadratic(kappa)
    rho_gd = (kappa - 1) / (kappa + 1)
    n_steps = int(3 * math.log(tol) / math.log(rho_gd)) + 100 if kappa > 1 else 100   # GD's need, with room
    L, mu = 1.0, 1.0 / kappa
    steps = {}
    for name, hp in (("gd", {"lr": 2 / (L + mu)}),
                     ("momentum", {"lr": 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2,
                                   "momentum": ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2})):
        path = optimize(name, s.grad, [1.0, 1.0], n_steps, **hp)["path"]
        steps[name] = int(np.argmax(np.linalg.norm(path, axis=1) < tol))
    return steps["gd"] / steps["momentum"]


def rate_speedup(kappa: float) -> float:
    """The speed-up the two tuned rates predict. Steps to a tolerance scale like 1 / |log rho|,
    so it is log(rho_momentum) / log(rho_gd), with rho_gd = (kappa - 1) / (kappa + 1) and
    rho_momentum = (sqrt(kappa) - 1) / (sqrt(kappa) + 1)."""
    root = math.sqrt(kappa)
    return math.log((root - 1) / (root + 1)) / math.log((kappa - 1) / (kappa + 1))


def check_momentum_speedup(kappa, prediction) -> bool:
    """Exercise 2: predict how many times fewer steps tuned momentum needs than tuned GD.

    Two answers are right, each within 5 %: the prediction from the two rates,
    log rho_momentum / log rho_gd (about 10 for kappa = 100), and the measured factor (about
    7.5; lower because at this tuning momentum's error decays like t rho^t). The feedback
    says which one the answer matches, or on which side of both it lies."""
    ok, prediction = read_number(prediction)
    if not ok:
        return not_yet(prediction)
    if prediction <= 0:
        return not_yet(f"a speed-up factor is positive; got {prediction:g}")
    kappa = float(kappa)
    measured, from_rates = momentum_speedup(kappa), rate_speedup(kappa)
    if abs(prediction / from_rates - 1) <= 0.05:
        return correct(f"{prediction:g} is the rates' prediction, log rho_momentum / log rho_gd = {from_rates:.2f}. The checker "
                       f"measures {measured:.2f}: lower, because at this tuning momentum's error decays like t rho^t, not rho^t")
    if abs(prediction / measured - 1) <= 0.05:
        return correct(f"{prediction:g} matches the measured {measured:.2f} (the rates alone predict {from_rates:.2f}; the "
                       "difference is momentum's t rho^t decay at this tuning)")
    low, high = sorted((measured, from_rates))
    if prediction > high:
        return not_yet("too high: the steps needed scale like 1 / |log rho|; divide log((sqrt(k)-1)/(sqrt(k)+1)) by log((k-1)/(k+1))")
    if prediction < low:
        return not_yet("too low: the steps needed scale like 1 / |log rho|; compare the logarithms of the rates (not the rates "
                       "themselves), and put momentum's on top")
    return not_yet(f"between the measurement and the rates' prediction, but more than 5 % from either: compute "
                   "log((sqrt(k)-1)/(sqrt(k)+1)) / log((k-1)/(k+1)) exactly")


def _adam_reference(p, g, m, v, t, lr, beta1, beta2, eps, mistake=None):
    """One Adam step, correct or with one of the classic mistakes (for diagnosing answers)."""
    if mistake == "betas swapped":
        beta1, beta2 = beta2, beta1
    m_new = beta1 * m + (1 - beta1) * g
    v_new = beta2 * v + (1 - beta2) * (np.abs(g) if mistake == "v not squared" else g * g)
    m_hat = m_new if mistake in ("no bias correction", "no correction of m") else m_new / (1 - beta1**t)
    v_hat = v_new if mistake in ("no bias correction", "no correction of v") else v_new / (1 - beta2**t)
    if mistake == "t from 0":
        m_hat, v_hat = m_new / (1 - beta1 ** (t + 1)), v_new / (1 - beta2 ** (t + 1))
    if mistake == "no square root":
        step = m_hat / (v_hat + eps)
    elif mistake == "eps inside the root":
        step = m_hat / np.sqrt(v_hat + eps)
    else:
        step = m_hat / (np.sqrt(v_hat) + eps)
    return (p + lr * step if mistake == "sign" else p - lr * step), m_new, v_new


_ADAM_MISTAKES = {
    "no bias correction": "no bias correction: divide m by 1 - beta1^t and v by 1 - beta2^t before the step",
    "no correction of m": "v is bias-corrected but m is not: divide m by 1 - beta1^t too",
    "no correction of v": "m is bias-corrected but v is not: divide v by 1 - beta2^t too",
    "t from 0": "the bias correction uses t + 1: t already counts from 1, use 1 - beta^t",
    "v not squared": "v must average the *squared* gradient, g * g",
    "betas swapped": "beta1 and beta2 are swapped: m uses beta1 (0.9), v uses beta2 (0.999)",
    "no square root": "divide by the square root of v_hat (plus eps), not by v_hat itself",
    "eps inside the root": "eps goes outside the root: sqrt(v_hat) + eps, as torch.optim.Adam does",
    "sign": "the step goes the wrong way: subtract lr * m_hat / (sqrt(v_hat) + eps)",
}


def check_adam_step(adam_step) -> bool:
    """Exercise 3: ``adam_step(p, g, m, v, t, lr, beta1, beta2, eps)`` -> (p, m, v), checked
    against torch.optim.Adam for 20 steps. At the first step that differs, the answer is
    compared with the classic mistakes (no bias correction, g instead of g^2, eps inside the
    root, ...) so the feedback names the actual cause, or says which output is off."""
    rng = np.random.default_rng(0)
    p0 = rng.normal(size=4)
    target = rng.normal(size=4)
    lr, beta1, beta2, eps = 0.05, 0.9, 0.999, 1e-8
    p_t = torch.tensor(p0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p_t], lr=lr, betas=(beta1, beta2), eps=eps)
    p, m, v = p0.copy(), np.zeros(4), np.zeros(4)
    for t in range(1, 21):
        g = 2 * (p - target)
        ok, out = call_learner(adam_step, p.copy(), g.copy(), m.copy(), v.copy(), t, lr, beta1, beta2, eps)
        if not ok:
            return not_yet(out)
        if not (isinstance(out, tuple) and len(out) == 3):
            return not_yet("return the triple (p, m, v)")
        try:
            new = [np.asarray(x, dtype=np.float64) for x in out]
        except (TypeError, ValueError):
            return not_yet("p, m and v must be arrays of numbers")
        if any(x.shape != p.shape for x in new):
            return not_yet(f"p, m and v must each have the parameters' shape {p.shape}")
        opt.zero_grad()
        ((p_t - torch.tensor(target)) ** 2).sum().backward()
        opt.step()
        want = (p_t.detach().numpy(), *_adam_reference(p, g, m, v, t, lr, beta1, beta2, eps)[1:])
        close = [np.allclose(a, b, rtol=1e-9, atol=1e-12) for a, b in zip(new, want)]
        if all(close):
            p, m, v = new
            continue
        if np.allclose(new[1], want[2], rtol=1e-9) and np.allclose(new[2], want[1], rtol=1e-9):
            return not_yet("m and v come back in swapped places: return (p, m, v)")
        for mistake, message in _ADAM_MISTAKES.items():
            with np.errstate(all="ignore"):
                variant = _adam_reference(p, g, m, v, t, lr, beta1, beta2, eps, mistake)
            if all(np.allclose(a, b, rtol=1e-9, atol=1e-12) for a, b in zip(new, variant)):
                return not_yet(f"step {t}: {message}")
        if close[0] and not all(close[1:]):
            return not_yet(f"step {t}: p is right but the returned {'m' if not close[1] else 'v'} is not the updated "
                           "average, so the next step goes wrong: return the new m and v")
        wrong = ", ".join(name for name, c in zip(("p", "m", "v"), close) if not c)
        return not_yet(f"step {t} differs from torch.optim.Adam in {wrong} (max |diff| in p "
                       f"{np.abs(new[0] - want[0]).max():.2e}); compare each line with the update rule")
    return correct("20 steps identical to torch.optim.Adam")
