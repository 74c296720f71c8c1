"""Communication volume of blocked ALS (notebook 08): the vectorized counts against loops."""

import numpy as np
import pytest

from course_utils.als_blocks import (BYTES_PER_RATING, block_of, cluster_sweep_seconds, expected_blocked_pairs, half_sweep_traffic,
                                     in_link_table, out_link_table, sweep_traffic, traffic_from_degrees)
from course_utils.ratings import synthetic_ratings


def traffic_by_loops(users, items, n_blocks, k):
    """The definitions, one rating at a time."""
    needs = {}
    for u, i in zip(users.tolist(), items.tolist()):
        needs.setdefault(u % n_blocks, set()).add(i)
    n_items = len(set(items.tolist()))
    return {"blocked": k * sum(len(s) for s in needs.values()), "per_rating": k * len(users), "broadcast": k * n_blocks * n_items}


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_blocks", [1, 2, 3, 7])
def test_counts_match_the_definitions_on_random_data(seed, n_blocks):
    rng = np.random.default_rng(seed)
    pairs = np.unique(rng.integers(0, [23, 17], size=(120, 2)), axis=0)
    users, items = pairs[:, 0], pairs[:, 1]
    got = half_sweep_traffic(users, items, n_blocks, k=4)
    expected = traffic_by_loops(users, items, n_blocks, 4)
    assert {key: got[key] for key in expected} == expected
    assert got["ratings_bytes"] == BYTES_PER_RATING * len(users)


def test_one_block_needs_each_item_once_and_one_user_per_block_needs_one_copy_per_rating():
    data = synthetic_ratings(60, 80, 1500, min_per_user=10, seed=1).data
    one = half_sweep_traffic(data.users, data.items, 1, k=5)
    assert one["blocked"] == 5 * np.unique(data.items).size == one["broadcast"]
    each = half_sweep_traffic(data.users, data.items, data.n_users, k=5)
    assert each["blocked"] == each["per_rating"] == 5 * len(data)


def test_blocking_never_moves_more_than_either_simple_scheme_and_grows_with_blocks():
    data = synthetic_ratings(300, 200, 9000, min_per_user=10, seed=2).data
    previous = 0
    for n_blocks in (1, 2, 4, 16, 64):
        t = half_sweep_traffic(data.users, data.items, n_blocks, k=10)
        assert t["blocked"] <= min(t["broadcast"], t["per_rating"])
        assert t["blocked"] >= previous
        previous = t["blocked"]


def test_out_link_table_lists_the_items_each_block_needs():
    # users 0..3, two blocks: even users in block 0, odd users in block 1
    users = np.array([0, 0, 1, 2, 2, 3])
    items = np.array([5, 1, 1, 1, 4, 0])
    table = out_link_table(users, items, 2)
    assert set(table) == {0, 1}
    assert table[0].tolist() == [1, 4, 5] and table[1].tolist() == [0, 1]
    assert half_sweep_traffic(users, items, 2, k=1)["blocked"] == sum(len(v) for v in table.values())


def test_sweep_traffic_adds_both_half_sweeps():
    data = synthetic_ratings(50, 60, 1000, min_per_user=10, seed=3).data
    both = sweep_traffic(data.users, data.items, 4, 3)
    a = half_sweep_traffic(data.users, data.items, 4, 3)
    b = half_sweep_traffic(data.items, data.users, 4, 3)
    assert both["blocked"] == a["blocked"] + b["blocked"] and both["per_rating"] == 2 * a["per_rating"]


def test_block_of_is_id_modulo_blocks():
    assert block_of([0, 1, 5, 9], 4).tolist() == [0, 1, 1, 1]


def test_cluster_cost_model_terms():
    # 8 s of compute on 4 machines, 4e9 bytes over 4 links of 1e9 B/s, 0.5 s overhead: 2 + 1 + 0.5
    assert cluster_sweep_seconds(8.0, 4e9, 4, 1e9, 0.5) == pytest.approx(3.5)
    many = cluster_sweep_seconds(8.0, 4e9, np.array([1, 2, 8]), 1e9)
    assert many.shape == (3,) and np.all(np.diff(many) < 0)


