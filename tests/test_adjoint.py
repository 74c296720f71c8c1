import pytest
import torch
import torchdiffeq

from course_utils import relative_error
from course_utils.adjoint import odeint_adjoint
from course_utils.memory import saved_tensor_bytes
from course_utils.ode import odeint_fixed
from course_utils.odenets import MLPDynamics

F64 = torch.float64


def _flat(grads):
    return torch.cat([g.reshape(-1) for g in grads])


def _grads(solve, model, h0, t, target):
    states = solve(model, h0, t)
    loss = ((states - target) ** 2).sum()
    return _flat(torch.autograd.grad(loss, [h0, *model.parameters()]))


@pytest.mark.parametrize("seed", range(4))
def test_adjoint_matches_backprop_through_the_solver_on_random_problems(seed):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    dim = int(torch.randint(1, 4, (1,), generator=g))
    model = MLPDynamics(dim=dim, hidden=8).to(F64)
    h0 = torch.randn(3, dim, dtype=F64, generator=g, requires_grad=True)
    t = torch.tensor([0.0, 0.3, 0.7, 1.0], dtype=F64)
    target = torch.randn(4, 3, dim, dtype=F64, generator=g)
    direct = _grads(lambda m, h, t: odeint_fixed(m, h, t, substeps=8), model, h0, t, target)
    adjoint = _grads(lambda m, h, t: odeint_adjoint(m, h, t, substeps=8), model, h0, t, target)
    assert relative_error(adjoint, direct) < 1e-7


def test_gap_to_backprop_shrinks_at_fourth_order():
    torch.manual_seed(0)
    model = MLPDynamics(dim=2, hidden=16).to(F64)
    with torch.no_grad():
        for p in model.parameters():
            p.mul_(3)  # faster dynamics so the gap is well above round-off
    h0 = torch.randn(4, 2, dtype=F64, requires_grad=True)
    t, target = torch.tensor([0.0, 1.0], dtype=F64), torch.zeros(2, 4, 2, dtype=F64)
    gaps = []
    for n in (4, 8):
        d = _grads(lambda m, h, t: odeint_fixed(m, h, t, substeps=n), model, h0, t, target)
        a = _grads(lambda m, h, t: odeint_adjoint(m, h, t, substeps=n), model, h0, t, target)
        gaps.append(relative_error(a, d))
    assert 8 < gaps[0] / gaps[1] < 32


def test_adjoint_agrees_with_torchdiffeq_adjoint():
    torch.manual_seed(1)
    model = MLPDynamics(dim=2, hidden=8).to(F64)
    h0 = torch.randn(2, 2, dtype=F64, requires_grad=True)
    t, target = torch.tensor([0.0, 0.5, 1.0], dtype=F64), torch.zeros(3, 2, 2, dtype=F64)
    ours = _grads(lambda m, h, t: odeint_adjoint(m, h, t, substeps=8), model, h0, t, target)
    theirs = _grads(lambda m, h, t: torchdiffeq.odeint_adjoint(m, h, t, method="rk4", options={"step_size": 0.5 / 8}), model, h0, t, target)
    assert relative_error(ours, theirs) < 1e-6


def test_adjoint_memory_is_flat_and_direct_memory_is_linear():
    model = MLPDynamics(dim=2, hidden=8)
    h0 = torch.randn(4, 2)
    sizes = {}
    for n in (5, 10, 20):
        for name, solve in (("direct", odeint_fixed), ("adjoint", odeint_adjoint)):
            with saved_tensor_bytes() as c:
                solve(model, h0, [0.0, 1.0], substeps=n)
            sizes[name, n] = c["bytes"]
    assert sizes["adjoint", 5] == sizes["adjoint", 20] > 0
    assert sizes["direct", 20] / sizes["direct", 10] == pytest.approx(2, rel=0.02)
    assert sizes["direct", 10] / sizes["direct", 5] == pytest.approx(2, rel=0.02)


def test_adjoint_needs_a_module_and_valid_grid():
    with pytest.raises(ValueError, match="nn.Module"):
        odeint_adjoint(lambda t, h: h, torch.ones(1, 2), [0.0, 1.0])
    with pytest.raises(ValueError, match="strictly increasing"):
        odeint_adjoint(MLPDynamics(2, 4), torch.ones(1, 2), [1.0, 0.0])
