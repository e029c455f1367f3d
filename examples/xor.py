"""XOR with the core alone: a 2-8-1 network, trained by the chain rule, loss falling."""
import chainrule as cr

x = cr.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = cr.tensor([0.0, 1.0, 1.0, 0.0])
cr.manual_seed(0)
W1, b1 = (cr.randn(2, 8) * 0.8).requires_grad_(), cr.zeros(8, requires_grad=True)
W2, b2 = (cr.randn(8) * 0.8).requires_grad_(), cr.zeros(1, requires_grad=True)
for step in range(2001):
    p = ((x @ W1 + b1).tanh() @ W2 + b2).sigmoid()
    loss = ((p - y) ** 2).mean()
    loss.backward()
    with cr.no_grad():
        for w in (W1, b1, W2, b2):
            w -= 0.5 * w.grad
            w.grad = None
    if step % 400 == 0:
        print(f"step {step:5d}  loss {loss.item():.5f}")
print("predictions:", [round(v, 3) for v in p.tolist()], "targets:", y.tolist())
