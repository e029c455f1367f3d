"""The named pieces of a training job: losses by task, optimizers, schedules, targets."""
import numpy as np
import pytest

import chainrule as cr
from chainrule.tabular import recipe


def params():
    return [cr.nn.Parameter(cr.zeros(3))]


def test_losses_follow_the_task():
    assert type(recipe.make_loss("bce", "binary")[0]).__name__ == "BCEWithLogitsLoss"
    loss, task = recipe.make_loss("cross_entropy", "binary")
    assert type(loss).__name__ == "CrossEntropyLoss" and task == "multiclass"
    assert recipe.make_loss("huber", "regression")[1] == "regression"
    with pytest.raises(ValueError, match="--loss: expected a loss for regression"):
        recipe.make_loss("cross_entropy", "regression")
    with pytest.raises(ValueError, match="--loss: expected a loss for classification"):
        recipe.make_loss("mse", "multiclass")
    with pytest.raises(ValueError, match="--loss: expected one of"):
        recipe.make_loss("hinge", "binary")


def test_targets_and_output_sizes():
    y = np.array([0, 2, 1])
    assert recipe.encode_targets(y, "multiclass").dtype == np.int64
    assert recipe.encode_targets(y, "regression").shape == (3, 1)
    assert recipe.output_size("binary", 2, y) == 1
    assert recipe.output_size("multiclass", 3, y) == 3
    assert recipe.output_size("regression", None, np.zeros((3, 2))) == 2
    assert recipe.metric_names("regression") == ["mae", "r2"]


def test_optimizers_validate_options():
    sgd = recipe.make_optimizer("sgd", params(), lr=0.1)
    assert type(sgd).__name__ == "SGD" and sgd.param_groups[0]["momentum"] == 0.9
    assert recipe.make_optimizer("rmsprop", params(), 0.01, momentum=0.5) \
        .param_groups[0]["momentum"] == 0.5
    for kwargs, match in [({"lr": -1.0}, "--lr: expected a positive number, got -1.0"),
                          ({"lr": float("nan")}, "--lr"),
                          ({"lr": 0.1, "momentum": 0.9, "name": "adam"}, "--momentum"),
                          ({"lr": 0.1, "momentum": 1.5}, r"--momentum: expected a number in \[0"),
                          ({"lr": 0.1, "weight_decay": -1.0}, "--weight-decay")]:
        name = kwargs.pop("name", "sgd")
        with pytest.raises(ValueError, match=match):
            recipe.make_optimizer(name, params(), **kwargs)
    with pytest.raises(ValueError, match="--optimizer"):
        recipe.make_optimizer("lion", params(), 0.1)


def test_schedules():
    opt = recipe.make_optimizer("sgd", params(), lr=0.1)
    assert recipe.make_scheduler("none", opt, 10, 5) is None
    names = {s: type(recipe.make_scheduler(s, opt, 10, 5)).__name__
             for s in ("step", "cosine", "onecycle", "plateau")}
    assert names == {"step": "StepLR", "cosine": "CosineAnnealingLR", "onecycle": "OneCycleLR",
                     "plateau": "ReduceLROnPlateau"}
    with pytest.raises(ValueError, match="--schedule"):
        recipe.make_scheduler("linear", opt, 10, 5)
