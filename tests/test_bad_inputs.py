"""Every public callable of ``course_utils`` meets bad input with a clear error.

How the suite works
-------------------
1. **Discovery** (``discover``): every module and subpackage of ``course_utils`` is imported
   (``pkgutil.walk_packages``, so a new module is included without editing this file); its
   public functions and classes (defined there, name without a leading underscore) are the
   targets, plus the public methods of classes that ``INSTANCES`` knows how to build.
2. **A good call** (``GOOD``): for each target, keyword arguments that work. Every bad case
   changes exactly one argument of that call, so the error can only come from that argument.
   A target without a ``GOOD`` entry, or whose good call fails, is a failure ("no baseline"):
   a new public function must come with an entry here.
3. **Argument kinds** (``kind_of``): an explicit override (``OVERRIDES``), else the parameter's
   name (``NAME_KINDS``: ``n_users`` is a count, ``lr`` a positive number, ...), else its
   annotation (``int``, ``float``, ``bool``, ``str``, ``Callable``, ``Ratings``, ...), else its
   default's type. A parameter whose default is ``None`` or whose annotation allows ``None``
   does not get ``None`` as a bad value. Every parameter also gets ``object()``, which no
   function accepts.
4. **Bad values per kind** (``BAD_VALUES``): wrong types, NaN and inf, zero, negative and
   non-whole sizes, empty and ragged data, out-of-range and negative ids, impossible ranges.
5. **Each case runs under a time limit** (``CALL_LIMIT_S``, a SIGALRM timer that is stacked
   under pytest-timeout's): running past it is a *hang*. The network is closed to everything
   but 127.0.0.1, and the working directory is a temporary folder.
6. **Outcomes**: *clear* = ``ValueError`` or ``TypeError`` (or a documented subclass of
   either, such as ``UnknownNameError`` or ``MovieLensNotFound``) whose message names the
   argument; *obscure* = any other exception, or a message that does not name the argument;
   *silent* = the call returned; *hang* = it ran past the limit.

Contracts other than "raise" (``CONTRACTS``):

- **Exercise checkers** (``check_*`` in ``course_utils.exercises``) must never raise for a
  wrong or unfinished answer: a learner's cell must run. For them, *clear* means: returned
  ``False`` (not ``True``: a bad answer must never be accepted), printed non-empty feedback
  ("Not yet: ..."), no traceback and no exception. Raising anything is *obscure*; returning
  ``True`` is *silent*.
- **Reporters** (``check_hyperparameters``, ``read_number``, ``call_learner``) report a problem
  instead of raising: *clear* means the returned report (a non-empty list of messages, or a
  ``(False, message)`` pair) mentions the problem; raising ``ValueError``/``TypeError`` that
  names the argument also counts as clear.

PENDING
-------
Modules owned by other helpers are being changed while this suite is written. They are in
``PENDING``: their cases run and are reported in a separate tally, but do not fail the
suite. After merging, the integrator empties ``PENDING`` (and updates ``GOOD`` where a
signature changed); from then on every module must reach 100 %.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import io
import math
import os
import pkgutil
import signal
import socket
import threading
import time
import traceback
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import torch

import course_utils

ROOT = Path(__file__).resolve().parents[1]
CALL_LIMIT_S = 10.0          # a call still running after this is a hang
REPORT_PATH = ROOT / "build" / "bad_inputs_report.txt"

# ------------------------------------------------------------------------------ PENDING
# module prefix -> owner (helper letter, issue). Reported separately, not failed on, until merged.
PENDING = {
    "course_utils.widgets": "A (issue 11)",
    "course_utils.threads": "A (issue 11)",
    "course_utils.ode": "C (issue 12)",
    "course_utils.adjoint": "C (issue 12)",
    "course_utils.odenets": "C (issue 12)",
    "course_utils.mlp_numpy": "C (issue 12)",
    "course_utils.initialization": "C (issue 12)",
    "course_utils.training": "C (issue 12)",
    "course_utils.exercises.finite_differences": "C (issue 12)",
    "course_utils.exercises.euler_resnets": "C (issue 12)",
    "course_utils.exercises.backprop": "C (issue 12)",
    "course_utils.exercises.matmul_embeddings": "C (issue 12)",
    "course_utils.embedding_analysis": "D (issue 13)",
    "course_utils.exercises.factorization": "D (issue 13)",
    "course_utils.exercises.optimizers": "D (issue 13)",
    "course_utils.exercises.embeddings": "D (issue 13)",
    "course_utils.exercises.feedback": "D (issue 13)",
    "course_utils.mf_torch": "D/E (issues 13, 16)",
    "course_utils.als": "E (issue 16; fold_in_user: D)",
    "course_utils.normal_equations": "E (issue 16; the engine inside als.ALS, which validates its arguments)",
    "course_utils.spark": "F (issue 17)",
    "course_utils.presenter": "G (issue 15)",
}


def pending_owner(qualname: str) -> str | None:
    for prefix, owner in PENDING.items():
        if qualname == prefix or qualname.startswith(prefix + ".") or qualname.startswith(prefix + "_"):
            return owner
    return None


# ------------------------------------------------------------------------------ discovery
@dataclass
class Target:
    qualname: str            # module.name or module.Class.method
    module: str
    obj: object
    owner_class: str | None = None   # for methods: the class's qualname

    @property
    def short(self) -> str:
        return self.qualname.removeprefix("course_utils.")


def discover() -> list[Target]:
    names = ["course_utils"] + [m.name for m in pkgutil.walk_packages(course_utils.__path__, "course_utils.")]
    targets = []
    for name in sorted(names):
        module = importlib.import_module(name)
        for attr, obj in sorted(vars(module).items()):
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if inspect.isclass(obj) and issubclass(obj, BaseException):
                continue                                  # exception classes are raised, not called
            qual = f"{name}.{attr}"
            targets.append(Target(qual, name, obj))
            if inspect.isclass(obj) and qual in INSTANCES:
                for meth_name, meth in sorted(vars(obj).items()):
                    if meth_name.startswith("_"):
                        continue
                    if isinstance(meth, (staticmethod, classmethod)):
                        targets.append(Target(f"{qual}.{meth_name}", name, getattr(obj, meth_name), None))
                    elif inspect.isfunction(meth):
                        targets.append(Target(f"{qual}.{meth_name}", name, meth, qual))
    return targets


# ------------------------------------------------------------------------------ small good data
def _tiny_ratings():
    from course_utils.ratings import Ratings

    users = np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3])
    items = np.array([0, 1, 2, 0, 2, 3, 1, 2, 3, 0, 1, 3])
    ratings = np.array([5, 4, 1, 4, 2, 1, 5, 3, 2, 1, 5, 4], dtype=float)
    return Ratings(users, items, ratings, 4, 4, (1.0, 5.0), item_titles=["a", "b", "c", "d"],
                   item_genres=[["x"], ["y"], [], ["x"]], source="tiny")


def _synthetic(seed: int = 0):
    from course_utils.ratings import synthetic_ratings

    return synthetic_ratings(n_users=12, n_items=15, n_ratings=60, min_per_user=4, seed=seed)


def _factor_model():
    from course_utils.als import init_model

    return init_model(_tiny_ratings(), 2, seed=0)


def _digits(n: int = 8):
    g = torch.Generator().manual_seed(0)
    return torch.randn(n, 64, generator=g), torch.arange(n) % 10


def _mlp_params():
    from course_utils.mlp_numpy import init_mlp

    return init_mlp([4, 5, 3], np.random.default_rng(0))


def _quadratic_grad(x):
    return np.array([0.1 * x[0], x[1]])


FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures" / "ml-latest-tiny"


# Instances whose public methods are probed too: class qualname -> factory.
INSTANCES = {
    "course_utils.ratings.Ratings": _tiny_ratings,
    "course_utils.ratings.SyntheticRatings": _synthetic,
    "course_utils.surfaces.Surface": lambda: __import__("course_utils.surfaces").surfaces.quadratic(10.0),
    "course_utils.als.FactorModel": _factor_model,
    "course_utils.als.ALS": lambda: __import__("course_utils.als").als.ALS(_tiny_ratings(), k=2, lam=1.0),
}


def _top_genre_call() -> dict:
    truth = _synthetic()
    scores = np.random.default_rng(0).normal(size=(15, 2))
    means = {g: np.mean(scores[truth.item_genre == k, 0]) if np.any(truth.item_genre == k) else -np.inf
             for k, g in enumerate(truth.genres)}
    return dict(scores=scores, truth=truth, mask=np.ones(15, bool), component=0, answer=max(means, key=means.get))


SERVER = {}   # set by the results fixture: a localhost HTTP server with one tiny MovieLens zip


def _download_call() -> dict:
    return dict(name="ml-latest-small", dest="data", url=SERVER["url"], sha256=SERVER["sha256"], timeout=5.0)


def _linear_backward(dY, X, W):
    return dY @ W.T, X.T @ dY


# qualname (without "course_utils.") -> function returning the keyword arguments of a good call.
# A factory runs afresh for every case, so a function that changes its inputs cannot spoil the next case.
GOOD = {
    # ---- checks
    "checks.check_close": lambda: dict(name="x", actual=[1.0, 2.0], expected=[1.0, 2.0], rtol=1e-7, atol=0.0),
    "checks.check_between": lambda: dict(name="x", value=1.5, low=1.0, high=2.0),
    "checks.check_true": lambda: dict(name="x", condition=True, detail="it holds"),
    "checks.compare_gradients": lambda: dict(pairs={"w": (np.ones(2), np.ones(2))}, rtol=1e-10, atol=1e-12, reference="autograd"),
    # ---- validation (the checks themselves: their argument is the value they check)
    "validation.check_number": lambda: dict(name="value", value=1.0, low=0.0, high=2.0),
    "validation.check_positive": lambda: dict(name="value", value=1.0),
    "validation.check_nonnegative": lambda: dict(name="value", value=0.0),
    "validation.check_count": lambda: dict(name="value", value=3, minimum=1, maximum=5),
    "validation.check_choice": lambda: dict(name="value", value="a", choices=("a", "b")),
    "validation.check_bool": lambda: dict(name="value", value=True),
    "validation.check_callable": lambda: dict(name="value", value=np.sin),
    "validation.check_array": lambda: dict(name="value", value=[1.0, 2.0], ndim=1),
    "validation.check_ids": lambda: dict(name="value", value=[0, 1], n=3),
    "validation.check_same_length": None,   # **arrays only: probed by tests/test_validation.py
    "validation.all_finite": lambda: dict(arr=np.ones(3)),
    "validation.check_fraction": lambda: dict(name="value", value=0.5),
    "validation.check_seed": lambda: dict(name="value", value=0),
    "validation.check_text": lambda: dict(name="value", value="abc"),
    "validation.check_path": lambda: dict(name="value", value="data"),
    "validation.check_instance": lambda: dict(name="value", value=3, kinds=int),
    "validation.check_pair": lambda: dict(name="value", value=(1.0, 2.0)),
    "validation.check_name": lambda: dict(name="value", value="a", known=("a", "b")),
    # ---- convergence, finite differences, similarity, broadcasting
    "convergence.loglog_slope": lambda: dict(steps=[0.1, 0.01, 0.001], errors=[1e-2, 1e-4, 1e-6]),
    "finite_diff.derivative": lambda: dict(f=np.sin, x=1.0, h=1e-5, method="central"),
    "finite_diff.jacobian": lambda: dict(f=np.sin, x=[1.0, 2.0], h=1e-5, method="central"),
    "finite_diff.gradient": lambda: dict(f=lambda x: float(np.sum(x**2)), x=[1.0, 2.0], h=1e-5, method="central"),
    "finite_diff.hessian": lambda: dict(f=lambda x: float(np.sum(x**2)), x=[1.0, 2.0], h=1e-3),
    "finite_diff.relative_error": lambda: dict(a=[1.0, 2.0], b=[1.0, 2.1]),
    "similarity.cosine_similarity": lambda: dict(a=[1.0, 0.0], b=[1.0, 1.0]),
    "broadcasting.explain_broadcast": lambda: dict(shape_a=(3, 1), shape_b=(4,)),
    "broadcasting.BroadcastReport": lambda: dict(shape_a=(3, 1), shape_b=(4,), result=(3, 4), steps=["x"], warning=None),
    # ---- repro, env report, plotting, memory
    "repro.seed_everything": lambda: dict(seed=0),
    "repro.pick_device": lambda: dict(prefer="cpu", verbose=False),
    "envreport.widget_frontend_path": lambda: dict(),
    "envreport.environment_report": lambda: dict(verbose=False),
    "plotting.color_for": lambda: dict(method="central"),
    "plotting.use_course_style": lambda: dict(),
    "memory.saved_tensor_bytes": lambda: dict(),
    # ---- surfaces and optimizers
    "surfaces.Surface": lambda: dict(name="q", f=lambda x, y: x * y, grad=lambda p: p, xlim=(-1.0, 1.0), ylim=(-1.0, 1.0),
                                     start=(0.5, 0.5), minimum_value=0.0, description="a test surface"),
    "surfaces.Surface.value": lambda: dict(p=np.array([1.0, 1.0])),
    "surfaces.quadratic": lambda: dict(kappa=10.0),
    "surfaces.rosenbrock": lambda: dict(),
    "surfaces.saddle": lambda: dict(),
    "surfaces.factorization": lambda: dict(rating=3.0, lam=0.1),
    "optimizers.check_hyperparameters": lambda: dict(lr=0.1, momentum=0.5, dampening=0.0, nesterov=False, betas=(0.9, 0.999),
                                                     alpha=0.99, eps=1e-8, weight_decay=0.0),
    "optimizers.sgd_step": lambda: dict(params=np.ones(2), grad=np.ones(2), state={}, lr=0.1, momentum=0.5, dampening=0.0,
                                        nesterov=False, weight_decay=0.0),
    "optimizers.rmsprop_step": lambda: dict(params=np.ones(2), grad=np.ones(2), state={}, lr=0.01, alpha=0.99, eps=1e-8,
                                            weight_decay=0.0),
    "optimizers.adam_step": lambda: dict(params=np.ones(2), grad=np.ones(2), state={}, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                                         weight_decay=0.0, decoupled=False),
    "optimizers.adamw_step": lambda: dict(params=np.ones(2), grad=np.ones(2), state={}, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                                          weight_decay=1e-2),
    "optimizers.optimize": lambda: dict(name="momentum", grad_fn=_quadratic_grad, x0=[1.0, 1.0], n_steps=5,
                                        divergence_threshold=1e6, lr=0.1, momentum=0.5),
    # ---- ratings, neighbours, MovieLens
    "ratings.Ratings": lambda: dict(users=[0, 1], items=[1, 0], ratings=[3.0, 4.0], n_users=2, n_items=2, scale=(1.0, 5.0),
                                    user_ids=None, item_ids=None, item_titles=None, item_genres=None, source="test"),
    "ratings.Ratings.from_ids": lambda: dict(raw_users=[10, 20], raw_items=[7, 7], ratings=[3.0, 4.0]),
    "ratings.Ratings.subset": lambda: dict(index=[0, 2, 5]),
    "ratings.Ratings.density": lambda: dict(),
    "ratings.split_ratings": lambda: dict(data=_tiny_ratings(), test_fraction=0.25, seed=0),
    "ratings.cold_start_report": lambda: dict(train=_tiny_ratings(), test=_tiny_ratings().subset([0, 1])),
    "ratings.SyntheticRatings": lambda: {name: getattr(_synthetic(), name) for name in (
        "data", "user_factors", "item_factors", "user_bias", "item_bias", "mu", "noise_std", "genres", "item_genre")},
    "ratings.SyntheticRatings.planted_scores": lambda: dict(users=[0, 1], items=[2, 3]),
    "ratings.synthetic_ratings": lambda: dict(n_users=12, n_items=15, n_ratings=60, noise_std=0.7, min_per_user=4, seed=0),
    # ---- cost_model (E, issue 16)
    "cost_model.sweep_operations": lambda: dict(nnz=1000, n_rows=100, k=8, solver="direct", cg_steps=3),
    "cost_model.subsample": lambda: dict(data=_tiny_ratings(), n_ratings=6, seed=0),
    "cost_model.measure_sweep_times": lambda: dict(data=_tiny_ratings(), sizes=[6, 12], ks=[1, 2], solver="cg", n_sweeps=1,
                                                   repeats=1, seed=0, clock="cpu"),
    "cost_model.fit_power_law": lambda: dict(nnz=[1e4, 2e4, 1e4, 2e4], k=[8, 8, 16, 16], seconds=[1.0, 2.0, 3.0, 4.5]),
    "neighbors.user_cosine_matrix": lambda: dict(train=_tiny_ratings(), min_common=2),
    "neighbors.user_knn_predict": lambda: dict(train=_tiny_ratings(), users=[0, 1], items=[3, 1], n_neighbors=2, sim=None),
    "movielens.find_movielens": lambda: dict(path=FIXTURE_DIR),
    "movielens.load_movielens": lambda: dict(path=FIXTURE_DIR),
    "movielens.download_movielens": _download_call,
    # ==== PENDING modules (owned by other helpers) ====
    # ---- als (E; fold_in_user D)
    "als.FactorModel": lambda: dict(user_factors=np.zeros((2, 1)), item_factors=np.zeros((3, 1)), user_bias=np.zeros(2),
                                    item_bias=np.zeros(3), mu=3.0),
    "als.FactorModel.predict": lambda: dict(users=[0, 1], items=[1, 2], clip=(1.0, 5.0)),
    "als.FactorModel.copy": lambda: dict(),
    "als.rmse": lambda: dict(model=_factor_model(), data=_tiny_ratings(), clip=True),
    "als.objective": lambda: dict(model=_factor_model(), data=_tiny_ratings(), lam=1.0, lam_bias=None),
    "als.init_model": lambda: dict(data=_tiny_ratings(), k=2, seed=0),
    "als.ratings_by_key": lambda: dict(data=_tiny_ratings()),
    "als.als_sweep_loops": lambda: dict(m=_factor_model(), by_user=__import__("course_utils.als").als.ratings_by_key(_tiny_ratings())[0],
                                        by_item=__import__("course_utils.als").als.ratings_by_key(_tiny_ratings())[1], lam=1.0,
                                        after_block=None),
    "als.ALS": lambda: dict(train=_tiny_ratings(), k=2, lam=1.0, backend="numpy", device=None, lam_bias=None, weighted=False),
    "als.ALS.fit": lambda: dict(n_sweeps=2, model=None, seed=0, track=None),
    "als.fit_biases": lambda: dict(train=_tiny_ratings(), lam_bias=3.0, n_sweeps=3),
    "als.fold_in_user": lambda: dict(model=_factor_model(), items=[0, 1], ratings=[4.0, 2.0], lam=1.0, lam_bias=None, n_iters=3),
    "als.select_lambda": lambda: dict(train=_synthetic().data, k=2, lams=(1.0, 5.0), lam_bias=3.0, n_sweeps=2,
                                      valid_fraction=0.2, seed=1),
    # ---- mf_torch (D/E)
    "mf_torch.default_y_range": lambda: dict(scale=(1.0, 5.0)),
    "mf_torch.DotProductBias": lambda: dict(n_users=4, n_items=4, k=2, y_range=(0.5, 5.5), init_std=0.01),
    "mf_torch.NeuralCF": lambda: dict(n_users=4, n_items=4, k=2, hidden=(4,), dropout=0.2, y_range=(0.5, 5.5),
                                      item_features=None, init_std=0.1),
    "mf_torch.predict": lambda: dict(model=__import__("course_utils.mf_torch").mf_torch.DotProductBias(4, 4, 2),
                                     data=_tiny_ratings(), device=None, batch_size=8),
    "mf_torch.rmse_torch": lambda: dict(model=__import__("course_utils.mf_torch").mf_torch.DotProductBias(4, 4, 2),
                                        data=_tiny_ratings(), device=None),
    "mf_torch.l2_penalty": lambda: dict(model=__import__("course_utils.mf_torch").mf_torch.DotProductBias(4, 4, 2),
                                        lam=0.1, lam_bias=0.01),
    "mf_torch.fit_gd": lambda: dict(model=__import__("course_utils.mf_torch").mf_torch.DotProductBias(4, 4, 2),
                                    train=_tiny_ratings(), epochs=1, batch_size=4, lr=0.01, weight_decay=0.0, lam=0.0,
                                    lam_bias=0.0, device=None, seed=0, valid=None, progress=False, optimizer="adamw",
                                    track_train=False),
    # ---- embedding analysis (D)
    "embedding_analysis.pca": lambda: dict(X=np.random.default_rng(0).normal(size=(6, 3)), n_components=2),
    "embedding_analysis.component_ends": lambda: dict(scores=np.random.default_rng(0).normal(size=(6, 2)), component=0, n=2,
                                                      candidates=None),
    "embedding_analysis.nearest_items": lambda: dict(factors=np.random.default_rng(0).normal(size=(6, 3)), item=0, k=2,
                                                     candidates=None),
    "embedding_analysis.align_factors": lambda: dict(source=np.random.default_rng(0).normal(size=(6, 2)),
                                                     target=np.random.default_rng(1).normal(size=(6, 2))),
    "embedding_analysis.genre_decoding_accuracy": lambda: dict(factors=np.random.default_rng(0).normal(size=(8, 2)),
                                                               labels=np.array([0, 1] * 4)),
    # ---- ODEs, ResNets, MLPs (C)
    "ode.euler_step": lambda: dict(f=lambda t, h: -h, t=0.0, h=torch.ones(2), dt=0.1),
    "ode.midpoint_step": lambda: dict(f=lambda t, h: -h, t=0.0, h=torch.ones(2), dt=0.1),
    "ode.rk4_step": lambda: dict(f=lambda t, h: -h, t=0.0, h=torch.ones(2), dt=0.1),
    "ode.time_grid": lambda: dict(t=[0.0, 0.5, 1.0]),
    "ode.check_substeps": lambda: dict(substeps=2),
    "ode.check_state": lambda: dict(f=lambda t, h: -h, t0=0.0, h0=torch.ones(2)),
    "ode.integrate": lambda: dict(f=lambda t, h: -h, h=torch.ones(2), t0=0.0, t1=1.0, n_steps=4, method="rk4"),
    "ode.odeint_fixed": lambda: dict(f=lambda t, h: -h, h0=torch.ones(2), t=[0.0, 0.5, 1.0], method="rk4", substeps=1,
                                     check_finite=True),
    "adjoint.odeint_adjoint": lambda: dict(func=__import__("course_utils.odenets").odenets.MLPDynamics(2, 4),
                                           h0=torch.ones(1, 2), t=[0.0, 0.5], method="rk4", substeps=1),
    "odenets.SpiralDynamics": lambda: dict(A=((-0.1, 2.0), (-2.0, -0.1))),
    "odenets.MLPDynamics": lambda: dict(dim=2, hidden=4, cube_input=False),
    "odenets.SharedResidualStack": lambda: dict(f=__import__("course_utils.odenets").odenets.MLPDynamics(2, 4), n_blocks=2),
    "odenets.ResidualBlock": lambda: dict(width=4),
    "odenets.DigitsResNet": lambda: dict(width=8, n_blocks=2),
    "odenets.DigitsODENet": lambda: dict(width=8, n_steps=2),
    "odenets.count_parameters": lambda: dict(model=torch.nn.Linear(2, 2)),
    "mlp_numpy.init_mlp": lambda: dict(sizes=[4, 5, 3], rng=np.random.default_rng(0), bias_scale=0.1),
    "mlp_numpy.n_layers": lambda: dict(params=_mlp_params()),
    "mlp_numpy.softmax_cross_entropy": lambda: dict(logits=np.zeros((2, 3)), y=np.array([0, 2])),
    "mlp_numpy.forward": lambda: dict(params=_mlp_params(), X=np.ones((2, 4))),
    "mlp_numpy.loss_and_gradients": lambda: dict(params=_mlp_params(), X=np.ones((2, 4)), y=np.array([0, 2])),
    "mlp_numpy.sgd_step": lambda: dict(params=_mlp_params(), grads=_mlp_params(), lr=0.1),
    "mlp_numpy.predict": lambda: dict(params=_mlp_params(), X=np.ones((2, 4))),
    "initialization.weight_std": lambda: dict(scheme="kaiming", fan_in=8),
    "initialization.activation_rms": lambda: dict(scheme="kaiming", n_layers=2, width=4, n_samples=8, rng=np.random.default_rng(0)),
    "training.train_classifier": lambda: dict(model=torch.nn.Linear(64, 10), X=_digits()[0], y=_digits()[1], epochs=1,
                                              batch_size=4, lr=0.01, seed=0),
    "training.accuracy": lambda: dict(model=torch.nn.Linear(64, 10), X=_digits()[0], y=_digits()[1]),
    # ---- threads (A)
    "threads.requested_threads": lambda: dict(value=1),
    "threads.apply_thread_policy": lambda: dict(threads=1),
    "threads.thread_policy_report": lambda: dict(),
    # ---- widgets (A)
    "widgets.base.Playground": lambda: dict(),
    "widgets.embedding_explorer.EmbeddingExplorer": lambda: dict(
        factors=np.random.default_rng(0).normal(size=(6, 3)), scores=np.random.default_rng(1).normal(size=(6, 2)),
        titles=[f"t{i}" for i in range(6)], choices=[0, 1], candidates=None, colors=None, n_neighbors=2),
    "widgets.euler.euler_decay": lambda: dict(lam=2.0, dt=0.3, t_end=3.0),
    "widgets.euler.EulerStabilityExplorer": lambda: dict(lam=2.0, dt=0.3, t_end=3.0),
    "widgets.euler.resnet_hidden_states": lambda: dict(f=lambda t, h: -h, h0=torch.ones(3, 2), n_blocks=2),
    "widgets.euler.ode_flow": lambda: dict(f=lambda t, h: -h, h0=torch.ones(3, 2), reference_steps=8),
    "widgets.euler.resnet_vs_ode": lambda: dict(f=lambda t, h: -h, h0=torch.ones(3, 2), n_blocks=2, reference_steps=8),
    "widgets.euler.ResNetDepthExplorer": lambda: dict(f=lambda t, h: -h, h0=torch.ones(3, 2), n_blocks=2),
    "widgets.live_figure.LiveFigure": lambda: dict(ncols=1, figsize=(3.0, 2.0), dpi=50),
    "widgets.matmul.matmul_cell": lambda: dict(A=np.ones((2, 3)), B=np.ones((3, 2)), i=0, j=1),
    "widgets.matmul.MatmulExplorer": lambda: dict(A=np.ones((2, 3)), B=np.ones((3, 2)), i=0, j=1),
    "widgets.secant.secant_estimate": lambda: dict(f=np.sin, dfdx=np.cos, x0=1.0, h=0.1, method="forward"),
    "widgets.secant.SecantExplorer": lambda: dict(functions=None, function=None, x0=1.0, log10_h=-0.5, method="forward"),
    "widgets.optimizer_playground.run_all": lambda: dict(surface=__import__("course_utils.surfaces").surfaces.quadratic(10.0),
                                                         names=("gd",), settings={"lr": 0.1}, start=(1.0, 1.0), n_steps=3),
    "widgets.optimizer_playground.OptimizerPlayground": lambda: dict(surface="quadratic", optimizers=("gd",), lr=0.1,
                                                                     momentum=0.9, beta1=0.9, beta2=0.999, weight_decay=0.0,
                                                                     n_steps=5, kappa=10.0),
    "widgets.training_playground.small_ratings": lambda: dict(seed=0),
    "widgets.training_playground.train_recommender": lambda: dict(train=_tiny_ratings(), valid=_tiny_ratings(), n_users=4, n_items=4,
                                                                  scale=(1.0, 5.0), optimizer="adamw", lr=0.01, weight_decay=0.0,
                                                                  epochs=1, k=2, seed=0),
    "widgets.training_playground.TrainingPlayground": lambda: dict(optimizer="adamw", lr=0.01, weight_decay=0.0, epochs=1, seed=0),
    # ---- exercise checkers and their helpers (C, D)
    "exercises.backprop.check_relu_backward": lambda: dict(relu_backward=lambda dA, Z: dA * (Z > 0)),
    "exercises.backprop.check_linear_backward": lambda: dict(linear_backward=_linear_backward),
    "exercises.embeddings.check_identifiability": lambda: dict(U=np.eye(2), V=np.eye(2), new_U=2 * np.eye(2), new_V=0.5 * np.eye(2)),
    "exercises.embeddings.check_top_component_genre": lambda: _top_genre_call(),
    "exercises.euler_resnets.check_midpoint_step": lambda: dict(
        midpoint_step=lambda f, t, h, dt: h + dt * f(t + dt / 2, h + dt / 2 * f(t, h))),
    "exercises.euler_resnets.check_largest_stable_step": lambda: dict(lam=2.0, dt=1.0),
    "exercises.euler_resnets.reference_rk4_step": lambda: dict(f=lambda t, h: -h, t=0.0, h=torch.ones(2), dt=0.1),
    "exercises.factorization.check_parameter_count": lambda: dict(n_users=10, n_items=20, k=3, answer=120),
    "exercises.factorization.check_item_bias_update": lambda: dict(
        update=lambda items, residual, n_items, lam: np.bincount(items, residual, n_items) / (np.bincount(items, minlength=n_items) + lam),
        trial=None),
    "exercises.feedback.correct": lambda: dict(message="well done"),
    "exercises.feedback.not_yet": lambda: dict(message="try again"),
    "exercises.feedback.call_learner": None,  # (fn, *args): its contract is tested in the checkers' tests
    "exercises.feedback.read_number": lambda: dict(answer="3.5", kind=float),
    "exercises.finite_differences.check_backward_difference": lambda: dict(
        backward_difference=lambda f, x, h: (f(x) - f(x - h)) / h),
    "exercises.finite_differences.check_five_point_stencil": lambda: dict(
        five_point=lambda f, x, h: (-f(x + 2 * h) + 8 * f(x + h) - 8 * f(x - h) + f(x - 2 * h)) / (12 * h)),
    "exercises.finite_differences.check_best_step_float32": lambda: dict(h=5e-3),
    "exercises.finite_differences.buggy_gradient_problem": lambda: dict(),
    "exercises.finite_differences.check_wrong_coordinate": lambda: dict(index=2),
    "exercises.matmul_embeddings.check_broadcast_answers": lambda: dict(answers=[(5, 3), (2, 3, 4), None, (8, 7, 6, 5)]),
    "exercises.matmul_embeddings.check_embedding_backward": lambda: dict(
        embedding_backward=lambda idx, up, V: np.add.at(w := np.zeros((V, up.shape[1])), idx, up) or w),
    "exercises.optimizers.check_largest_stable_lr": lambda: dict(kappa=10.0, answer=2.0),
    "exercises.optimizers.momentum_speedup": lambda: dict(kappa=10.0, tol=1e-3),
    "exercises.optimizers.check_momentum_speedup": lambda: dict(kappa=10.0, prediction=2.0),
    "exercises.optimizers.check_adam_step": lambda: dict(
        adam_step=lambda p, g, m, v, t, lr, b1, b2, eps: (
            p - lr * ((b1 * m + (1 - b1) * g) / (1 - b1**t)) / (np.sqrt((b2 * v + (1 - b2) * g * g) / (1 - b2**t)) + eps),
            b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g)),
}

# ------------------------------------------------------------------------------ kinds and bad values
NAN, INF = math.nan, math.inf


class _Opaque:
    """No function in the course accepts this."""

    def __repr__(self) -> str:
        return "<an unrelated object>"


BAD_VALUES = {
    # whole numbers >= 1 (sizes, counts) / >= 0 / seeds
    "count": [2.5, 0, -1, NAN, INF, "3", None, True],
    "count0": [2.5, -1, NAN, INF, "3", None, True],
    "seed": [-1, 2.5, NAN, "0", None, True],
    "index": [-1, 2.5, 10**6, NAN, "0", None, True],
    # real numbers
    "positive": [0, -1.0, NAN, INF, "0.1", None, True, 1j],
    "nonnegative": [-1.0, NAN, INF, "0.1", None, True, 1j],
    "real": [NAN, INF, -INF, "1.0", None, True, 1j, [1.0, 2.0]],
    "fraction": [0, 1, 1.5, -0.1, NAN, "0.2", None, True],
    # other scalars
    "flag": ["yes", 2, None, 0.5],
    "choice": ["nonsense", 3, None, ""],
    "text": [3, None, b"bytes"],
    "callable": [3, "f", None],
    "path": [3, b"data", "", None],
    # containers
    "array": [None, "abc", [[1.0, 2.0], [3.0]], [], [NAN, 1.0], [1j, 2j], [object()]],
    "ids": [None, "0", [-1], [0.5], [10**6], [[0]], [True], [NAN]],
    "pair": [None, "ab", (1.0,), (5.0, 1.0), (NAN, 1.0), 3],
    "shape": [None, "ab", (-1, 2), (2.5,), (True,), 3.5],
    "dict": [None, 3, "abc", [1, 2]],
    "ratings": [None, [1, 2, 3], "ratings.csv", {"users": [0]}],
    "model": [None, 3, "model"],
    "module": [None, 3, "model", np.sin],
    "tensor": [None, "abc", [[1.0], [2.0, 3.0]]],
    "rng": [None, 3.5, "rng"],
    "answer": [None, Ellipsis, "not a number", NAN, -1, [1, 2]],       # exercise answers (checker contract)
    "learner_fn": [None, 3, "f", lambda *a: None, lambda *a: 1 / 0, lambda *a: "text"],
    "any": [],
}

NAME_KINDS = {
    # counts
    **dict.fromkeys(["n_users", "n_items", "n_ratings", "k", "epochs", "batch_size", "n_neighbors", "n_blocks", "width",
                     "hidden", "n_samples", "n_layers", "fan_in", "n_components", "dim", "substeps", "ncols", "dpi",
                     "reference_steps", "min_common", "n"], "count"),
    **dict.fromkeys(["n_steps", "n_sweeps", "n_iters", "min_per_user"], "count0"),
    "seed": "seed",
    **dict.fromkeys(["i", "j", "item", "component", "index"], "index"),
    # numbers
    **dict.fromkeys(["lr", "h", "dt", "eps", "timeout", "kappa", "init_std", "divergence_threshold", "tol", "bias_scale"],
                    "positive"),
    **dict.fromkeys(["lam", "lam_bias", "weight_decay", "noise_std", "rtol", "atol", "momentum", "dampening", "alpha"],
                    "nonnegative"),
    **dict.fromkeys(["test_fraction", "valid_fraction", "dropout"], "fraction"),
    **dict.fromkeys(["x0", "t0", "t1", "t_end", "low", "high", "mu", "minimum_value", "rating", "log10_h", "beta1", "beta2"],
                    "real"),
    # choices and text
    **dict.fromkeys(["method", "backend", "optimizer", "scheme", "prefer", "surface_name"], "choice"),
    **dict.fromkeys(["detail", "reference", "description", "source", "message"], "text"),
    # functions
    **dict.fromkeys(["f", "grad_fn", "dfdx", "func", "grad", "update", "track", "after_block"], "callable"),
    # data
    **dict.fromkeys(["data", "train", "test", "valid"], "ratings"),
    **dict.fromkeys(["users", "items", "raw_users", "raw_items"], "ids"),
    **dict.fromkeys(["steps", "errors", "a", "b", "x", "X", "y", "params", "logits", "scores", "factors", "source_factors",
                     "A", "B", "ratings", "labels", "arr", "p", "U", "V"], "array"),
    **dict.fromkeys(["scale", "y_range", "betas", "xlim", "ylim", "start", "figsize"], "pair"),
    **dict.fromkeys(["shape_a", "shape_b"], "shape"),
    "path": "path", "dest": "path",
    **dict.fromkeys(["pairs", "state", "settings"], "dict"),
    **dict.fromkeys(["model", "m"], "model"),
    "rng": "rng",
    **dict.fromkeys(["verbose", "progress", "clip", "nesterov", "decoupled", "weighted", "track_train", "check_finite",
                     "cube_input", "allow_empty", "finite"], "flag"),
    **dict.fromkeys(["h0"], "tensor"),
}

# (qualname without "course_utils.", parameter) -> kind, where the name or annotation would mislead.
OVERRIDES = {
    ("cost_model.sweep_operations", "nnz"): "array", ("cost_model.sweep_operations", "n_rows"): "array",
    ("cost_model.sweep_operations", "k"): "array", ("cost_model.fit_power_law", "nnz"): "array",
    ("cost_model.fit_power_law", "k"): "array", ("cost_model.fit_power_law", "seconds"): "array",
    ("cost_model.measure_sweep_times", "sizes"): "array", ("cost_model.measure_sweep_times", "ks"): "array",
    # the value a check examines is the thing under test: no kind of value is "bad" for check_number's value...
    ("checks.check_close", "actual"): "checked",
    ("checks.check_close", "expected"): "checked",
    ("checks.check_between", "value"): "checked",
    ("checks.check_true", "condition"): "condition",
    ("checks.check_between", "low"): "bound",       # -inf / inf are allowed: a one-sided range
    ("checks.check_between", "high"): "bound",
    ("finite_diff.derivative", "x"): "array_any",
    ("finite_diff.relative_error", "a"): "array_any",
    ("finite_diff.relative_error", "b"): "array_any",
    ("surfaces.Surface.value", "p"): "point",
    ("surfaces.Surface", "name"): "text",
    ("surfaces.Surface", "start"): "point_pair",
    ("surfaces.factorization", "rating"): "positive",
    ("optimizers.check_hyperparameters", "lr"): "positive",
    ("optimizers.optimize", "name"): "choice",
    ("optimizers.optimize", "x0"): "array",
    ("ratings.Ratings", "n_users"): "count",
    ("ratings.Ratings", "source"): "text",
    ("ratings.Ratings", "user_ids"): "array_opt",
    ("ratings.Ratings", "item_ids"): "array_opt",
    ("ratings.Ratings", "item_titles"): "list_opt",
    ("ratings.Ratings", "item_genres"): "list_opt",
    ("ratings.Ratings", "ratings"): "array",
    ("ratings.Ratings.from_ids", "ratings"): "array",
    ("ratings.Ratings.subset", "index"): "subset_index",
    ("ratings.SyntheticRatings.planted_scores", "users"): "ids",
    ("ratings.SyntheticRatings", "data"): "ratings",
    ("ratings.SyntheticRatings", "genres"): "list_opt",
    ("ratings.SyntheticRatings", "item_genre"): "ids",
    ("ratings.SyntheticRatings", "user_factors"): "array", ("ratings.SyntheticRatings", "item_factors"): "array",
    ("ratings.SyntheticRatings", "user_bias"): "array", ("ratings.SyntheticRatings", "item_bias"): "array",
    ("movielens.download_movielens", "name"): "dataset",
    ("movielens.download_movielens", "url"): "url",
    ("movielens.download_movielens", "sha256"): "sha256",
    ("movielens.find_movielens", "path"): "path",
    ("movielens.load_movielens", "path"): "path",
    ("neighbors.user_knn_predict", "sim"): "array",
    ("broadcasting.BroadcastReport", "result"): "shape",
    ("broadcasting.BroadcastReport", "steps"): "list_of_text",
    ("broadcasting.BroadcastReport", "warning"): "text",
    ("plotting.color_for", "method"): "choice",
    ("validation.check_number", "value"): "real",
    ("validation.check_positive", "value"): "positive",
    ("validation.check_nonnegative", "value"): "nonnegative",
    ("validation.check_count", "value"): "count",
    ("validation.check_count", "minimum"): "int_any",
    ("validation.check_count", "maximum"): "int_any",
    ("validation.check_number", "low"): "real_opt",
    ("validation.check_number", "high"): "real_opt",
    ("validation.check_choice", "value"): "choice",
    ("validation.check_choice", "choices"): "any",
    ("validation.check_bool", "value"): "flag",
    ("validation.check_callable", "value"): "callable",
    ("validation.check_array", "value"): "array",
    ("validation.check_array", "ndim"): "any",
    ("validation.check_ids", "value"): "ids",
    ("validation.check_ids", "n"): "count",
    ("validation.check_fraction", "value"): "fraction",
    ("validation.check_seed", "value"): "seed",
    ("validation.check_text", "value"): "text",
    ("validation.check_path", "value"): "path",
    ("validation.check_instance", "value"): "any",
    ("validation.check_instance", "kinds"): "any",
    ("validation.check_pair", "value"): "pair",
    ("validation.check_name", "value"): "choice",
    ("validation.check_name", "known"): "any",
    ("validation.all_finite", "arr"): "ndarray",
    # pending modules
    ("exercises.optimizers.momentum_speedup", "kappa"): "positive",
    ("exercises.feedback.read_number", "answer"): "answer",
    ("exercises.feedback.read_number", "kind"): "any",
    ("threads.requested_threads", "value"): "threads",
    ("threads.apply_thread_policy", "threads"): "threads",
    ("odenets.SharedResidualStack", "f"): "module",
    ("adjoint.odeint_adjoint", "func"): "module",
    ("adjoint.odeint_adjoint", "t"): "array",
    ("ode.odeint_fixed", "t"): "array",
    ("ode.time_grid", "t"): "array",
    ("ode.euler_step", "t"): "real", ("ode.midpoint_step", "t"): "real", ("ode.rk4_step", "t"): "real",
    ("ode.euler_step", "h"): "tensor", ("ode.midpoint_step", "h"): "tensor", ("ode.rk4_step", "h"): "tensor",
    ("ode.integrate", "h"): "tensor",
    ("exercises.euler_resnets.reference_rk4_step", "h"): "tensor",
    ("exercises.euler_resnets.reference_rk4_step", "t"): "real",
    ("odenets.SpiralDynamics", "A"): "array",
    ("training.train_classifier", "model"): "module",
    ("training.accuracy", "model"): "module",
    ("training.train_classifier", "X"): "tensor", ("training.train_classifier", "y"): "tensor",
    ("training.accuracy", "X"): "tensor", ("training.accuracy", "y"): "tensor",
    ("odenets.count_parameters", "model"): "module",
    ("mf_torch.predict", "model"): "module", ("mf_torch.rmse_torch", "model"): "module",
    ("mf_torch.l2_penalty", "model"): "module", ("mf_torch.fit_gd", "model"): "module",
    ("mf_torch.NeuralCF", "hidden"): "any",
    ("mf_torch.NeuralCF", "item_features"): "tensor",
    ("mlp_numpy.init_mlp", "sizes"): "array",
    ("mlp_numpy.n_layers", "params"): "dict", ("mlp_numpy.forward", "params"): "dict",
    ("mlp_numpy.loss_and_gradients", "params"): "dict", ("mlp_numpy.sgd_step", "params"): "dict",
    ("mlp_numpy.sgd_step", "grads"): "dict", ("mlp_numpy.predict", "params"): "dict",
    ("als.FactorModel", "mu"): "real",
    ("als.FactorModel", "user_factors"): "array", ("als.FactorModel", "item_factors"): "array",
    ("als.FactorModel", "user_bias"): "array", ("als.FactorModel", "item_bias"): "array",
    ("als.als_sweep_loops", "by_user"): "dict", ("als.als_sweep_loops", "by_item"): "dict",
    ("als.select_lambda", "lams"): "array",
    ("als.ALS", "device"): "device", ("mf_torch.predict", "device"): "device", ("mf_torch.rmse_torch", "device"): "device",
    ("mf_torch.fit_gd", "device"): "device",
    ("embedding_analysis.component_ends", "candidates"): "any",
    ("embedding_analysis.nearest_items", "candidates"): "any",
    ("embedding_analysis.align_factors", "source"): "array",
    ("embedding_analysis.align_factors", "target"): "array",
    ("widgets.embedding_explorer.EmbeddingExplorer", "titles"): "any",
    ("widgets.embedding_explorer.EmbeddingExplorer", "choices"): "ids",
    ("widgets.embedding_explorer.EmbeddingExplorer", "candidates"): "any",
    ("widgets.embedding_explorer.EmbeddingExplorer", "colors"): "any",
    ("widgets.optimizer_playground.run_all", "surface"): "any",
    ("widgets.optimizer_playground.run_all", "names"): "any",
    ("widgets.optimizer_playground.OptimizerPlayground", "surface"): "choice",
    ("widgets.optimizer_playground.OptimizerPlayground", "optimizers"): "any",
    ("widgets.secant.SecantExplorer", "functions"): "any",
    ("widgets.secant.SecantExplorer", "function"): "choice",
    ("widgets.training_playground.train_recommender", "n_users"): "count",
    ("exercises.embeddings.check_top_component_genre", "truth"): "any",
    ("exercises.embeddings.check_top_component_genre", "mask"): "array",
}
# kinds used only through OVERRIDES
BAD_VALUES.update({
    "checked": [None, "abc", [[1.0], [2.0, 3.0]], {"a": 1}],
    "condition": ["False", [False], 1, None, np.array([True, False])],
    "array_any": [None, "abc", [[1.0, 2.0], [3.0]], [], [NAN, 1.0], [1j]],
    "array_opt": ["abc", [[1.0, 2.0], [3.0]]],
    "list_opt": [3, "abc"],
    "point": [None, "ab", np.array([1.0, 2.0, 3.0]), np.array([NAN, 1.0])],
    "point_pair": [None, "ab", (1.0,), (NAN, 1.0), 3],
    "subset_index": [None, "0", [-1], [0.5], [10**6], [[0]]],
    "dataset": ["../../x", "ml-../../x", "/tmp/ml-x", "ML 100K", "", 3, None],
    "url": [3, "not a url", "ftp://example.invalid/x.zip"],
    "sha256": [3, "abc", "z" * 64],
    "list_of_text": [3, "abc"],
    "real_opt": [NAN, "1.0"],
    "bound": [NAN, "1.0", None, True, 1j, [1.0, 2.0]],
    "int_any": [2.5, "3"],
    "ndarray": [None, "abc", [1.0]],
    "threads": ["many", -1, 0, 2.5, True],
    "device": [3, "nonsense"],
})

# Exceptions accepted as clear besides ValueError/TypeError: documented subclasses only.
ACCEPTED = (ValueError, TypeError)


def _checker(qual: str) -> bool:
    name = qual.rsplit(".", 1)[-1]
    return qual.startswith("course_utils.exercises.") and name.startswith("check_")


REPORTERS = {"course_utils.optimizers.check_hyperparameters", "course_utils.exercises.feedback.read_number",
             "course_utils.exercises.feedback.call_learner"}


# The checks in course_utils.validation take the value to check (probed) and configuration written by
# course code, never typed by a learner: the label for the message, the bounds, the hint (tested in
# tests/test_validation.py, not probed here).
VALIDATION_CONFIG = {"name", "hint", "what", "low", "high", "low_open", "high_open", "finite", "minimum", "maximum",
                     "choices", "ndim", "shape", "dtype", "allow_empty", "kinds", "known", "increasing", "n"}


def kind_of(target: Target, param: inspect.Parameter) -> str:
    short = target.short
    if target.module == "course_utils.validation" and param.name in VALIDATION_CONFIG:
        return "skip"
    if (short, param.name) in OVERRIDES:
        return OVERRIDES[(short, param.name)]
    if _checker(target.qualname) and param.name in ("answer", "prediction", "h", "dt", "index", "answers"):
        return "answer"
    if _checker(target.qualname) and param.name.endswith(("_backward", "_step", "_difference", "five_point")):
        return "learner_fn"
    if param.name in NAME_KINDS:
        return NAME_KINDS[param.name]
    ann = str(param.annotation) if param.annotation is not inspect.Parameter.empty else ""
    for token, kind in (("Callable", "callable"), ("Ratings", "ratings"), ("torch.Tensor", "tensor"), ("nn.Module", "module"),
                        ("np.ndarray", "array"), ("bool", "flag"), ("int", "count"), ("float", "real"), ("str", "text"),
                        ("dict", "dict"), ("tuple", "pair")):
        if ann.startswith(token):
            return kind
    default = param.default
    if isinstance(default, bool):
        return "flag"
    if isinstance(default, int):
        return "count0"
    if isinstance(default, float):
        return "real"
    if isinstance(default, str):
        return "text"
    return "any"


def _optional(param: inspect.Parameter) -> bool:
    ann = str(param.annotation) if param.annotation is not inspect.Parameter.empty else ""
    return param.default is None or "None" in ann


# ------------------------------------------------------------------------------ running one call
class _TimedOut(BaseException):
    """Raised by the alarm; a BaseException so that ``except Exception`` in the code under test cannot swallow it."""


def _call_with_limit(fn, limit: float):
    """Run fn() with a wall-clock limit; returns ("ok", value, out) / ("raised", exc, out) / ("hang", None, out)."""
    out = io.StringIO()

    def run():
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn()

    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        def on_alarm(signum, frame):
            raise _TimedOut()

        previous_handler = signal.signal(signal.SIGALRM, on_alarm)
        outer_remaining, _ = signal.setitimer(signal.ITIMER_REAL, limit)   # pytest-timeout's alarm, if any
        start = time.monotonic()
        try:
            return ("ok", run(), out.getvalue())
        except _TimedOut:
            return ("hang", None, out.getvalue())
        except Exception as exc:  # the point: see what the code raises
            return ("raised", exc, out.getvalue())
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
            if outer_remaining:
                signal.setitimer(signal.ITIMER_REAL, max(outer_remaining - (time.monotonic() - start), 0.001))
    result = {}

    def worker():  # fallback without signals: a hang is detected but the thread cannot be stopped
        try:
            result["value"] = ("ok", run(), out.getvalue())
        except Exception as exc:
            result["value"] = ("raised", exc, out.getvalue())

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    thread.join(limit)
    return result.get("value", ("hang", None, out.getvalue()))


def _names_argument(message: str, param: str) -> bool:
    import re

    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(param)}(?![A-Za-z0-9_])", message) is not None


@dataclass
class Case:
    target: str
    param: str
    kind: str
    value: str
    outcome: str             # clear / obscure / silent / hang / no-baseline
    detail: str = ""
    seconds: float = 0.0


@dataclass
class Tally:
    callables: int = 0
    counts: Counter = field(default_factory=Counter)

    @property
    def cases(self) -> int:
        return sum(self.counts.values())


def _prepare(target: Target):
    """(callable, good kwargs factory) for a target, or None when there is no good call."""
    factory = GOOD.get(target.short, "missing")
    if factory is None or factory == "missing":
        return None if factory is None else "missing"
    if target.owner_class is not None:
        instance_factory = INSTANCES[target.owner_class]
        name = target.qualname.rsplit(".", 1)[-1]
        return (lambda: getattr(instance_factory(), name)), factory
    return (lambda: target.obj), factory


def _classify(target: Target, param: str, status: str, value, output: str) -> tuple[str, str]:
    if status == "hang":
        return "hang", f"ran past {CALL_LIMIT_S:g} s"
    if _checker(target.qualname):
        if status == "raised":
            return "obscure", f"a checker raised {type(value).__name__}: {value}"
        if value is True:
            return "silent", "a checker accepted a bad answer"
        if value is False and output.strip() and "Traceback" not in output:
            return "clear", ""
        return "obscure", f"returned {value!r} with output {output.strip()[:80]!r}"
    if target.qualname in REPORTERS and status == "ok":
        report = value[1] if isinstance(value, tuple) and len(value) == 2 and value[0] is False else value
        if isinstance(report, str) and report.strip():
            return "clear", ""
        if isinstance(report, list) and report:
            return "clear", ""
        return "silent", f"returned {value!r:.80}"
    if status == "ok":
        return "silent", f"returned {type(value).__name__}"
    if isinstance(value, ACCEPTED):
        message = str(value)
        if _names_argument(message, param):
            return "clear", ""
        return "obscure", f"{type(value).__name__} does not name {param!r}: {message[:120]}"
    return "obscure", f"{type(value).__name__}: {str(value)[:120]}"


def _short_repr(value) -> str:
    text = repr(value)
    return text if len(text) <= 30 else text[:27] + "..."


def run_target(target: Target) -> list[Case]:
    prepared = _prepare(target)
    if prepared is None:
        return []                                   # deliberately not probed (see GOOD)
    if prepared == "missing":
        return [Case(target.qualname, "-", "-", "-", "no-baseline", "no entry in GOOD: add a good call for it")]
    get_fn, factory = prepared
    try:
        sig = inspect.signature(target.obj)
    except (TypeError, ValueError):
        return [Case(target.qualname, "-", "-", "-", "no-baseline", "no signature")]
    params = [p for name, p in sig.parameters.items() if name not in ("self", "cls")
              and p.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)]
    status, value, output = _call_with_limit(lambda: get_fn()(**factory()), CALL_LIMIT_S)
    if status != "ok" or (_checker(target.qualname) and value is not True):
        detail = f"{status}: {value!r:.150}" + (f" / {output.strip()[:100]}" if output.strip() else "")
        return [Case(target.qualname, "-", "-", "-", "no-baseline", f"the good call failed ({detail})")]
    cases = []
    for param in params:
        kind = kind_of(target, param)
        bad_values = [v for v in BAD_VALUES.get(kind, []) if not (v is None and _optional(param))]
        if kind == "skip":
            continue
        for bad in bad_values + [_Opaque()]:
            if kind == "any" and not isinstance(bad, _Opaque):
                continue
            kwargs = factory()
            kwargs[param.name] = bad
            start = time.perf_counter()
            status, value, output = _call_with_limit(lambda: get_fn()(**kwargs), CALL_LIMIT_S)
            outcome, detail = _classify(target, param.name, status, value, output)
            cases.append(Case(target.qualname, param.name, kind, _short_repr(bad), outcome, detail,
                              time.perf_counter() - start))
    return cases


# ------------------------------------------------------------------------------ the suite
def _start_server(root: Path):
    """Serve one tiny, valid MovieLens archive on 127.0.0.1 for download_movielens's good call."""
    import functools
    import hashlib
    import http.server
    import zipfile

    root.mkdir()
    with zipfile.ZipFile(root / "tiny.zip", "w") as archive:
        for f in sorted(FIXTURE_DIR.iterdir()):
            archive.write(f, f"ml-latest-small/{f.name}")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    SERVER.update(url=f"http://127.0.0.1:{server.server_address[1]}/tiny.zip",
                  sha256=hashlib.sha256((root / "tiny.zip").read_bytes()).hexdigest())
    return server



