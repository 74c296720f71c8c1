"""Why do two shapes broadcast, or not? An explainer for NumPy's and PyTorch's rule.

The rule (identical in NumPy and PyTorch): line the shapes up from the right; missing
leading dimensions count as 1; each pair of sizes must be equal, or one of them 1, which
is stretched to match. The result takes the larger size in every position.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field


@dataclass
class BroadcastReport:
    shape_a: tuple
    shape_b: tuple
    result: tuple | None
    steps: list[str] = field(default_factory=list)
    warning: str | None = None

    def __post_init__(self):
        self.shape_a, self.shape_b = _as_shape(self.shape_a, "shape_a"), _as_shape(self.shape_b, "shape_b")
        if self.result is not None:
            self.result = _as_shape(self.result, "result")
        if isinstance(self.steps, (str, bytes)) or not isinstance(self.steps, (list, tuple)) \
                or not all(isinstance(s, str) for s in self.steps):
            raise TypeError(f"steps must be a list of strings (got {type(self.steps).__name__})")
        self.steps = list(self.steps)
        if self.warning is not None and not isinstance(self.warning, str):
            raise TypeError(f"warning must be None or a string (got {type(self.warning).__name__})")

    @property
    def compatible(self) -> bool:
        return self.result is not None

    def __str__(self) -> str:
        head = f"{self.shape_a} with {self.shape_b} -> " + (f"{self.result}" if self.compatible else "error: cannot broadcast")
        lines = [head] + [f"  {s}" for s in self.steps]
        if self.warning:
            lines.append(f"  WARNING: {self.warning}")
        return "\n".join(lines)


def _as_shape(shape, name: str) -> tuple:
    """A shape as a tuple of ints: from a tuple/list/torch.Size, an int, or an array/tensor (its shape)."""
    if hasattr(shape, "shape") and not isinstance(shape, tuple):
        shape = tuple(shape.shape)
    if isinstance(shape, numbers.Integral) and not isinstance(shape, bool):
        shape = (shape,)
    if isinstance(shape, (str, bytes, dict, set)) or not isinstance(shape, (tuple, list)) and not hasattr(shape, "__iter__"):
        raise ValueError(f"{name} must be a shape like (3, 1) or an array; got {shape!r:.60}")
    shape = tuple(shape)
    if not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 0 for s in shape):
        raise ValueError(f"{name} must hold non-negative whole numbers, like (3, 1); got {shape!r:.60}")
    return tuple(int(s) for s in shape)


def explain_broadcast(shape_a, shape_b) -> BroadcastReport:
    """Explain, dimension by dimension from the right, how ``shape_a`` and ``shape_b``
    broadcast (either may be a tuple or an array/tensor). Never raises for incompatible
    shapes: the report says which dimension clashes. Warns when both inputs get stretched,
    the silent ``(n, 1)`` with ``(n,)`` -> ``(n, n)`` bug among them.
    """
    a, b = _as_shape(shape_a, "shape_a"), _as_shape(shape_b, "shape_b")
    ndim = max(len(a), len(b))
    pa, pb = (1,) * (ndim - len(a)) + a, (1,) * (ndim - len(b)) + b
    steps, result = [], []
    if len(a) != len(b):
        shorter = "shape_a" if len(a) < len(b) else "shape_b"
        steps.append(f"{shorter} has fewer dimensions: pad it with 1s on the left -> {pa if shorter == 'shape_a' else pb}")
    for position in range(ndim - 1, -1, -1):
        da, db = pa[position], pb[position]
        label = f"dim {position - ndim} (from the right)"
        if da == db:
            steps.append(f"{label}: {da} and {db} are equal -> {da}")
            result.append(da)
        elif da == 1 or db == 1:
            big = db if da == 1 else da
            steps.append(f"{label}: {da} and {db}: the 1 is stretched -> {big}")
            result.append(big)
        else:
            steps.append(f"{label}: {da} and {db} differ and neither is 1 -> incompatible")
            return BroadcastReport(a, b, None, steps)
    out = tuple(reversed(result))
    stretched_a = any(x == 1 and y > 1 for x, y in zip(pa, out))
    stretched_b = any(x == 1 and y > 1 for x, y in zip(pb, out))
    warning = None
    if stretched_a and stretched_b:
        warning = (f"both inputs were stretched, so the result {out} is bigger than either input (an outer "
                   "operation). Right for an outer sum or product; a bug if you meant elementwise, e.g. a "
                   "(n, 1) column minus an (n,) vector: use .ravel() / .squeeze(1) or reshape one of them")
    return BroadcastReport(a, b, out, steps, warning)
