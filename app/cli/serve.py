"""``alinea serve``: the review UI, with the background jobs run beside it."""

from __future__ import annotations

import sys

import click

from app.cli.common import Context, user_errors
from app.errors import InvalidRequest

EMBEDDED_OPTION = click.option(
    "--no-embedded-worker",
    "no_embedded",
    is_flag=True,
    help="Run no background jobs in this process (leave them to `alinea worker`).",
)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@EMBEDDED_OPTION
@click.pass_obj
@user_errors
def serve_command(obj: Context, host: str, port: int, no_embedded: bool) -> None:
    """Serve the review UI, and run background jobs when no worker does.

    With Redis and no `alinea worker` on the queue, a worker runs inside the server;
    without Redis, the server runs the jobs itself. Either stops with the server.
    """
    require_free_port(host, port)
    serve(obj, host, port, embedded=not no_embedded)


def require_free_port(host: str, port: int) -> None:
    """Raise InvalidRequest, saying what to do, when ``host:port`` cannot be listened on."""
    import errno
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise InvalidRequest(f"cannot serve on {host}: {error.strerror}") from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        # As the server will: a port left in TIME_WAIT by a stopped server is free.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise InvalidRequest(
                    f"port {port} on {host} is already in use (another Alinea, or another "
                    f"program, is serving there); stop it or choose another port with "
                    f"--port {port + 1} (make demo PORT={port + 1})"
                ) from None
            raise InvalidRequest(f"cannot serve on {host}:{port}: {error.strerror}") from None


def serve(obj: Context, host: str, port: int, embedded: bool = True) -> None:
    """Serve the UI on ``host:port`` until stopped, with the job runner ``embedded`` asks for."""
    import signal

    import waitress

    from app.jobs.embedded import choose_runner
    from app.web import create_app
    from app.web.logs import configure_logging

    configure_logging(obj.settings.log_level)
    app = create_app(obj.settings)
    runner = choose_runner(obj.settings, embedded)
    if runner is not None:
        runner.start()
        app.extensions["alinea.runner"] = runner
        click.echo(f"Background jobs run on {runner.label}", err=True)
    elif embedded:
        click.echo("Background jobs run on the workers already serving the queue", err=True)
    # A polite stop (SIGTERM) ends like Ctrl+C: the job runner is stopped with the server.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    click.echo(f"Alinea is serving on http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    try:
        waitress.serve(app, host=host, port=port, threads=8)
    finally:
        if runner is not None:
            runner.stop()


def register(group: click.Group) -> None:
    group.add_command(serve_command)
