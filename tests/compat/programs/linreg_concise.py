# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Linear regression, the concise implementation (the textbook chapter):
TensorDataset and DataLoader, nn.Sequential(nn.Linear), weight.data.normal_,
bias.data.fill_, nn.MSELoss, optim.SGD; then a Huber loss variant and the
gradient of the weights.

The features and noise come from a seeded NumPy generator; the epoch order from
a Sampler driven by Python's random module, and the initial weight (drawn with
normal_, as in the book) is then set from NumPy: the libraries' random streams
differ.
"""
import random

import numpy as np
import torch
from torch import nn
from torch.utils import data

rng = np.random.default_rng(0)
random.seed(1)

true_w = torch.tensor([2, -3.4])
true_b = 4.2
features = torch.from_numpy(rng.normal(0, 1, (1000, 2)).astype(np.float32))
labels = (torch.matmul(features, true_w) + true_b).reshape((-1, 1))
labels += torch.from_numpy(rng.normal(0, 0.01, (1000, 1)).astype(np.float32))


class PythonShuffle(data.Sampler):
    def __init__(self, n):
        self.n = n

    def __iter__(self):
        order = list(range(self.n))
        random.shuffle(order)
        return iter(order)

    def __len__(self):
        return self.n


def load_array(data_arrays, batch_size, is_train=True):
    """Construct a PyTorch data iterator."""
    dataset = data.TensorDataset(*data_arrays)
    sampler = PythonShuffle(len(dataset)) if is_train else None
    return data.DataLoader(dataset, batch_size, sampler=sampler)


batch_size = 10
data_iter = load_array((features, labels), batch_size)
first = next(iter(data_iter))
print(type(first).__name__, len(first), list(first[0].shape), list(first[1].shape))

net = nn.Sequential(nn.Linear(2, 1))
net[0].weight.data.normal_(0, 0.01)
net[0].bias.data.fill_(0)
print("normal_ std small:", net[0].weight.data.abs().max().item() < 0.1, net[0].bias.item())
net[0].weight.data.copy_(torch.from_numpy(rng.normal(0, 0.01, (1, 2)).astype(np.float32)))

loss = nn.MSELoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.03)

num_epochs = 3
for epoch in range(num_epochs):
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    l = loss(net(features), labels)
    print(f'epoch {epoch + 1}, loss {l:f}')

w = net[0].weight.data
print('error in estimating w:', [round(v, 4) for v in (true_w - w.reshape(true_w.shape)).tolist()])
b = net[0].bias.data
print('error in estimating b:', round((true_b - b).item(), 4))
print(net[0].weight.grad.shape[1], [f"{v:.6f}" for v in net[0].weight.grad.flatten().tolist()])

# the same with a Huber loss and a learning-rate change through param_groups
net = nn.Sequential(nn.Linear(2, 1))
with torch.no_grad():
    net[0].weight.copy_(torch.tensor([[0.01, -0.01]]))
    net[0].bias.zero_()
loss = nn.HuberLoss()
trainer = torch.optim.SGD(net.parameters(), lr=0.3)
for epoch in range(num_epochs):
    if epoch == 2:
        trainer.param_groups[0]["lr"] = 0.03
    for X, y in data_iter:
        l = loss(net(X), y)
        trainer.zero_grad()
        l.backward()
        trainer.step()
    print(f'huber epoch {epoch + 1}, loss {loss(net(features), labels).item():f}')
print("state_dict keys", list(net.state_dict().keys()))
