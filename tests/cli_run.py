"""The real ``jobrisk`` command in a subprocess, against the test index and data (the CLI tests
of every area share it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(
    *args: str, index: Path, data: Path, cwd: Path | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """``python -m jobrisk ARGS`` with ``JOBRISK_INDEX``/``JOBRISK_DATA_DIR`` set, output captured."""
    env = {
        **os.environ,
        "COLUMNS": "200",
        "JOBRISK_INDEX": str(index),
        "JOBRISK_DATA_DIR": str(data),
    }
    return subprocess.run(
        [sys.executable, "-m", "jobrisk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=cwd,
    )
