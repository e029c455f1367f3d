"""Adding layers: one perceptron cannot separate XOR; one hidden layer can.

Trains a logistic unit (no hidden layer) and a 2-8-1 MLP with tanh on the
XOR data set with the same optimizer; prints both accuracies. ``--save DIR``
writes both decision boundaries.
"""
import warnings

from _common import parse_args, save

import chainrule as cr
from chainrule.data import xor
from chainrule.train import fit

args = parse_args(__doc__)
X, y = xor(400, noise=0.1, seed=0)
target = y.reshape(-1, 1).astype("float32")
results = {}
for name, hidden in (("no hidden layer", []), ("one hidden layer of 8", [8])):
    cr.manual_seed(0)
    model = cr.nn.MLP(2, hidden, 1, activation="tanh")
    with warnings.catch_warnings():
        if not hidden:  # stuck at chance on purpose: silence the linter's "loss flat at log(2)"
            warnings.simplefilter("ignore", cr.LintWarning)
        history = fit(model, (X, target), loss=cr.nn.BCEWithLogitsLoss(), epochs=60,
                      batch_size=32, optimizer=cr.optim.Adam(model.parameters(), lr=0.03),
                      metrics=["accuracy"], verbose=0, seed=0)
    results[name] = model
    print(f"{name:<24} loss {history['loss'][-1]:.3f}  accuracy {history['accuracy'][-1]:.1%}")
    if args.save:
        from chainrule.viz import plot_decision_boundary
        fig = plot_decision_boundary(model, X, y, output="logits", title=f"XOR, {name}")
        save(fig, args.save, "xor_" + name.replace(" ", "_"))
print("A straight line splits the plane in two; XOR needs two lines, hence a hidden layer.")
