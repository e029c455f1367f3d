"""``chainrule serve``: the playground in the browser (needs the ``serve`` extra)."""
from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import Any

LOOPBACK = ("localhost", "127.0.0.1", "::1")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("serve", help="a playground in the browser that trains the real "
                              "library", description="Start a local web server with the "
                              "playground: pick a dataset, shape a network, train it and click "
                              "any weight to see its chain rule. Loopback only unless --host "
                              "says otherwise.")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; anything else is reachable by "
                   "others on the network)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: any free)")
    p.add_argument("--open", action="store_true", help="open the page in a web browser")
    p.add_argument("--max-sessions", type=int, default=8, metavar="N",
                   help="pages served at once (default 8); more are told the server is busy")
    p.add_argument("--idle-timeout", type=float, default=900.0, metavar="SECONDS",
                   help="an idle session is removed after this long (default 900)")
    p.set_defaults(func=run)


def is_loopback(host: str) -> bool:
    """Whether ``host`` binds the local machine only.

    Example
    -------
    >>> is_loopback("127.0.0.1"), is_loopback("0.0.0.0")
    (True, False)
    """
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    from . import UsageError
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port: expected a port in [0, 65535], got {args.port}")
    if args.max_sessions < 1:
        raise UsageError(f"--max-sessions: expected an integer >= 1, got {args.max_sessions}")
    if not args.idle_timeout > 0:
        raise UsageError(f"--idle-timeout: expected seconds > 0, got {args.idle_timeout}")
    import asyncio  # here, not at the top: every other command starts ~0.1 s sooner

    try:
        import uvicorn
    except ImportError:
        raise ImportError('chainrule serve needs Starlette and uvicorn: pip install '
                          '"chainrule[serve]"') from None
    from ..serve import create_app
    loopback = is_loopback(args.host)
    if not loopback:
        print(f"chainrule: warning: serving on {args.host}: anyone who can reach this machine "
              "on the network can use the playground (and its CPU)", file=sys.stderr)
    app = create_app(max_sessions=args.max_sessions, idle_timeout=args.idle_timeout,
                     allowed_hosts=None if loopback else ["*"])
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning",
                            ws_max_size=1 << 20)
    server = uvicorn.Server(config)

    async def announce() -> None:
        while not server.started:
            await asyncio.sleep(0.05)
        servers = getattr(server, "servers", None)
        port = servers[0].sockets[0].getsockname()[1] if servers else args.port
        shown = f"[{args.host}]" if ":" in args.host else args.host
        url = f"http://{shown}:{port}/"
        print(f"chainrule playground: {url}  (Ctrl+C stops it)", flush=True)
        if args.open:
            import webbrowser
            webbrowser.open(url)

    async def main() -> None:
        task = asyncio.ensure_future(announce())
        await server.serve()
        task.cancel()

    asyncio.run(main())
    return 0
