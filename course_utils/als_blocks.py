r"""ALS across machines: what must move between blocks in one half-sweep, and what it costs.

With the item factors fixed, every user's solve needs only that user's ratings and the
factors of the items they rated, so users can be split into ``n_blocks`` blocks that solve
in parallel. Before the half-sweep each user block must *receive* the item factors it needs.
Three ways to ship them, counted in numbers (``k`` per factor vector) for the half-sweep that
updates the ``solve`` side (users) while the ``fixed`` side (items) holds still:

    broadcast    every block gets every item's factors           n_blocks * n_fixed * k
    per rating   join ratings with factors: one copy per rating       nnz * k
    blocked      each item's factors once to each block that         sum_p |items rated in block p| * k
                 has at least one of its raters (Spark's out-links)

Spark's ALS uses the blocked scheme: rows go to block ``id % n_blocks`` (its hash
partitioner on integer ids); an *out-link table* at every item block lists, per user block,
which of its items that block needs; an *in-link table* at every user block holds its
users' ratings in compressed sparse form, pointing at the received factors. The ratings
move once, before the first sweep; only factors move after that.

``cluster_sweep_seconds`` extends notebook 05's cost model (compute per sweep
~ nnz K^2 + (M + N) K^3) with this traffic over a network.
"""

from __future__ import annotations

import numpy as np

from .validation import check_array, check_count, check_ids, check_nonnegative, check_positive, check_same_length

BYTES_PER_RATING = 12   # Spark stores a rating as (int32 user, int32 item, float32 rating)
BYTES_PER_NUMBER = 4    # Spark's factors are float32


def _ids(name: str, value, what: str = "row") -> np.ndarray:
    """0-based whole-number ids, shape ``(n,)``, at least one (no upper bound: any id has a block)."""
    ids = check_ids(name, value, None, what=what, hint="0-based ids; use Ratings.from_ids to map raw ids")
    if ids.size == 0:
        raise ValueError(f"{name} must hold at least one id (got an empty list)")
    return ids


def block_of(ids, n_blocks: int) -> np.ndarray:
    """The block each id goes to: ``id % n_blocks``, as Spark's hash partitioner places
    integer ids. ``ids``: 0-based, shape ``(n,)``; returns shape ``(n,)``."""
    n_blocks = check_count("n_blocks", n_blocks)
    return _ids("ids", ids) % n_blocks


def out_link_table(solve_ids, fixed_ids, n_blocks: int) -> dict:
    """For the half-sweep that updates the ``solve`` side: ``{block p: sorted array of the
    fixed-side ids whose factors block p needs}``, one entry per block that has ratings.
    ``solve_ids[r]``, ``fixed_ids[r]``: the two ids of rating ``r`` (e.g. users, items)."""
    solve_ids, fixed_ids = _ids("solve_ids", solve_ids), _ids("fixed_ids", fixed_ids)
    check_same_length(solve_ids=solve_ids, fixed_ids=fixed_ids)
    blocks = block_of(solve_ids, n_blocks)
    return {int(p): np.unique(fixed_ids[blocks == p]) for p in np.unique(blocks)}


def half_sweep_traffic(solve_ids, fixed_ids, n_blocks: int, k: int, n_fixed: int | None = None) -> dict:
    """Numbers (float32 each) that must reach the ``solve`` side's blocks in one half-sweep,
    for the three schemes in the module docstring, and the size of the ratings themselves.

    ``solve_ids``, ``fixed_ids``: shape ``(nnz,)``, one entry per rating. ``n_fixed``: rows of
    the fixed side that have factors (default: the distinct ``fixed_ids``). Returns a dict
    with ``broadcast``, ``per_rating``, ``blocked`` (numbers moved), ``ratings_bytes``
    (``12 * nnz``) and ``n_blocks``, ``k``, ``nnz``.
    """
    solve_ids, fixed_ids = _ids("solve_ids", solve_ids), _ids("fixed_ids", fixed_ids)
    nnz = check_same_length(solve_ids=solve_ids, fixed_ids=fixed_ids)
    n_blocks, k = check_count("n_blocks", n_blocks), check_count("k", k)
    distinct_fixed = np.unique(fixed_ids).size
    n_fixed = distinct_fixed if n_fixed is None else check_count("n_fixed", n_fixed, minimum=distinct_fixed)
    # one (item, block) pair per item factor that block needs: count the distinct pairs
    pairs = np.unique(fixed_ids * n_blocks + solve_ids % n_blocks).size
    return {"broadcast": n_blocks * n_fixed * k, "per_rating": nnz * k, "blocked": pairs * k,
            "ratings_bytes": BYTES_PER_RATING * nnz, "n_blocks": n_blocks, "k": k, "nnz": nnz}


def sweep_traffic(users, items, n_blocks: int, k: int) -> dict:
    """Both half-sweeps of one ALS sweep (item factors to user blocks, then user factors to
    item blocks), each scheme summed, in numbers; plus ``ratings_bytes``. Same keys as
    ``half_sweep_traffic``."""
    users, items = _ids("users", users, "user"), _ids("items", items, "item")
    check_same_length(users=users, items=items)
    to_users = half_sweep_traffic(users, items, n_blocks, k)
    to_items = half_sweep_traffic(items, users, n_blocks, k)
    total = {key: to_users[key] + to_items[key] for key in ("broadcast", "per_rating", "blocked")}
    return {**total, "ratings_bytes": to_users["ratings_bytes"], "n_blocks": n_blocks, "k": k, "nnz": to_users["nnz"]}


def cluster_sweep_seconds(compute_seconds, traffic_bytes, n_machines, bandwidth_bytes_per_second, overhead_seconds=0.0):
    r"""Notebook 05's cost model with a network term: one sweep on ``n_machines`` machines takes

        compute_seconds / n_machines  +  traffic_bytes / (n_machines * bandwidth)  +  overhead_seconds

    ``compute_seconds``: one machine's time for the sweep's arithmetic (measured; it grows like
    nnz K^2 + (M + N) K^3); ``traffic_bytes``: what crosses the network in the sweep (each
    machine receives its share over its own link, hence the division by ``n_machines``);
    ``overhead_seconds``: fixed cost per sweep (scheduling the jobs). Arrays broadcast.
    """
    compute = check_array("compute_seconds", compute_seconds, ndim=(0, 1))
    traffic = check_array("traffic_bytes", traffic_bytes, ndim=(0, 1))
    machines = check_array("n_machines", n_machines, ndim=(0, 1))
    for name, values in (("compute_seconds", compute), ("traffic_bytes", traffic)):
        if values.min() < 0:
            raise ValueError(f"{name} must be >= 0 (got {values.min():g}); a time or a size cannot be negative")
    if machines.min() < 1 or np.any(machines != np.round(machines)):
        raise ValueError(f"n_machines must be whole numbers >= 1 (got {machines.tolist()}); e.g. np.array([1, 2, 4, 8])")
    try:
        np.broadcast_shapes(compute.shape, traffic.shape, machines.shape)
    except ValueError:
        raise ValueError(f"compute_seconds, traffic_bytes and n_machines must be numbers or arrays of one length "
                         f"(got shapes {compute.shape}, {traffic.shape}, {machines.shape})") from None
    bandwidth = check_positive("bandwidth_bytes_per_second", bandwidth_bytes_per_second)
    overhead = check_nonnegative("overhead_seconds", overhead_seconds)
    return compute / machines + traffic / (machines * bandwidth) + overhead
