#!/usr/bin/env bash
# Run jobrisk from a fresh clone: make .venv, install the package, point it at ../shared/data
# when that exists, and pass the arguments on (the index is built on first use).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ ! -x "$root/.venv/bin/jobrisk" ] || [ "$root/pyproject.toml" -nt "$root/.venv/.installed" ]; then
  python3 -m venv "$root/.venv"
  "$root/.venv/bin/pip" install -q --upgrade pip
  "$root/.venv/bin/pip" install -q -e "$root"
  touch "$root/.venv/.installed"
fi
if [ -z "${JOBRISK_DATA_DIR:-}" ] && [ -d "$root/../shared/data" ]; then
  export JOBRISK_DATA_DIR="$(cd "$root/../shared/data" && pwd)"
fi
exec "$root/.venv/bin/jobrisk" "$@"
