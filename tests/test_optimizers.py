import numpy as np
import pytest
import torch

from course_utils import gradient, relative_error
from course_utils.exercises import optimizers as ex
from course_utils.optimizers import OPTIMIZERS, adam_step, adamw_step, check_hyperparameters, optimize, rmsprop_step, sgd_step
from course_utils.surfaces import SURFACES, factorization, quadratic

TORCH = {
    "sgd": (torch.optim.SGD, sgd_step), "rmsprop": (torch.optim.RMSprop, rmsprop_step),
    "adam": (torch.optim.Adam, adam_step), "adamw": (torch.optim.AdamW, adamw_step),
}


@pytest.mark.parametrize("seed", range(6))
def test_every_rule_matches_torch_on_random_problems(seed):
    rng = np.random.default_rng(seed)
    dim = int(rng.integers(1, 6))
    H = rng.normal(size=(dim, dim))
    H = H @ H.T / dim + 0.1 * np.eye(dim)
    grad = lambda p: H @ p + np.cos(p)
    configs = [("sgd", {"lr": 0.03, "momentum": float(rng.uniform(0, 0.95)), "dampening": float(rng.uniform(0, 0.5)), "weight_decay": 0.01}),
               ("sgd", {"lr": 0.03, "momentum": 0.8, "nesterov": True}),
               # alpha >= 0.9: with short memory (alpha ~ 0.8) RMSprop oscillating near the minimum amplifies
               # round-off ~1e8-fold (a 1e-15 shift of the start moves our own rule by 1e-7), so no two
               # implementations can agree to 1e-10 over 100 steps there; single steps are checked below.
               ("rmsprop", {"lr": 0.01, "alpha": float(rng.uniform(0.9, 0.99)), "weight_decay": 0.02}),
               ("adam", {"lr": 0.02, "betas": (float(rng.uniform(0.5, 0.95)), 0.99), "weight_decay": 0.01}),
               ("adamw", {"lr": 0.02, "betas": (0.9, float(rng.uniform(0.9, 0.999))), "weight_decay": 0.1})]
    for name, hp in configs:
        torch_cls, ours = TORCH[name]
        x0 = rng.normal(size=dim)
        p = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
        opt = torch_cls([p], **hp)
        q, state = x0.copy(), {}
        for _ in range(100):
            opt.zero_grad()
            p.grad = torch.from_numpy(grad(p.detach().numpy()))
            opt.step()
            q, state = ours(q, grad(q), state, **hp)
        np.testing.assert_allclose(q, p.detach().numpy(), rtol=1e-10, atol=1e-12, err_msg=f"{name} {hp}")


@pytest.mark.parametrize("seed", range(10))
def test_single_steps_match_torch_from_random_states(seed):
    """Each rule, one step from a random mid-run state, over wide hyperparameter ranges."""
    rng = np.random.default_rng(100 + seed)
    dim = int(rng.integers(1, 8))
    p0, g = rng.normal(size=dim), rng.normal(size=dim)
    for name, hp in (("sgd", {"lr": 0.1, "momentum": float(rng.uniform(0, 0.99)), "dampening": float(rng.uniform(0, 1)), "weight_decay": 0.05}),
                     ("rmsprop", {"lr": 0.01, "alpha": float(rng.uniform(0.0, 0.99)), "weight_decay": 0.05}),
                     ("adam", {"lr": 0.01, "betas": (float(rng.uniform(0, 0.99)), float(rng.uniform(0, 0.999))), "weight_decay": 0.05}),
                     ("adamw", {"lr": 0.01, "betas": (float(rng.uniform(0, 0.99)), float(rng.uniform(0, 0.999))), "weight_decay": 0.05})):
        torch_cls, ours = TORCH[name]
        p = torch.tensor(p0, dtype=torch.float64, requires_grad=True)
        opt = torch_cls([p], **hp)
        p.grad = torch.from_numpy(rng.normal(size=dim))            # one warm-up step creates torch's state
        opt.step()
        state = {k: (v.numpy().copy() if torch.is_tensor(v) and v.ndim else float(v)) for k, v in opt.state[p].items()}
        ours_state = {"momentum_buffer": state.get("momentum_buffer"), "square_avg": state.get("square_avg"),
                      "exp_avg": state.get("exp_avg"), "exp_avg_sq": state.get("exp_avg_sq"), "step": int(state.get("step", 1))}
        ours_state = {k: v for k, v in ours_state.items() if v is not None}
        start = p.detach().numpy().copy()
        p.grad = torch.from_numpy(g)
        opt.step()
        mine, _ = ours(start, g, ours_state, **hp)
        np.testing.assert_allclose(mine, p.detach().numpy(), rtol=1e-14, atol=1e-15, err_msg=f"{name} {hp}")


