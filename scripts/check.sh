#!/usr/bin/env bash
# Install everything the tests need, then check the format, lint, the import contracts (pyproject.toml),
# the types of the core and the UI, and run the whole test suite. CI runs this too.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then
    # Browser tests drive Debian's Chromium through Playwright (Playwright's own download is not used).
    if [ "$(id -u)" = "0" ]; then
        apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
    fi
fi

python -m ruff format --check .
python -m ruff check .
lint-imports
python -m mypy
python -m pytest -n 2 --dist loadfile "$@"
