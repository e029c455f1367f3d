"""Forward hooks (per module and global) and naming the module that raised an error.

A module's ``__call__`` tests one attribute, ``_hooked``: a class attribute that
is True while a global hook exists, shadowed per instance while that module
has hooks of its own. Errors raised inside a child are tagged with the module
that raised them; each enclosing module re-words the message with the child's
dotted path, so the outermost one reads ``model.2 (Linear 64->10): ...``.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable

_ids = itertools.count()

# The global hooks, as torch.nn.modules.module's: called for every module call.
_global_forward_pre_hooks: dict[int, Callable[..., Any]] = {}
_global_forward_hooks: dict[int, Callable[..., Any]] = {}


class RemovableHandle:
    """Returned by ``register_*_hook``; ``.remove()`` unregisters the hook (also a context).

    Example
    -------
    >>> import chainrule as cr
    >>> layer = cr.nn.Linear(2, 1)
    >>> seen = []
    >>> handle = layer.register_forward_hook(lambda m, inputs, out: seen.append(out.shape))
    >>> _ = layer(cr.zeros(4, 2)); handle.remove(); _ = layer(cr.zeros(3, 2)); seen
    [chainrule.Size([4, 1])]
    """

    def __init__(self, hooks: dict[int, Any], on_change: Callable[[], None]) -> None:
        self.id = next(_ids)
        self._hooks = hooks
        self._on_change = on_change

    def remove(self) -> None:
        if self._hooks.pop(self.id, None) is not None:
            self._on_change()

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _add(hooks: dict[int, Any], hook: Any, prepend: bool,
         on_change: Callable[[], None]) -> RemovableHandle:
    if not callable(hook):
        raise TypeError(f"register hook: expected a callable, got {type(hook).__name__}")
    handle = RemovableHandle(hooks, on_change)
    if prepend:
        items = list(hooks.items())
        hooks.clear()
        hooks[handle.id] = hook
        hooks.update(items)
    else:
        hooks[handle.id] = hook
    on_change()
    return handle


def _global_changed() -> None:
    from .module import Module
    Module._hooked = bool(_global_forward_hooks or _global_forward_pre_hooks)


def register_module_forward_pre_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Call ``hook(module, inputs)`` before every module's forward (all modules).

    A non-None return replaces the inputs (a tuple, or one value).
    """
    return _add(_global_forward_pre_hooks, hook, False, _global_changed)


def register_module_forward_hook(hook: Callable[..., Any]) -> RemovableHandle:
    """Call ``hook(module, inputs, output)`` after every module's forward (all modules).

    A non-None return replaces the output. The graph drawings use it to tag
    which module made which graph node.

    Example
    -------
    >>> import chainrule as cr
    >>> from chainrule.nn.modules.module import register_module_forward_hook
    >>> names = []
    >>> handle = register_module_forward_hook(lambda m, i, o: names.append(type(m).__name__))
    >>> _ = cr.nn.Sequential(cr.nn.Linear(2, 2), cr.nn.ReLU())(cr.zeros(1, 2))
    >>> handle.remove(); names
    ['Linear', 'ReLU', 'Sequential']
    """
    return _add(_global_forward_hooks, hook, False, _global_changed)


def call_hooked(module: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``module(*args, **kwargs)`` with the global and the module's forward hooks."""
    for hooks in (_global_forward_pre_hooks, module._forward_pre_hooks):
        for hook in list(hooks.values()):
            r = hook(module, args)
            if r is not None:
                args = r if isinstance(r, tuple) else (r,)
    out = module.forward(*args, **kwargs)
    for hooks in (_global_forward_hooks, module._forward_hooks):
        for hook in list(hooks.values()):
            r = hook(module, args, out)
            if r is not None:
                out = r
    return out


# ---- naming the module that raised --------------------------------------------------------
LOCATED = (ValueError, TypeError, IndexError, RuntimeError)


def locate(exc: BaseException, module: Any) -> None:
    """Tag ``exc`` (raised inside ``module``'s forward) with its origin, or re-word it.

    The first module the error leaves is its origin: the message is kept and
    its own ``Name(args): `` prefix remembered. Each enclosing module that
    finds the origin among its sub-modules rewrites the message as
    ``model.<path> (<short name>): <detail>``.
    """
    if len(exc.args) != 1 or not isinstance(exc.args[0], str):
        return
    d = exc.__dict__
    origin = d.get("_cr_origin")
    if origin is None:
        msg: str = exc.args[0]
        prefix = module._where() + ": "
        d["_cr_origin"] = module
        d["_cr_detail"] = msg[len(prefix):] if msg.startswith(prefix) else msg
        return
    for name, m in module.named_modules(remove_duplicate=False):
        if m is origin and name:
            exc.args = (f"model.{name} ({origin._short_name()}): {d['_cr_detail']}",)
            return
