"""Losses for regression and classification, their values and their gradients.

Prints MSE, MAE (L1) and Huber on the same residuals, then binary cross-entropy
from probabilities and from logits, and cross-entropy over classes, with the
gradient autograd gives for the predictions. ``--save DIR`` writes each loss
against the residual or the predicted probability.
"""
import numpy as np
from _common import parse_args, save

import chainrule as cr
import chainrule.nn.functional as F

args = parse_args(__doc__)
pred = cr.tensor([2.5, 0.0, 2.0, 8.0], requires_grad=True)
target = cr.tensor([3.0, -0.5, 2.0, 7.0])
for name, fn in (("MSE", F.mse_loss), ("MAE", F.l1_loss), ("Huber(δ=1)", F.huber_loss)):
    pred.grad = None
    loss = fn(pred, target)
    loss.backward()
    print(f"{name:<11} {loss.item():.4f}  ∂L/∂pred = {np.round(pred.grad.numpy(), 4).tolist()}")
p = cr.tensor([0.9, 0.2, 0.6])
t = cr.tensor([1.0, 0.0, 0.0])
bce = F.binary_cross_entropy(p, t)
logits = cr.log(p / (1 - p))
bce_logits = F.binary_cross_entropy_with_logits(logits, t)
print(f"BCE from probabilities {bce.item():.4f} = BCE from logits {bce_logits.item():.4f}")
scores = cr.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
labels = cr.tensor([0, 1])
ce = F.cross_entropy(scores, labels)
ce.backward()
print(f"cross-entropy {ce.item():.4f}; ∂L/∂scores = (softmax − one-hot)/N =")
print(np.round(scores.grad.numpy(), 4))
if args.save:
    from chainrule.viz._mpl import COLORS, figure
    fig = figure(10, 4)
    ax1, ax2 = fig.subplots(1, 2)
    r = cr.linspace(-3, 3, 121)
    zero = cr.zeros(121)
    for i, (name, fn) in enumerate((("MSE", F.mse_loss), ("MAE", F.l1_loss),
                                    ("Huber", F.huber_loss))):
        values = [fn(r[k:k + 1], zero[k:k + 1]).item() for k in range(121)]
        ax1.plot(r.detach().numpy(), values, color=COLORS[i], label=name)
    ax1.set_xlabel("residual (prediction − target)")
    ax1.set_title("Regression losses")
    ax1.legend()
    q = np.linspace(0.01, 0.99, 99)
    ax2.plot(q, -np.log(q), color=COLORS[0], label="target 1: −ln p")
    ax2.plot(q, -np.log(1 - q), color=COLORS[1], label="target 0: −ln(1 − p)")
    ax2.set_xlabel("predicted probability p")
    ax2.set_title("Binary cross-entropy")
    ax2.legend()
    save(fig, args.save, "losses")
