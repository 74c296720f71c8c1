"""Exercise checkers for notebook 06 (optimizers)."""

from __future__ import annotations

import math

import numpy as np
import torch

from ..optimizers import optimize
from ..surfaces import quadratic
from .feedback import call_learner, correct, not_yet, read_number


def check_largest_stable_lr(kappa, answer) -> bool:
    """Exercise 1: the largest learning rate for which gradient descent does not diverge on
    ``quadratic(kappa)`` (curvatures 1 and 1/kappa)."""
    ok, answer = read_number(answer)
    if not ok:
        return not_yet(answer)
    if math.isclose(answer, 2.0, rel_tol=0.01):
        return correct("2 / L with L = 1, the largest curvature, whatever kappa is: the steep direction sets the limit")
    if math.isclose(answer, 2.0 * kappa, rel_tol=0.01):
        return not_yet("that is 2 / mu, the flat direction's limit; the steep direction (curvature 1) blows up first")
    if math.isclose(answer, 2.0 / (1.0 + 1.0 / kappa), rel_tol=0.01):
        return not_yet("that is the *best* fixed step 2 / (L + mu); the largest stable one is a little larger")
    return not_yet(f"{'too large: it diverges' if answer > 2 else 'still stable: you can go further'}; think of the steepest direction")


def momentum_speedup(kappa: float, tol: float = 1e-6) -> float:
    """Measured ratio of steps to reach ||x|| < tol: tuned gradient descent vs tuned momentum."""
    s = quadratic(kappa)
    L, mu = 1.0, 1.0 / kappa
    steps = {}
    for name, hp in (("gd", {"lr": 2 / (L + mu)}),
                     ("momentum", {"lr": 4 / (math.sqrt(L) + math.sqrt(mu)) ** 2,
                                   "momentum": ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2})):
        path = optimize(name, s.grad, [1.0, 1.0], 200_000, **hp)["path"]
        steps[name] = int(np.argmax(np.linalg.norm(path, axis=1) < tol))
    return steps["gd"] / steps["momentum"]


def check_momentum_speedup(kappa, prediction) -> bool:
    """Exercise 2: predict how many times fewer steps tuned momentum needs than tuned GD.

    Accepted within 40 % of the measured factor, so the asymptotic estimate from the two
    rates (about 10 for kappa = 100) passes although the measurement is lower (about 7.5)."""
    ok, prediction = read_number(prediction)
    if not ok:
        return not_yet(prediction)
    measured = momentum_speedup(float(kappa))
    if abs(prediction / measured - 1) <= 0.4:
        return correct(f"measured {measured:.1f}x; the rates predict log rho_gd / log rho_momentum. The measurement is a bit "
                       "lower because at this tuning momentum's error decays like t rho^t, not rho^t")
    return not_yet(f"{'too high' if prediction > measured else 'too low'}: compare log((k-1)/(k+1)) with log((sqrt(k)-1)/(sqrt(k)+1))")


def check_adam_step(adam_step) -> bool:
    """Exercise 3: ``adam_step(p, g, m, v, t, lr, beta1, beta2, eps)`` -> (p, m, v), checked
    against torch.optim.Adam for 20 steps."""
    rng = np.random.default_rng(0)
    p0 = rng.normal(size=4)
    target = rng.normal(size=4)
    p_t = torch.tensor(p0, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p_t], lr=0.05, betas=(0.9, 0.999), eps=1e-8)
    p, m, v = p0.copy(), np.zeros(4), np.zeros(4)
    for t in range(1, 21):
        g = 2 * (p - target)
        ok, out = call_learner(adam_step, p, g, m, v, t, 0.05, 0.9, 0.999, 1e-8)
        if not ok:
            return not_yet(out)
        if not (isinstance(out, tuple) and len(out) == 3):
            return not_yet("return the triple (p, m, v)")
        p, m, v = (np.asarray(x, dtype=np.float64) for x in out)
        opt.zero_grad()
        ((p_t - torch.tensor(target)) ** 2).sum().backward()
        opt.step()
        if not np.allclose(p, p_t.detach().numpy(), rtol=1e-9, atol=1e-12):
            hint = " Did you forget the bias correction 1 - beta^t?" if t == 1 else ""
            return not_yet(f"step {t} differs from torch.optim.Adam (max |diff| {np.abs(p - p_t.detach().numpy()).max():.2e}).{hint}")
    return correct("20 steps identical to torch.optim.Adam")
