r"""Optimizers written from their update rules, functional style: state in, state out.

Every ``*_step(params, grad, state, ...)`` returns ``(new_params, new_state)`` and never
modifies its inputs. ``state`` starts as ``{}``. The rules follow ``torch.optim`` exactly
(tested to agree to 1e-10 over 100 steps in float64), with g the gradient, p the
parameters and t the step number (1, 2, ...):

SGD (torch.optim.SGD)::
    g <- g + wd p                                   (L2 regularization, "weight_decay")
    b <- g at t = 1, else mu b + (1 - dampening) g  (momentum buffer, if mu > 0)
    g <- g + mu b (nesterov) or b                   (if mu > 0)
    p <- p - lr g

    With dampening = mu the buffer is an exponential moving average of the gradients,
    b = (1 - mu) sum_k mu^k g_{t-k}: momentum *is* linear interpolation between the last
    average and the new gradient, with an effective window of about 1 / (1 - mu) steps.

RMSprop (torch.optim.RMSprop, not centered, no momentum)::
    g <- g + wd p
    s <- alpha s + (1 - alpha) g^2                 (running average of squared gradients)
    p <- p - lr g / (sqrt(s) + eps)

Adam / AdamW (torch.optim.Adam, torch.optim.AdamW)::
    Adam:  g <- g + wd p                            (L2 inside the gradient)
    AdamW: p <- p (1 - lr wd)                       (decoupled weight decay)
    m <- beta1 m + (1 - beta1) g,   v <- beta2 v + (1 - beta2) g^2
    p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)   (bias correction)
"""

from __future__ import annotations

import math

import numpy as np

from .validation import check_array, check_callable, check_count, check_name, check_positive


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _real(v) -> bool:
    """A finite real number, not a bool (True is not a learning rate) and not a string."""
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) and math.isfinite(v)


def check_hyperparameters(lr=None, momentum=0.0, dampening=0.0, nesterov=False, betas=(0.9, 0.999), alpha=0.99,
                          eps=1e-8, weight_decay=0.0) -> list[str]:
    """Every problem with a set of hyperparameters, as readable messages (empty list: all fine).
    Never raises: whatever it is given, it answers with messages that name the argument."""
    problems = []
    if lr is not None and not (_real(lr) and lr > 0):
        problems.append(f"learning rate must be a positive number; got lr={lr!r:.40}")
    if not (_real(momentum) and 0 <= momentum < 1):
        problems.append(f"momentum must be in [0, 1); got {momentum!r:.40}")
    if not (_real(dampening) and 0 <= dampening <= 1):
        problems.append(f"dampening must be in [0, 1]; got {dampening!r:.40}")
    if not isinstance(nesterov, (bool, np.bool_)):
        problems.append(f"nesterov must be True or False; got {nesterov!r:.40}")
    elif nesterov and not (_real(momentum) and momentum > 0 and _real(dampening) and dampening == 0):
        problems.append("Nesterov momentum needs momentum > 0 and dampening = 0 (nesterov=True)")
    if isinstance(betas, (str, bytes)) or not isinstance(betas, (tuple, list, np.ndarray)) or len(betas) != 2:
        problems.append(f"betas must be a pair (beta1, beta2), each in [0, 1); got {betas!r:.40}")
    else:
        for name, beta in zip(("beta1", "beta2"), betas):
            if not (_real(beta) and 0 <= beta < 1):
                problems.append(f"{name} must be in [0, 1); got {beta!r:.40} (betas={tuple(betas)!r:.60})")
    if not (_real(alpha) and 0 <= alpha < 1):
        problems.append(f"alpha must be in [0, 1); got {alpha!r:.40}")
    if not (_real(eps) and eps > 0):
        problems.append(f"eps must be > 0; got {eps!r:.40}")
    if not (_real(weight_decay) and weight_decay >= 0):
        problems.append(f"weight decay must be >= 0; got weight_decay={weight_decay!r:.40}")
    return problems


def _validate(**hp) -> None:
    if "lr" in hp and hp["lr"] is None:
        raise TypeError("lr must be a positive number (the learning rate), e.g. lr=0.1; got None")
    problems = check_hyperparameters(**hp)
    _require(not problems, "; ".join(problems))


STATE_KEYS = {"momentum_buffer", "square_avg", "exp_avg", "exp_avg_sq", "step"}


def _check_inputs(params, grad, state) -> tuple[np.ndarray, np.ndarray]:
    """params and grad: finite arrays of one shape (their dtype kept); state: a dict this module made."""
    params = check_array("params", params, dtype=None, allow_empty=True, hint="the current parameters, an array")
    grad = check_array("grad", grad, dtype=None, allow_empty=True, hint="the gradient at params, same shape")
    if params.shape != grad.shape:
        raise ValueError(f"grad must have params' shape {params.shape} (got {grad.shape}); no broadcasting here")
    if not isinstance(state, dict):
        raise TypeError(f"state must be a dict: {{}} before the first step, then the state the last step returned "
                        f"(got {type(state).__name__})")
    unknown = set(state) - STATE_KEYS
    if unknown:
        raise ValueError(f"state has keys no optimizer here makes: {sorted(unknown)}; start from state={{}}")
    for key, value in state.items():
        if key == "step":
            check_count("state['step']", value, minimum=0)
        elif value is not None and np.shape(value) != params.shape:
            raise ValueError(f"state['{key}'] has shape {np.shape(value)}, params {params.shape}: this state belongs to "
                             "other parameters; start from state={}")
    return params, grad


