"""Benchmark: how fast each playground answers a change (median of repeated changes).

    python tools/bench_widgets.py        (also part of `make bench`)

A change is timed from setting a control's value, exactly as a slider drag does, to the
new PNG being in the Image widget. The browser's own drawing time is not included.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import torch

from course_utils.embedding_analysis import pca
from course_utils.odenets import MLPDynamics
from course_utils.widgets import (EmbeddingExplorer, EulerStabilityExplorer, MatmulExplorer, OptimizerPlayground, ResNetDepthExplorer,
                                  SecantExplorer, TrainingPlayground)


def latency(widget, values, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        for v in values:
            start = time.perf_counter()
            widget.value = v
            times.append(1e3 * (time.perf_counter() - start))
    return statistics.median(times)


def main():
    rows = []
    secant = SecantExplorer()
    rows.append(("01 secant", "h slider", latency(secant.log10_h, [-1, -3, -6, -9, -12])))
    rows.append(("01 secant", "method", latency(secant.method, ["central", "backward", "forward"])))
    stability = EulerStabilityExplorer()
    rows.append(("02 Euler stability", "Δt slider", latency(stability.dt, [0.2, 0.6, 0.9, 1.1, 1.3])))
    torch.manual_seed(0)
    depth = ResNetDepthExplorer(MLPDynamics(2, 16).double(), torch.randn(16, 2, dtype=torch.float64))
    rows.append(("02 ResNet depth", "L slider", latency(depth.depth, [1, 8, 64, 16, 2])))
    matmul = MatmulExplorer(np.arange(6).reshape(2, 3), np.arange(12).reshape(3, 4))
    rows.append(("04 matmul", "j slider", latency(matmul.j, [1, 2, 3, 0])))
    play = OptimizerPlayground()
    rows.append(("06 optimizers (default: 3 optimizers, 100 steps)", "learning rate", latency(play.lr, [0.05, 0.2, 0.5, 1.0, 2.5])))
    rows.append(("06 optimizers (default)", "momentum", latency(play.momentum, [0.5, 0.8, 0.95, 0.9])))
    rows.append(("06 optimizers (default)", "β1", latency(play.beta1, [0.5, 0.8, 0.95, 0.9])))
    rows.append(("06 optimizers (default)", "steps", latency(play.n_steps, [50, 80, 150, 100])))
    rows.append(("06 optimizers (default)", "surface", latency(play.surface_name, ["rosenbrock", "saddle", "factorization", "quadratic"])))
    for tick in play.ticks.values():
        tick.value = True
    play.n_steps.value = 500
    rows.append(("06 optimizers (all 6, 500 steps)", "learning rate", latency(play.lr, [0.05, 0.2, 0.5, 1.0, 2.5])))
    rows.append(("06 optimizers (all 6, 500 steps)", "surface", latency(play.surface_name, ["rosenbrock", "saddle", "factorization", "quadratic"])))
    factors = np.random.default_rng(0).normal(size=(900, 10))
    embeddings = EmbeddingExplorer(factors, pca(factors)["scores"], [f"item {i}" for i in range(900)], choices=range(0, 300, 7))
    rows.append(("07 embedding explorer", "item", latency(embeddings.item, [7, 14, 21, 28, 35])))
    rows.append(("07 embedding explorer", "x axis", latency(embeddings.pc_x, [2, 3, 4, 0])))
    trainer = TrainingPlayground()
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        trainer.run()
        runs.append(1e3 * (time.perf_counter() - start))
    rows.append(("06 training playground (8 epochs)", "Train button", statistics.median(runs)))
    print(f"\n{'playground':<52s} {'control':<14s} {'median ms':>9s}  target")
    for name, control, ms in rows:
        target = "< 2000 ms" if "training" in name else "< 100 ms"
        ok = ms < (2000 if "training" in name else 100)
        print(f"{name:<52s} {control:<14s} {ms:9.0f}  {target} {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
