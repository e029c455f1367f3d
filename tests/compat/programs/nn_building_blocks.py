# ruff: noqa: B007, E501, E741, N802, N803, N806, N816  (tutorial code, kept in its style)
"""Building models with torch.nn: containers (Sequential, ModuleList, ModuleDict,
ParameterList, ParameterDict), nn.Embedding with padding, Flatten/Unflatten,
named_parameters / children / modules / buffers, apply(fn) for initialisation,
printing a model and its state_dict, F functions beside their modules.

Weights are set from fixed values (the libraries' random streams differ), so
the printed state_dict is the same in both.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class TinyTagger(nn.Module):
    def __init__(self, vocab=7, dim=4, hidden=5, tags=3):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.blocks = nn.ModuleList([nn.Linear(dim, hidden), nn.Linear(hidden, hidden)])
        self.heads = nn.ModuleDict({"tag": nn.Linear(hidden, tags), "score": nn.Linear(hidden, 1)})
        self.scales = nn.ParameterList([nn.Parameter(torch.ones(hidden)) for _ in range(2)])
        self.extra = nn.ParameterDict({"bias": nn.Parameter(torch.zeros(tags))})
        self.act = nn.Tanh()
        self.register_buffer("steps", torch.zeros((), dtype=torch.long))

    def forward(self, ids):
        x = self.embed(ids)  # (B, T, dim)
        for block, scale in zip(self.blocks, self.scales):
            x = self.act(block(x)) * scale
        return self.heads["tag"](x) + self.extra["bias"], self.heads["score"](x).squeeze(-1)


def fixed_init(m):
    """Deterministic weights: a smooth pattern instead of random numbers."""
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            n = m.weight.numel()
            m.weight.copy_(torch.sin(torch.arange(n, dtype=torch.float32)).reshape(m.weight.shape) * 0.5)
            m.bias.fill_(0.1)
    elif isinstance(m, nn.Embedding):
        with torch.no_grad():
            m.weight.copy_(torch.cos(torch.arange(m.weight.numel(), dtype=torch.float32)).reshape(m.weight.shape))
            m.weight[m.padding_idx].zero_()


model = TinyTagger()
model.apply(fixed_init)
print(model)
print([name for name, _ in model.named_children()])
print([name for name, _ in model.named_modules()])
print([(name, list(p.shape)) for name, p in model.named_parameters()])
print([name for name, _ in model.named_buffers()])
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
print(model.state_dict()["heads.score.weight"])
print(list(model.state_dict().keys()))

ids = torch.tensor([[1, 2, 0, 0], [3, 4, 5, 6]])
tags, score = model(ids)
print(list(tags.shape), list(score.shape))
print([[round(v, 5) for v in row] for row in score.tolist()])
target = torch.tensor([[0, 1, 2, 2], [1, 1, 0, 2]])
loss = F.cross_entropy(tags.reshape(-1, 3), target.reshape(-1)) + F.mse_loss(score, torch.zeros_like(score))
loss.backward()
print(f"loss {loss.item():.6f}")
print("padding row gets no gradient:", model.embed.weight.grad[0].abs().sum().item())
print("embedding grad", [round(v, 6) for v in model.embed.weight.grad[1].tolist()])
print("scale grads", [round(p.grad.sum().item(), 6) for p in model.scales])

model.zero_grad(set_to_none=False)
print("after zero_grad(set_to_none=False):", model.blocks[0].weight.grad.abs().sum().item())
model.zero_grad()
print("after zero_grad():", model.blocks[0].weight.grad is None)

# F functions beside their modules
x = torch.linspace(-3, 3, 7)
for mod, fn in [(nn.ReLU(), F.relu), (nn.Sigmoid(), torch.sigmoid), (nn.Tanh(), torch.tanh),
                (nn.GELU(), F.gelu), (nn.SiLU(), F.silu), (nn.ELU(), F.elu), (nn.LeakyReLU(0.1), lambda t: F.leaky_relu(t, 0.1)),
                (nn.Softplus(), F.softplus), (nn.ReLU6(), F.relu6), (nn.Hardtanh(), F.hardtanh),
                (nn.Mish(), F.mish), (nn.SELU(), F.selu), (nn.LogSigmoid(), F.logsigmoid)]:
    a, b = mod(x), fn(x)
    print(f"{type(mod).__name__:10s}", bool(torch.allclose(a, b)), [f"{v:.6f}" for v in a.tolist()])
print("softmax", [round(v, 5) for v in F.softmax(x, dim=0).tolist()])
print("log_softmax", [round(v, 5) for v in nn.LogSoftmax(dim=0)(x).tolist()])

# Flatten and Unflatten
images = torch.arange(2 * 3 * 4, dtype=torch.float32).reshape(2, 3, 4)
flat = nn.Flatten()(images)
back = nn.Unflatten(1, (3, 4))(flat)
print(list(flat.shape), list(back.shape), bool(torch.equal(back, images)))
print(list(nn.Flatten(0, 1)(images).shape))

# Embedding.from_pretrained and F.embedding
table = torch.tensor([[0.0, 0.0], [1.0, 2.0], [3.0, 4.0]])
emb = nn.Embedding.from_pretrained(table, freeze=True)
print(emb(torch.tensor([2, 1])).tolist(), emb.weight.requires_grad)
print(F.embedding(torch.tensor([[1, 2]]), table).tolist())

# losses: module and functional forms agree
pred = torch.tensor([[0.2, 0.8, -1.0], [1.5, -0.3, 0.1]])
cls = torch.tensor([1, 0])
print(f"{nn.CrossEntropyLoss()(pred, cls).item():.6f} {F.cross_entropy(pred, cls).item():.6f}")
print(f"{nn.CrossEntropyLoss(label_smoothing=0.1)(pred, cls).item():.6f}")
print(f"{nn.NLLLoss()(F.log_softmax(pred, dim=1), cls).item():.6f}")
y = torch.tensor([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
print(f"{nn.BCEWithLogitsLoss()(pred, y).item():.6f} {F.binary_cross_entropy(torch.sigmoid(pred), y).item():.6f}")
print(f"{nn.MSELoss()(pred, y).item():.6f} {nn.L1Loss()(pred, y).item():.6f} {nn.SmoothL1Loss()(pred, y).item():.6f} {nn.HuberLoss(delta=0.5)(pred, y).item():.6f}")
print(f"{nn.KLDivLoss(reduction='batchmean')(F.log_softmax(pred, dim=1), F.softmax(y, dim=1)).item():.6f}")
print(f"{F.cosine_similarity(pred, y).tolist()}")

# a layer's default init bounds (distribution, not values)
torch.manual_seed(0)
layer = nn.Linear(50, 20)
bound = 1 / math.sqrt(50)
print("Linear init within ±1/sqrt(in):", bool((layer.weight.abs() <= bound).all()), bool((layer.bias.abs() <= bound).all()))
print("Embedding init ~ N(0, 1):", abs(nn.Embedding(1000, 10).weight.std().item() - 1) < 0.05)
