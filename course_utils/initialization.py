"""How weight scale decides whether signals survive a deep ReLU network (notebook 03).

For z = W a with W entries N(0, s^2) and fan_in inputs, E[z^2] = fan_in s^2 E[a^2], and a
ReLU keeps half of the second moment: E[relu(z)^2] = E[z^2] / 2. The scale is preserved
layer after layer only when s^2 = 2 / fan_in: Kaiming (He) initialization.
"""

from __future__ import annotations

import numpy as np

from .validation import check_choice, check_count, check_instance

SCHEMES = ("normal", "small", "kaiming")


def weight_std(scheme: str, fan_in: int) -> float:
    """Standard deviation of the weights: N(0, 1), N(0, 0.01^2) or Kaiming's sqrt(2 / fan_in)."""
    check_choice("scheme", scheme, SCHEMES, hint='e.g. scheme="kaiming"')
    fan_in = check_count("fan_in", fan_in, hint="the number of inputs to each unit, e.g. fan_in=256")
    return {"normal": 1.0, "small": 0.01, "kaiming": float(np.sqrt(2.0 / fan_in))}[scheme]


def activation_rms(scheme: str, n_layers: int = 20, width: int = 256, n_samples: int = 512,
                   rng: np.random.Generator | None = None) -> np.ndarray:
    """Push N(0, 1) inputs ``(n_samples, width)`` through ``n_layers`` linear+ReLU layers
    (no biases) and return each layer's activation scale sqrt(mean(a^2)), shape ``(n_layers,)``.

    That root-mean-square is the spread of the activations about zero; Kaiming keeps it
    at the input's value, 1, in expectation. Computed in float64; overflow may reach inf.
    """
    check_choice("scheme", scheme, SCHEMES, hint='e.g. scheme="kaiming"')
    n_layers = check_count("n_layers", n_layers, hint="e.g. n_layers=20")
    width = check_count("width", width, hint="units per layer, e.g. width=256")
    n_samples = check_count("n_samples", n_samples, minimum=2, hint="inputs pushed through, e.g. n_samples=512")
    if rng is not None:
        check_instance("rng", rng, np.random.Generator, what="a NumPy Generator or None", hint="use np.random.default_rng(0)")
    rng = np.random.default_rng(0) if rng is None else rng
    std = weight_std(scheme, width)
    a, scales = rng.normal(size=(n_samples, width)), []
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(n_layers):
            a = np.maximum(a @ rng.normal(0.0, std, size=(width, width)), 0.0)
            scales.append(float(np.sqrt(np.mean(a**2))))
    return np.array(scales)
