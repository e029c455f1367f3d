"""An MLP on handwritten digits (scikit-learn's 8x8 digits, bundled): 64-64-10 with ReLU.

Standardises the pixels, trains with Adam and cross-entropy through
``chainrule.train.fit``, and prints test accuracy and the most confused pairs.
``--save DIR`` writes the training curves and the confusion matrix.
"""
import numpy as np
from _common import parse_args, save

import chainrule as cr
from chainrule.data import StandardScaler, digits, train_test_split
from chainrule.train import fit, predict
from chainrule.train.metrics import confusion_matrix

args = parse_args(__doc__)
X, y = digits()
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, stratify=y, seed=0)
scaler = StandardScaler().fit(X_train)
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
cr.manual_seed(0)
model = cr.nn.MLP(64, [64], 10)
history = fit(model, (X_train, y_train), loss=cr.nn.CrossEntropyLoss(), epochs=15,
              batch_size=32, optimizer=cr.optim.Adam(model.parameters(), lr=1e-3),
              val_data=(X_test, y_test), metrics=["accuracy"], verbose=0, seed=0)
for e in (0, 4, 9, 14):
    print(f"epoch {e + 1:2d}  loss {history['loss'][e]:.3f}  train acc "
          f"{history['accuracy'][e]:.3f}  test acc {history['val_accuracy'][e]:.3f}")
pred = predict(model, X_test).argmax(axis=1)
cm = confusion_matrix(y_test, pred)
accuracy = float(np.trace(cm) / cm.sum())
print(f"test accuracy {accuracy:.1%} on {len(y_test)} digits")
off = [(int(cm[i, j]), i, j) for i in range(10) for j in range(10) if i != j and cm[i, j]]
for count, i, j in sorted(off, reverse=True)[:3]:
    print(f"  {count} × a {i} taken for a {j}")
assert accuracy > 0.9
if args.save:
    from chainrule.viz import plot_confusion_matrix, plot_history
    save(plot_history(history, title="MLP on digits"), args.save, "digits_history")
    save(plot_confusion_matrix(cm, [str(d) for d in range(10)], title="Digits, test set"),
         args.save, "digits_confusion")
