#!/usr/bin/env bash
# Installs and runs what the test suite needs besides Python packages.
#   test-services.sh install      -- system packages the tests use (idempotent)
#   test-services.sh run CMD...   -- run CMD; services each test needs are started by the tests' fixtures
set -euo pipefail
cmd=${1:-}
shift || true
case "$cmd" in
  install)
    # Nothing system-wide is needed yet; later features add their packages here.
    # Browser tests (tests/web) drive Debian's chromium through Playwright (never `playwright install`).
    if [ ! -x /usr/bin/chromium ]; then
      apt-get update -q
      apt-get install -y -q --no-install-recommends chromium
    fi
    ;;
  run)
    exec "$@"
    ;;
  *)
    echo "usage: $0 install|run CMD..." >&2
    exit 2
    ;;
esac
