"""``jobrisk serve``: loopback by default, a warning otherwise (the server itself is not started)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from jobrisk.cli import cli
from jobrisk.commands.web import is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True),
     ("localhost", True), ("0.0.0.0", False), ("192.168.1.5", False), ("::", False),
     ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serve_help_documents_the_default_host() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0
    assert "127.0.0.1" in result.output and "Example:" in result.output
