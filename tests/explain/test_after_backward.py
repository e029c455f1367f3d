"""explain and draw_graph after loss.backward(): the gradients backward computed, for course-sized
graphs; a second backward still raises; past the memory bound explain says how to get them."""
from __future__ import annotations

import gc
import weakref

import numpy as np
import pytest

import chainrule as cr
from chainrule.autograd import engine, set_explain_limit


def _mlp_loss(batch: int = 300) -> tuple[cr.nn.Module, cr.Tensor]:
    cr.manual_seed(0)
    model = cr.nn.Sequential(cr.nn.Linear(20, 64), cr.nn.ReLU(), cr.nn.Linear(64, 64),
                             cr.nn.Tanh(), cr.nn.Linear(64, 3))
    x, y = cr.randn(batch, 20), cr.randint(0, 3, (batch,))
    return model, cr.nn.CrossEntropyLoss()(model(x), y)


def test_default_bound_is_stated_and_fits_a_course_mlp() -> None:
    assert engine.EXPLAIN_LIMIT == 2**20
    model, loss = _mlp_loss(batch=500)
    loss.backward()
    assert loss.grad_fn.next[0]._kept is not None  # kept: the whole graph is under the bound


def test_explain_after_backward_shows_the_gradients_backward_computed() -> None:
    model, loss = _mlp_loss()
    loss.backward()
    params = dict(model.named_parameters())
    e = cr.explain(loss, params)
    assert len(e.steps) == 6 and set(e.gradients) == set(params)
    for name, p in params.items():
        np.testing.assert_allclose(e.gradients[name], p.grad.numpy(), rtol=1e-5, atol=1e-7)
    assert "∂L/∂0.weight" in str(e)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        loss.backward()


def test_draw_graph_after_backward_shows_parameter_and_op_gradients() -> None:
    pytest.importorskip("graphviz")
    from chainrule.viz import draw_graph
    model, loss = _mlp_loss()
    loss.backward()
    src = draw_graph(loss, params=dict(model.named_parameters()), collapse_modules=False).source
    assert src.count("grad ") >= 6 + 5  # six parameters and the five ops below the loss
    assert "0.weight" in src and "Linear" in src


def test_past_the_bound_explain_names_the_ways_out_and_memory_is_freed() -> None:
    previous = set_explain_limit(1000)
    try:
        model, loss = _mlp_loss()
        ref = weakref.ref(loss.grad_fn.next[0].saved_arrays[0])
        loss.backward()
    finally:
        set_explain_limit(previous)
    gc.collect()
    assert ref() is None  # nothing kept: the arrays were released as before
    with pytest.raises(RuntimeError) as info:
        cr.explain(loss)
    msg = str(info.value)
    assert "1,048,576 saved elements" in msg and "retain_graph=True" in msg
    assert "before loss.backward()" in msg and "smaller batch" in msg
    pytest.importorskip("graphviz")
    from chainrule.viz import draw_graph
    src = draw_graph(loss, params=dict(model.named_parameters()),
                     collapse_modules=False).source
    assert src.count("grad ") == 6  # the parameters' .grad only


def test_kept_arrays_die_with_the_graph() -> None:
    model, loss = _mlp_loss()
    ref = weakref.ref(loss.grad_fn.next[0].saved_arrays[0])
    loss.backward()
    assert ref() is not None
    del loss
    gc.collect()
    assert ref() is None


def test_retain_graph_still_allows_a_second_backward_and_explain() -> None:
    model, loss = _mlp_loss(batch=8)
    loss.backward(retain_graph=True)
    loss.backward()
    e = cr.explain(loss, dict(model.named_parameters()))
    np.testing.assert_allclose(2 * e.gradients["4.bias"], model[4].bias.grad.numpy(), rtol=1e-5)