def test_hyperparameter_messages():
    assert check_hyperparameters(lr=0.1) == []
    messages = " ".join(check_hyperparameters(lr=-1, momentum=1.0, betas=(0.9, 1.0), weight_decay=-0.1, eps=0))
    for fragment in ("learning rate must be a positive", "momentum must be in [0, 1)", "beta2 must be in [0, 1)",
                     "weight decay must be >= 0", "eps must be > 0"):
        assert fragment in messages
    with pytest.raises(ValueError, match="Nesterov momentum needs momentum > 0"):
        sgd_step(np.ones(2), np.ones(2), {}, lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="beta1"):
        adam_step(np.ones(2), np.ones(2), {}, betas=(1.5, 0.9))


def test_optimize_reports_divergence_without_warnings(recwarn):
    s = quadratic(10)
    out = optimize("gd", s.grad, [1.0, 1.0], 500, lr=3.0)
    assert out["diverged_at"] is not None and np.all(np.isfinite(out["path"]))
    assert len(out["path"]) == out["diverged_at"]
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
    assert optimize("adam", s.grad, [1.0, 1.0], 50, lr=0.1)["diverged_at"] is None
    with pytest.raises(ValueError, match="unknown optimizer"):
        optimize("lion", s.grad, [1.0, 1.0], 5, lr=0.1)
    with pytest.raises(ValueError, match="start point must be finite"):
        optimize("gd", s.grad, [np.nan, 1.0], 5, lr=0.1)
    with pytest.raises(ValueError, match="learning rate"):
        optimize("gd", s.grad, [1.0, 1.0], 5, lr=-0.1)


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_surface_gradients_match_finite_differences(name):
    s = SURFACES[name]()
    for point in ([0.3, -0.7], [1.1, 0.4], list(s.start)):
        fd = gradient(lambda p: s.value(np.asarray(p)), np.array(point, dtype=float))
        assert relative_error(s.grad(np.array(point, dtype=float)), fd) < 1e-7


def test_surface_minimum_values():
    f = factorization(3.0, 0.1)
    u = np.sqrt(3.0 - 0.1)
    assert f.value(np.array([u, u])) == pytest.approx(f.minimum_value)
    assert SURFACES["saddle"]().value(np.array([0.0, 1.0])) == pytest.approx(-0.25)
    with pytest.raises(ValueError, match="condition number"):
        quadratic(0.5)


def test_optimizer_exercise_checkers(capsys):
    assert ex.check_largest_stable_lr(50, 2.0)
    assert not ex.check_largest_stable_lr(50, 100.0)
    assert "flat direction" in capsys.readouterr().out
    assert not ex.check_largest_stable_lr(50, ...)
    assert ex.check_momentum_speedup(100, 10)
    assert not ex.check_momentum_speedup(100, 100)

    def good(p, g, m, v, t, lr, b1, b2, eps):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        return p - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps), m, v

    def no_bias_correction(p, g, m, v, t, lr, b1, b2, eps):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        return p - lr * m / (np.sqrt(v) + eps), m, v

    assert ex.check_adam_step(good)
    assert not ex.check_adam_step(no_bias_correction)
    assert "bias correction" in capsys.readouterr().out
