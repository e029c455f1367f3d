"""Every script in examples/ runs (in a subprocess, with --save where it takes it) and prints
what it should, so none rots. The scripts run concurrently, one per core."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"

# script -> (lines its output must contain, figures it writes with --save)
EXPECTED = {
    "xor.py": (["predictions:"], []),
    "perceptron_2d.py": (["decision boundary:", "training accuracy"], ["perceptron.png"]),
    "activation_functions.py": (["Sigmoid", "max sigmoid'(x) = 0.250"], ["activations.png"]),
    "layers_and_xor.py": (["no hidden layer", "one hidden layer of 8"],
                          ["xor_no_hidden_layer.png", "xor_one_hidden_layer_of_8.png"]),
    "softmax_probabilities.py": (["equals sigmoid(z)", "(sum 1.000)"], ["softmax.png"]),
    "losses.py": (["MSE", "Huber", "cross-entropy"], ["losses.png"]),
    "gradient_descent.py": (["normal equation: w = 1.5654", "diverged"],
                            ["closed_form_vs_gd.png"]),
    "optimizers.py": (["Rosenbrock", "Adam      ends at (  0.997", "CosineAnnealingLR"],
                      ["optimizer_paths.png", "lr_schedules.png"]),
    "initialization.py": (["of 16 starts end in the minimum", "units identical",
                           "units different"], ["initialization.png"]),
    "backpropagation.py": (["∂L/∂θ1 = ∂L/∂a · ∂a/∂θ1 = 2cx·θ2 = (-4) · (-3) = 12",
                            "∂L/∂0.weight = gᵀx"], ["backprop_graph.dot", "backprop.md"]),
    "mlp_digits.py": (["test accuracy"], ["digits_history.png", "digits_confusion.png"]),
}


# runs a script with chainrule's LintWarning as an error (-W cannot name it: it is imported late)
LINT_AS_ERRORS = ("import runpy, sys, warnings, chainrule; "
                  "warnings.simplefilter('error', chainrule.LintWarning); sys.argv = sys.argv[1:]; "
                  "runpy.run_path(sys.argv[0], run_name='__main__')")


def test_every_example_is_listed():
    scripts = {p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_")}
    assert scripts == set(EXPECTED)


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("examples")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]), "MPLBACKEND": "Agg"}

    def run(name: str) -> tuple[str, subprocess.CompletedProcess[str], Path]:
        save = out / name[:-3]
        argv = [sys.executable, "-c", LINT_AS_ERRORS, str(EXAMPLES / name)]
        if EXPECTED[name][1]:
            argv += ["--save", str(save)]
        proc = subprocess.run(argv, cwd=EXAMPLES, env=env, capture_output=True, text=True,
                              timeout=120)
        return name, proc, save

    with ThreadPoolExecutor(max_workers=max(os.cpu_count() or 2, 2)) as pool:
        return {name: (proc, save) for name, proc, save in pool.map(run, EXPECTED)}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(results, name):
    proc, save = results[name]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr and "Warning" not in proc.stderr, proc.stderr[-2000:]
    for line in EXPECTED[name][0]:
        assert line in proc.stdout, f"{line!r} not in the output of {name}"
    for figure in EXPECTED[name][1]:
        path = save / figure
        assert path.exists() and path.stat().st_size > 200, path
