r"""ALS across machines: what must move between blocks in one half-sweep, and what it costs.

With the item factors fixed, every user's solve needs only that user's ratings and the
factors of the items they rated, so users can be split into ``n_blocks`` blocks that solve
in parallel. Before the half-sweep each user block must *receive* the item factors it needs.
Three ways to ship them, counted in numbers (``k`` per factor vector) for the half-sweep that
updates the ``solve`` side (users) while the ``fixed`` side (items) holds still::

    broadcast    every block gets every item's factors           n_blocks * n_fixed * k
    per rating   join ratings with factors: one copy per rating       nnz * k
    blocked      each item's factors once to each block that         sum_p |items rated in block p| * k
                 has at least one of its raters (Spark's out-links)

Spark's ALS uses the blocked scheme: rows go to block ``id % n_blocks`` (its hash
partitioner on integer ids); an *out-link table* at every item block lists, per user block,
which of its items that block needs; an *in-link table* at every user block holds its
users' ratings in compressed sparse form, pointing at the received factors. The ratings
move once, before the first sweep; only factors move after that.

``in_link_table`` builds a block's in-link table as Spark stores it (its rows' ratings in
compressed sparse form, each rating pointing at a received factor by (sending block, position)).

``expected_blocked_pairs`` / ``traffic_from_degrees``: the blocked count without the ratings,
from the rating counts alone. If the ``d_j`` raters of item j fall into ``P`` blocks at random,
the expected number of distinct blocks among them is

    E[blocks reached by item j] = P (1 - (1 - 1/P)^{d_j})        (<= min(P, d_j))

(slightly more when the raters are distinct members of a small population: see
``expected_blocked_pairs``), so the blocked traffic of a half-sweep is about ``K sum_j P (1 - (1 - 1/P)^{d_j})``; that
predicts the traffic of data too large to hold (notebook 08 checks it against exact counts).

``cluster_sweep_seconds`` turns the compute per sweep (which grows like nnz K^2 + (M + N) K^3)
and this traffic into a time per sweep on W machines with a network.
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
    users, items = _ids("users", users), _ids("items", items)
    check_same_length(users=users, items=items)
    to_users = half_sweep_traffic(users, items, n_blocks, k)
    to_items = half_sweep_traffic(items, users, n_blocks, k)
    total = {key: to_users[key] + to_items[key] for key in ("broadcast", "per_rating", "blocked")}
    return {**total, "ratings_bytes": to_users["ratings_bytes"], "n_blocks": n_blocks, "k": k, "nnz": to_users["nnz"]}


def in_link_table(solve_ids, fixed_ids, n_blocks: int, n_fixed_blocks: int) -> dict:
    """Spark's in-link table of every ``solve``-side block, for the half-sweep that updates it.

    ``solve_ids[r]``, ``fixed_ids[r]``: the two ids of rating ``r``; solve ids go to block
    ``id % n_blocks``, fixed ids to block ``id % n_fixed_blocks``. Fixed block ``q`` sends block
    ``p`` the factors of the fixed ids in ``q`` that ``p`` needs, in increasing id order (its
    out-link list for ``p``); a rating points at its factor by ``(q, position in that list)``.
    Returns ``{p: {"ids": sorted solve ids (n_p,), "ptrs": (n_p + 1,) so that rows
    ptrs[a]:ptrs[a+1] belong to ids[a], "from_block": (nnz_p,) q, "position": (nnz_p,),
    "rating_rows": (nnz_p,) row numbers r of the ratings}}``: compressed sparse rows, as
    Spark's ``InBlock`` (srcIds, dstPtrs, dstEncodedIndices, ratings).
    """
    solve_ids, fixed_ids = _ids("solve_ids", solve_ids), _ids("fixed_ids", fixed_ids)
    check_same_length(solve_ids=solve_ids, fixed_ids=fixed_ids)
    n_blocks, n_fixed_blocks = check_count("n_blocks", n_blocks), check_count("n_fixed_blocks", n_fixed_blocks)
    blocks, fixed_blocks = solve_ids % n_blocks, fixed_ids % n_fixed_blocks
    tables = {}
    for p in np.unique(blocks).tolist():
        rows = np.nonzero(blocks == p)[0]
        rows = rows[np.lexsort((fixed_ids[rows], solve_ids[rows]))]             # by solve id, then fixed id
        ids, starts = np.unique(solve_ids[rows], return_index=True)
        position = np.empty(len(rows), dtype=np.int64)
        for q in np.unique(fixed_blocks[rows]).tolist():
            from_q = fixed_blocks[rows] == q
            sent = np.unique(fixed_ids[rows][from_q])                            # q's out-link list for p
            position[from_q] = np.searchsorted(sent, fixed_ids[rows][from_q])
        tables[int(p)] = {"ids": ids, "ptrs": np.r_[starts, len(rows)], "from_block": fixed_blocks[rows],
                          "position": position, "rating_rows": rows}
    return tables


def expected_blocked_pairs(degrees, n_blocks: int, population: float | None = None) -> float:
    """Expected number of (row, block) pairs when the ``degrees[j]`` raters of each fixed-side
    row j are distinct members of a ``population`` split evenly into ``n_blocks`` blocks, drawn
    at random: a block of ``m = population / P`` misses all d raters with probability
    ``C(population - m, d) / C(population, d)``, so row j reaches on average

        P (1 - C(population - m, d_j) / C(population, d_j))   blocks   (-> P (1 - (1 - 1/P)^{d_j})
                                                                         for a large population)

    ``degrees``: shape ``(n_rows,)``, counts >= 0 (rows with 0 ratings add nothing);
    ``population``: how many rows the other side has (None: infinitely many, the simple formula)."""
    from scipy.special import gammaln

    degrees = check_array("degrees", degrees, ndim=1)
    if degrees.min() < 0:
        raise ValueError(f"degrees must be rating counts >= 0 (got {degrees.min():g})")
    P = check_count("n_blocks", n_blocks)
    if P == 1:
        return float(np.count_nonzero(degrees))
    degrees, how_many = np.unique(degrees, return_counts=True)      # rows with equal counts reach as many blocks
    if population is None:
        return float(how_many @ (P * -np.expm1(degrees * np.log1p(-1.0 / P))))
    total = check_positive("population", population, hint="the number of rows on the other side, e.g. n_users")
    if degrees.max() > total:
        raise ValueError(f"degrees must not exceed population = {total:g} (got {degrees.max():g}): a row cannot have "
                         "more distinct raters than there are")
    rest = total - total / P                                         # members outside one block
    fits = degrees <= rest                                           # else no block can be missed
    d = degrees[fits]
    log_miss = gammaln(rest + 1) - gammaln(rest - d + 1) - gammaln(total + 1) + gammaln(total - d + 1)
    return float(how_many[fits] @ (P * -np.expm1(log_miss)) + P * how_many[~fits].sum())


def traffic_from_degrees(user_degrees, item_degrees, n_blocks: int, k: int) -> dict:
    """One sweep's factor traffic (both half-sweeps, in numbers) from the rating counts alone:
    ``broadcast`` = P (M + N) K (rows with a rating), ``per_rating`` = 2 nnz K, ``blocked`` = K times
    the expected (row, block) pairs of both sides (``expected_blocked_pairs``, each side's raters
    drawn from the other side's M or N rows). ``user_degrees``
    (M,), ``item_degrees`` (N,): ratings per user and per item (their sums must agree)."""
    user_degrees = check_array("user_degrees", user_degrees, ndim=1)
    item_degrees = check_array("item_degrees", item_degrees, ndim=1)
    if min(user_degrees.min(), item_degrees.min()) < 0:
        raise ValueError("user_degrees and item_degrees must be rating counts >= 0")
    nnz = float(user_degrees.sum())
    if not np.isclose(nnz, item_degrees.sum(), rtol=1e-6):
        raise ValueError(f"user_degrees add up to {nnz:,.0f} ratings but item_degrees to {item_degrees.sum():,.0f}: "
                         "both must count the same ratings")
    P, k = check_count("n_blocks", n_blocks), check_count("k", k)
    n_users, n_items = np.count_nonzero(user_degrees), np.count_nonzero(item_degrees)
    rows = n_users + n_items
    blocked = expected_blocked_pairs(item_degrees, P, population=n_users) + expected_blocked_pairs(user_degrees, P, population=n_items)
    return {"broadcast": P * int(rows) * k, "per_rating": 2 * nnz * k, "blocked": blocked * k, "n_blocks": P, "k": k, "nnz": nnz}


def cluster_sweep_seconds(compute_seconds, traffic_bytes, n_machines, bandwidth_bytes_per_second, overhead_seconds=0.0):
    r"""A cost model with a network term: one sweep on ``n_machines`` machines takes

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