def test_in_link_table_points_every_rating_at_the_factor_it_receives():
    """Follow each (sending block, position) pointer into the list that block sends: it must be the
    rating's own item; the rows of each user are contiguous (compressed sparse rows)."""
    data = synthetic_ratings(40, 50, 800, min_per_user=10, seed=4).data
    for n_blocks, n_fixed_blocks in ((2, 2), (3, 4), (1, 1)):
        tables = in_link_table(data.users, data.items, n_blocks, n_fixed_blocks)
        needs = out_link_table(data.users, data.items, n_blocks)
        assert sum(len(t["rating_rows"]) for t in tables.values()) == len(data)
        for p, t in tables.items():
            sent = {q: needs[p][needs[p] % n_fixed_blocks == q] for q in range(n_fixed_blocks)}
            received = np.array([sent[q][pos] for q, pos in zip(t["from_block"].tolist(), t["position"].tolist())])
            assert (received == data.items[t["rating_rows"]]).all()
            for a, user in enumerate(t["ids"].tolist()):
                assert (data.users[t["rating_rows"][t["ptrs"][a]:t["ptrs"][a + 1]]] == user).all()
            assert (t["ids"] % n_blocks == p).all() and np.all(np.diff(t["ids"]) > 0)


def test_expected_blocked_pairs_by_hand_and_against_random_placement():
    # one row with 2 raters in 2 blocks: 2 (1 - 1/4) = 1.5 blocks expected; a row without raters adds 0
    assert expected_blocked_pairs([2, 0], 2) == pytest.approx(1.5)
    assert expected_blocked_pairs([5, 1, 0], 1) == 2
    rng = np.random.default_rng(0)
    degrees = rng.integers(1, 40, size=300)
    placed = [sum(np.unique(rng.integers(0, 8, size=d)).size for d in degrees) for _ in range(200)]
    assert np.mean(placed) == pytest.approx(expected_blocked_pairs(degrees, 8), rel=0.005)
    # distinct raters from a population of 48 in 8 blocks of 6 (drawn without replacement): more blocks
    distinct = [sum(np.unique(rng.permutation(48)[:d] % 8).size for d in degrees) for _ in range(200)]
    assert np.mean(distinct) == pytest.approx(expected_blocked_pairs(degrees, 8, population=48), rel=0.005)
    assert expected_blocked_pairs(degrees, 8, population=48) > expected_blocked_pairs(degrees, 8)
    assert expected_blocked_pairs(degrees, 8, population=1e7) == pytest.approx(expected_blocked_pairs(degrees, 8), rel=1e-5)


def test_traffic_from_degrees_matches_the_counts_it_predicts():
    data = synthetic_ratings(400, 300, 20000, min_per_user=10, seed=5).data
    users, items = np.bincount(data.users), np.bincount(data.items, minlength=data.n_items)
    for P in (2, 8, 32):
        exact, model = sweep_traffic(data.users, data.items, P, 4), traffic_from_degrees(users, items, P, 4)
        assert model["per_rating"] == exact["per_rating"]
        assert model["broadcast"] == P * 4 * (np.count_nonzero(users) + np.count_nonzero(items))
        assert model["blocked"] == pytest.approx(exact["blocked"], rel=0.02)
        assert model["blocked"] <= min(model["broadcast"], model["per_rating"])


@pytest.mark.parametrize("call, message", [
    (lambda: in_link_table([0, 1], [0, 1], 2, 0), "n_fixed_blocks"),
    (lambda: in_link_table([0, 1], [0], 2, 2), "same length"),
    (lambda: expected_blocked_pairs([-1, 2], 2), "degrees"),
    (lambda: expected_blocked_pairs([5, 2], 2, population=4), "population"),
    (lambda: traffic_from_degrees([1, 2], [1, 1], 2, 3), "add up"),
    (lambda: traffic_from_degrees([1, 1], [1, 1], 0, 3), "n_blocks"),
])
def test_bad_input_to_the_new_counts_is_refused(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: half_sweep_traffic([0, 1], [0], 2, 3), "same length"),
    (lambda: half_sweep_traffic([0, -1], [0, 1], 2, 3), ">= 0"),
    (lambda: half_sweep_traffic([0, 1], [0, 1], 0, 3), "n_blocks"),
    (lambda: half_sweep_traffic([0, 1], [0, 1], 2, 2.5), "k must be"),
    (lambda: half_sweep_traffic([0, 1], [0, 1], 2, 3, n_fixed=1), "n_fixed"),
    (lambda: cluster_sweep_seconds(1.0, 1.0, 0, 1e9), "n_machines"),
    (lambda: cluster_sweep_seconds(1.0, 1.0, 2, 0.0), "bandwidth"),
    (lambda: cluster_sweep_seconds(-1.0, 1.0, 2, 1e9), ">= 0"),
])
def test_bad_input_is_refused_with_a_clear_message(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
