# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Beginner tutorial, datasets and training: a custom Dataset, DataLoader, an MLP
classifier, the train and test loops of the quickstart.

The data are generated with NumPy; the weights are set through model.apply from
a seeded NumPy generator and the epoch order comes from a Sampler driven by
Python's random module, because PyTorch and chainrule draw different random
streams.
"""
import random

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset, Sampler, Subset, random_split

rng = np.random.default_rng(42)
random.seed(0)


class BlobImages(Dataset):
    """10 classes of 1x6x6 'images': a class centre plus noise."""

    def __init__(self, n, transform=None, target_transform=None):
        centres = rng.normal(size=(10, 36)).astype(np.float32)
        self.labels = rng.integers(0, 10, size=n)
        noise = rng.normal(scale=0.8, size=(n, 36)).astype(np.float32)
        self.images = (centres[self.labels] + noise).reshape(n, 1, 6, 6)
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        image = torch.from_numpy(self.images[idx])
        label = int(self.labels[idx])
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


class PythonShuffle(Sampler):
    """A new order each epoch from Python's random module."""

    def __init__(self, n):
        self.n = n

    def __iter__(self):
        order = list(range(self.n))
        random.shuffle(order)
        return iter(order)

    def __len__(self):
        return self.n


data = BlobImages(1200)
training_data = Subset(data, range(1000))
test_data = Subset(data, range(1000, 1200))
a, b = random_split(data, [0.8, 0.2], generator=torch.Generator().manual_seed(42))
print("random_split sizes", len(a), len(b))

batch_size = 64
train_dataloader = DataLoader(training_data, batch_size=batch_size,
                              sampler=PythonShuffle(len(training_data)))
test_dataloader = DataLoader(test_data, batch_size=batch_size)

for X, y in test_dataloader:
    print(f"Shape of X [N, C, H, W]: {list(X.shape)}")
    print(f"Shape of y: {list(y.shape)} {y.dtype}")
    break
print("batches", len(train_dataloader), len(test_dataloader))

device = "cuda" if torch.cuda.is_available() else "cpu"
print(f"Using {device} device")


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(6 * 6, 64),
            nn.ReLU(),
            nn.Linear(64, 64),
            nn.ReLU(),
            nn.Linear(64, 10)
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork().to(device)
print(model)


def init_weights(m):
    if isinstance(m, nn.Linear):
        bound = 1 / m.in_features ** 0.5
        with torch.no_grad():
            m.weight.copy_(torch.from_numpy(
                rng.uniform(-bound, bound, size=tuple(m.weight.shape)).astype(np.float32)))
            m.bias.fill_(0.01)


model.apply(init_weights)
print("parameters", sum(p.numel() for p in model.parameters()))
for name, param in model.named_parameters():
    print(f"Layer: {name} | Size: {list(param.size())}")

loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=1e-1, momentum=0.9)


def train(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        X, y = X.to(device), y.to(device)
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 5 == 0:
            loss, current = loss.item(), (batch + 1) * len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test(dataloader, model, loss_fn):
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    model.eval()
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            X, y = X.to(device), y.to(device)
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")


epochs = 3
for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train(train_dataloader, model, loss_fn, optimizer)
    test(test_dataloader, model, loss_fn)
print("Done!")

X = torch.from_numpy(data.images[:3])
logits = model(X)
pred_probab = nn.Softmax(dim=1)(logits)
y_pred = pred_probab.argmax(1)
print(f"Predicted class: {y_pred.tolist()}, true {data.labels[:3].tolist()}")
