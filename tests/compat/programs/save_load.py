# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Beginner tutorial: saving and loading models (state_dict, a checkpoint with the
optimizer, inference after loading), and what a state_dict holds.

Initial weights are copied from a seeded NumPy generator (the libraries'
random streams differ).
"""
import os
import tempfile

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

rng = np.random.default_rng(5)
torch.manual_seed(0)


class TheModelClass(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(8, 16)
        self.bn = nn.BatchNorm1d(16)
        self.fc2 = nn.Linear(16, 3)
        self.drop = nn.Dropout(0.0)

    def forward(self, x):
        x = torch.relu(self.bn(self.fc1(x)))
        return self.fc2(self.drop(x))


model = TheModelClass()
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy(rng.normal(0, 0.3, tuple(p.shape)).astype(np.float32)))
optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

print("Model's state_dict:")
for param_tensor in model.state_dict():
    print(param_tensor, "\t", list(model.state_dict()[param_tensor].size()))
print("Optimizer's state_dict keys:", sorted(optimizer.state_dict().keys()))
print("lr", optimizer.state_dict()["param_groups"][0]["lr"],
      optimizer.state_dict()["param_groups"][0]["params"])

X = torch.from_numpy(rng.normal(size=(64, 8)).astype(np.float32))
y = torch.from_numpy(rng.integers(0, 3, 64))
loss_fn = nn.CrossEntropyLoss()
for epoch in range(20):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
print("loss after training", f"{loss.item():.6f}")
print("num_batches_tracked", model.bn.num_batches_tracked.item())

tmp = tempfile.mkdtemp()
PATH = os.path.join(tmp, "model_weights.pth")
torch.save(model.state_dict(), PATH)

model2 = TheModelClass()
model2.load_state_dict(torch.load(PATH, weights_only=True))
model.eval()
model2.eval()
with torch.no_grad():
    a, b = model(X), model2(X)
print("same predictions after load:", bool(torch.equal(a, b)), f"{a.sum().item():.5f}")

CKPT = os.path.join(tmp, "checkpoint.tar")
torch.save({
    'epoch': 20,
    'model_state_dict': model.state_dict(),
    'optimizer_state_dict': optimizer.state_dict(),
    'loss': loss.item(),
}, CKPT)

model3 = TheModelClass()
optimizer3 = optim.SGD(model3.parameters(), lr=0.05, momentum=0.9)
checkpoint = torch.load(CKPT, weights_only=True)
model3.load_state_dict(checkpoint['model_state_dict'])
optimizer3.load_state_dict(checkpoint['optimizer_state_dict'])
epoch = checkpoint['epoch']
loss = checkpoint['loss']
print("checkpoint", epoch, f"{loss:.6f}")

# resume training: both copies take the same steps
model.train()
model3.train()
for m, opt in ((model, optimizer), (model3, optimizer3)):
    for _ in range(5):
        opt.zero_grad()
        loss_fn(m(X), y).backward()
        opt.step()
print("resumed identically:", all(bool(torch.equal(p, q)) for p, q in
                                  zip(model.parameters(), model3.parameters())))
print("fc2.bias", [round(v, 5) for v in model3.fc2.bias.tolist()])

# a whole tensor and a list of tensors
torch.save([torch.arange(3), torch.ones(2, 2)], os.path.join(tmp, "tensors.pt"))
t0, t1 = torch.load(os.path.join(tmp, "tensors.pt"))
print(t0.tolist(), t1.tolist())

sd = model.state_dict()
print(type(sd).__name__, len(sd), list(sd)[:3])
missing = model2.load_state_dict({k: v for k, v in sd.items() if k != "fc2.bias"}, strict=False)
print("missing", missing.missing_keys, "unexpected", missing.unexpected_keys)
