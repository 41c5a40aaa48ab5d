"""``jobrisk serve``: the web app and the JSON API on a local port (uvicorn)."""

from __future__ import annotations

import ipaddress

import click

from jobrisk.cli import Context, cli, err, pass_ctx

LOOPBACK_NAMES = ("localhost",)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--reload",
    type=click.Choice(["no", "yes"]),
    default="no",
    show_default=True,
    help="Restart on code changes (development only).",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Worker processes (each opens the index read-only).",
)
@pass_ctx
def serve(obj: Context, host: str, port: int, reload: str, workers: int) -> None:
    """Serve the web pages and the JSON API (/api/v1) on HOST:PORT.

    Binds 127.0.0.1 by default; binding anything else prints a warning, since the app has
    no login and is meant for one machine or a trusted network.

    \b
    Example:
      jobrisk serve
      jobrisk serve --port 8080
      open http://127.0.0.1:8000/  # JSON: /api/v1/occupations/15-2051.00
    """
    import os

    import uvicorn

    if not is_loopback(host):
        err.print(
            f"[yellow]warning: binding {host}: anyone who can reach this machine on port "
            f"{port} can use the app (there is no login). Use --host 127.0.0.1 to keep it "
            "local.[/yellow]"
        )
    obj.catalog().close()  # builds the index first when there is none, with a notice
    os.environ["JOBRISK_WEB_INDEX"] = str(obj.locations.index_path)
    err.print(f"jobrisk: serving {obj.locations.index_path} on http://{host}:{port}/")
    uvicorn.run(
        "jobrisk.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        reload=reload == "yes",
        workers=workers,
        log_level="warning",
        access_log=False,
    )