def sgd_step(params, grad, state, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    """One step of SGD with optional momentum, dampening, Nesterov and L2 weight decay."""
    _validate(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov, weight_decay=weight_decay)
    params, grad = _check_inputs(params, grad, state)
    return _sgd(params, grad, state, lr, momentum, dampening, nesterov, weight_decay)


def _sgd(params, grad, state, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    g = grad + weight_decay * params if weight_decay else grad
    state = dict(state)
    if momentum:
        buf = state.get("momentum_buffer")
        buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
        state["momentum_buffer"] = buf
        g = g + momentum * buf if nesterov else buf
    state["step"] = state.get("step", 0) + 1
    return params - lr * g, state


def rmsprop_step(params, grad, state, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0):
    """One step of RMSprop: divide by the root of a running average of squared gradients."""
    _validate(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay)
    params, grad = _check_inputs(params, grad, state)
    return _rmsprop(params, grad, state, lr, alpha, eps, weight_decay)


def _rmsprop(params, grad, state, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0.0):
    g = grad + weight_decay * params if weight_decay else grad
    square_avg = state.get("square_avg", np.zeros_like(params))
    square_avg = alpha * square_avg + (1 - alpha) * g * g
    new_state = {"square_avg": square_avg, "step": state.get("step", 0) + 1}
    return params - lr * g / (np.sqrt(square_avg) + eps), new_state


def adam_step(params, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False):
    """One step of Adam (L2 inside the gradient) or, with ``decoupled=True``, AdamW."""
    _validate(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    if not isinstance(decoupled, (bool, np.bool_)):
        raise TypeError(f"decoupled must be True (AdamW) or False (Adam); got {decoupled!r:.40}")
    params, grad = _check_inputs(params, grad, state)
    return _adam(params, grad, state, lr, betas, eps, weight_decay, decoupled)


def _adam(params, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False):
    beta1, beta2 = betas
    t = state.get("step", 0) + 1
    if weight_decay and decoupled:
        params = params * (1 - lr * weight_decay)
    g = grad + weight_decay * params if (weight_decay and not decoupled) else grad
    m = state.get("exp_avg", np.zeros_like(params))
    v = state.get("exp_avg_sq", np.zeros_like(params))
    m = m + (1 - beta1) * (g - m)                       # = beta1 m + (1 - beta1) g, as torch's lerp computes it
    v = beta2 * v + (1 - beta2) * g * g
    step_size = lr / (1 - beta1**t)
    denom = np.sqrt(v) / math.sqrt(1 - beta2**t) + eps
    return params - step_size * m / denom, {"exp_avg": m, "exp_avg_sq": v, "step": t}


def adamw_step(params, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    """AdamW: Adam with weight decay applied to the parameters, not added to the gradient."""
    return adam_step(params, grad, state, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, decoupled=True)


def _adamw(params, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
    return _adam(params, grad, state, lr, betas, eps, weight_decay, decoupled=True)


# name -> (validated step, unchecked step for inner loops, the hyperparameters it reads from a shared settings dict)
OPTIMIZERS = {
    "gd": (sgd_step, _sgd, ("lr", "weight_decay")),
    "momentum": (sgd_step, _sgd, ("lr", "momentum", "weight_decay")),
    "nesterov": (sgd_step, _sgd, ("lr", "momentum", "weight_decay", "nesterov")),
    "rmsprop": (rmsprop_step, _rmsprop, ("lr", "alpha", "weight_decay")),
    "adam": (adam_step, _adam, ("lr", "betas", "weight_decay")),
    "adamw": (adamw_step, _adamw, ("lr", "betas", "weight_decay")),
}


def optimize(name: str, grad_fn, x0, n_steps: int, divergence_threshold: float = 1e6, **settings) -> dict:
    """Run optimizer ``name`` from ``x0`` for ``n_steps`` steps of ``grad_fn``.

    ``settings`` holds any of lr, momentum, betas, alpha, weight_decay (extra keys are
    ignored, so one settings dict serves every optimizer). Stops early, without NaN or
    overflow warnings, once the iterate leaves a ball of radius ``divergence_threshold``
    or stops being finite. Returns ``{"path": (steps + 1, dim) array, "diverged_at": step or None}``.
    """
    check_name("name", name, OPTIMIZERS, what="optimizer", hint="unknown optimizer")
    check_callable("grad_fn", grad_fn, hint="grad_fn(x) returns the gradient at x")
    n_steps = check_count("n_steps", n_steps, minimum=0, hint="how many steps to take")
    divergence_threshold = check_positive("divergence_threshold", divergence_threshold, hint="e.g. 1e6")
    checked, step, keys = OPTIMIZERS[name]
    hp = {k: settings[k] for k in keys if k in settings and k != "nesterov"}
    if name == "nesterov":
        hp["nesterov"] = True
    x = check_array("x0", x0, ndim=1, finite=False, hint="the start point, e.g. [1.0, 1.0]").copy()
    _require(np.all(np.isfinite(x)), f"the start point must be finite; got x0={x0!r:.60}")
    checked(x, np.zeros_like(x), {}, **hp)          # validate the settings once, not on every step
    path, state, diverged = [x], {}, None
    with np.errstate(all="ignore"):
        for t in range(1, n_steps + 1):
            g = grad_fn(x)
            if t == 1:                                # the first gradient's shape, once (no extra call)
                g = np.asarray(g)
                if g.shape != x.shape or g.dtype.kind not in "iuf":
                    raise ValueError(f"grad_fn must return an array of numbers shaped like x0 {x.shape}; at x0 it "
                                     f"returned {type(g).__name__} of shape {g.shape} and dtype {g.dtype}")
            x, state = step(x, g, state, **hp)
            if not abs(x).max() <= divergence_threshold:   # also catches NaN
                diverged = t
                break
            path.append(x)
    return {"path": np.array(path), "diverged_at": diverged}