@pytest.fixture(scope="module")
def results(tmp_path_factory):
    """Run every case once (module scope), with the network closed and global state restored."""
    import matplotlib
    import matplotlib.pyplot as plt

    work = tmp_path_factory.mktemp("bad_inputs")
    real_connect = socket.socket.connect

    def local_only(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ConnectionRefusedError(f"the bad-input suite allows no network ({host})")
        return real_connect(self, address)

    old_cwd, threads = os.getcwd(), torch.get_num_threads()
    env = {k: os.environ.get(k) for k in ("PYTHONHASHSEED", "COURSE_THREADS", "MOVIELENS_DIR")}
    socket.socket.connect = local_only
    os.chdir(work)
    from course_utils import movielens

    real_data_dir = movielens.DATA_DIR
    movielens.DATA_DIR = work / "default-data-dir"      # a call that falls back to data/ must not touch the repository
    server = _start_server(work / "served")
    all_cases, targets = [], discover()
    only = [m.strip() for m in os.environ.get("BAD_INPUTS_ONLY", "").split(",") if m.strip()]
    if only:   # for development: BAD_INPUTS_ONLY=ratings,movielens runs only those modules
        targets = [t for t in targets if any(t.module.removeprefix("course_utils.").startswith(m) for m in only)]
    try:
        with matplotlib.rc_context():
            for target in targets:
                all_cases.extend(run_target(target))
                plt.close("all")
    finally:
        server.shutdown()
        server.server_close()
        socket.socket.connect = real_connect
        movielens.DATA_DIR = real_data_dir
        os.chdir(old_cwd)
        torch.set_num_threads(threads)
        for k, v in env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return targets, all_cases


OUTCOMES = ("clear", "obscure", "silent", "hang", "no-baseline")


def _tally_text(targets, cases) -> tuple[str, dict]:
    module_of = {t.qualname: t.module for t in targets}
    by_module = defaultdict(Tally)
    for qualname in {c.target for c in cases}:
        by_module[module_of[qualname]].callables += 1
    for c in cases:
        by_module[module_of[c.target]].counts[c.outcome] += 1
    groups = {"owned": Tally(), "pending": Tally()}
    lines = [f"{'module':<36s} {'owner':<10s} {'calls':>5s} {'cases':>6s} {'clear':>6s} {'obscure':>7s} {'silent':>6s} "
             f"{'hang':>4s} {'no base':>7s} {'clear %':>7s}"]

    def row(label, owner, t):
        pct = 100.0 * t.counts["clear"] / t.cases if t.cases else 100.0
        return (f"{label:<36s} {owner:<10s} {t.callables:>5d} {t.cases:>6d} {t.counts['clear']:>6d} {t.counts['obscure']:>7d} "
                f"{t.counts['silent']:>6d} {t.counts['hang']:>4d} {t.counts['no-baseline']:>7d} {pct:>6.1f}%")

    for pending in (False, True):
        for module in sorted(m for m in by_module if bool(pending_owner(m)) == pending):
            t = by_module[module]
            owner = pending_owner(module)
            groups["pending" if owner else "owned"].callables += t.callables
            groups["pending" if owner else "owned"].counts.update(t.counts)
            lines.append(row(module.removeprefix("course_utils."), f"PENDING {owner.split()[0]}" if owner else "checked", t))
        lines.append(row("TOTAL PENDING (reported only)" if pending else "TOTAL checked (must be 100 %)", "",
                         groups["pending" if pending else "owned"]))
    return "\n".join(lines), groups


def _is_pending(qualname: str, targets) -> bool:
    return any(t.qualname == qualname and pending_owner(t.module) for t in targets)


def test_every_public_callable_meets_bad_input_with_a_clear_error(results, record_property):
    targets, cases = results
    text, groups = _tally_text(targets, cases)
    failures = [c for c in cases if c.outcome != "clear" and not _is_pending(c.target, targets)]
    pending_failures = [c for c in cases if c.outcome != "clear" and _is_pending(c.target, targets)]
    not_probed = sorted(t.short for t in targets if GOOD.get(t.short, "missing") is None)
    only = os.environ.get("BAD_INPUTS_ONLY")
    text += (f"\nnot probed here (see GOOD): {', '.join(not_probed)}" if not_probed else "")
    text += f"\nBAD_INPUTS_ONLY={only}: other modules were skipped" if only else ""
    report = [text, "", f"not clear in checked modules ({len(failures)}):"]
    report += [f"  {c.outcome:<8s} {c.target.removeprefix('course_utils.')}({c.param}={c.value}) [{c.kind}] {c.detail}" for c in failures]
    seconds = defaultdict(float)
    for c in cases:
        seconds[c.target] += c.seconds
    report += ["", "slowest callables (seconds over all their cases):"]
    report += [f"  {s:7.2f}  {name}" for name, s in sorted(seconds.items(), key=lambda kv: -kv[1])[:15]]
    report += ["", f"not clear in PENDING modules ({len(pending_failures)}):"]
    report += [f"  {c.outcome:<8s} {c.target.removeprefix('course_utils.')}({c.param}={c.value}) [{c.kind}] {c.detail}"
               for c in pending_failures]
    REPORT_PATH.parent.mkdir(parents=True, exist_ok=True)
    REPORT_PATH.write_text("\n".join(report) + "\n", encoding="utf-8")
    record_property("bad_input_tally", text + f"\n(full list: {REPORT_PATH.relative_to(ROOT)})")
    print(text)
    owned = groups["owned"]
    assert owned.cases > 0
    assert not failures, (f"{len(failures)} of {owned.cases} bad-input cases in checked modules are not clear errors "
                          f"(full list in {REPORT_PATH}):\n" + "\n".join(report[: 60 + text.count(chr(10))]))


def test_discovery_finds_every_module_and_new_ones():
    targets = discover()
    modules = {t.module for t in targets}
    assert {"course_utils.ratings", "course_utils.movielens", "course_utils.checks", "course_utils.widgets.euler",
            "course_utils.exercises.backprop"} <= modules
    assert all(not t.qualname.rsplit(".", 1)[-1].startswith("_") for t in targets)


def test_the_suite_itself_sees_a_silent_result_and_a_hang():
    """The classifier must be able to fail: a function that ignores its argument is silent,
    one that loops forever is a hang, one that raises a vague error is obscure."""
    def ignores(n_users: int = 1):
        return n_users

    def loops(n_users: int = 1):
        while True:
            pass

    def vague(n_users: int = 1):
        raise ValueError("something went wrong")

    def good(n_users: int = 1):
        raise ValueError(f"n_users must be a whole number (got {n_users!r})")

    for fn, expected in ((ignores, "silent"), (loops, "hang"), (vague, "obscure"), (good, "clear")):
        target = Target(f"tests.{fn.__name__}", "tests", fn)
        status, value, out = _call_with_limit(lambda: fn(n_users=2.5), 0.5)
        assert _classify(target, "n_users", status, value, out)[0] == expected, fn.__name__


def test_the_checker_contract_is_classified_as_documented():
    """An exercise checker is clear only when it returns False with printed feedback; raising is
    obscure (a learner's cell would crash), and accepting a bad answer is silent."""
    def accepts(answer=None):
        return True

    def crashes(answer=None):
        raise ValueError("answer must be a number")

    def mute(answer=None):
        return False

    def explains(answer=None):
        print("Not yet: give a number; got 'abc'")
        return False

    for fn, expected in ((accepts, "silent"), (crashes, "obscure"), (mute, "obscure"), (explains, "clear")):
        target = Target(f"course_utils.exercises.demo.check_{fn.__name__}", "course_utils.exercises.demo", fn)
        status, value, out = _call_with_limit(lambda: fn(answer="abc"), 0.5)
        assert _classify(target, "answer", status, value, out)[0] == expected, fn.__name__
