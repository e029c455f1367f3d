# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Linear regression from scratch (the textbook chapter): synthetic data,
a data_iter over shuffled indices, squared loss, minibatch SGD under no_grad.

Python's random module shuffles the indices (the same in both libraries); the
features, noise and initial w come from a seeded NumPy generator because
torch.normal streams differ between PyTorch and chainrule (it is still called,
for its shape and moments).
"""
import random

import numpy as np
import torch

rng = np.random.default_rng(0)
random.seed(0)


def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = torch.normal(0, 1, (num_examples, len(w)))
    print("torch.normal", list(X.shape), abs(X.mean().item()) < 0.1, abs(X.std().item() - 1) < 0.1)
    X = torch.from_numpy(rng.normal(0, 1, (num_examples, len(w))).astype(np.float32))
    y = torch.matmul(X, w) + b
    y += torch.from_numpy(rng.normal(0, 0.01, tuple(y.shape)).astype(np.float32))
    return X, y.reshape((-1, 1))


true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)
print('features:', [round(v, 5) for v in features[0].tolist()],
      '\nlabel:', [round(v, 5) for v in labels[0].tolist()])


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    # The examples are read at random, in no particular order
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(
            indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


batch_size = 10
for X, y in data_iter(batch_size, features, labels):
    print([[round(v, 5) for v in row] for row in X.tolist()][:2], '\n', list(y.shape))
    break

w = torch.normal(0, 0.01, size=(2, 1), requires_grad=True)
w = torch.tensor(rng.normal(0, 0.01, (2, 1)).astype(np.float32), requires_grad=True)
b = torch.zeros(1, requires_grad=True)


def linreg(X, w, b):
    """The linear regression model."""
    return torch.matmul(X, w) + b


def squared_loss(y_hat, y):
    """Squared loss."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    """Minibatch stochastic gradient descent."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


lr = 0.03
num_epochs = 3
net = linreg
loss = squared_loss

for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        l = loss(net(X, w, b), y)  # Minibatch loss in `X` and `y`
        # Compute gradient on `l` with respect to [`w`, `b`]
        l.sum().backward()
        sgd([w, b], lr, batch_size)  # Update parameters using their gradient
    with torch.no_grad():
        train_l = loss(net(features, w, b), labels)
        print(f'epoch {epoch + 1}, loss {float(train_l.mean()):f}')

print(f'error in estimating w: {[round(v, 4) for v in (true_w - w.reshape(true_w.shape)).tolist()]}')
print(f'error in estimating b: {round((true_b - b).item(), 4)}')
print("w", [round(v, 4) for v in w.detach().flatten().tolist()], "b", round(b.item(), 4))
