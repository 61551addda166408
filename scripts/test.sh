#!/usr/bin/env bash
# Install everything the test suite needs and run it (on SQLite, or on TEST_DATABASE_URL).
#   bash scripts/test.sh            # the README's test command
#   bash scripts/test.sh -k agenda  # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

# The browser tests (tests/e2e) drive Debian's chromium (or CHROMIUM_PATH) with axe-core from npm.
if ! command -v chromium >/dev/null 2>&1 && [ -z "${CHROMIUM_PATH:-}" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium
fi
npm ci --no-audit --no-fund --silent

python3 -m venv .venv
.venv/bin/pip install -q -r requirements-dev.txt
.venv/bin/python -m pytest -q "$@"
