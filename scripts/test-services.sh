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
    ;;
  run)
    exec "$@"
    ;;
  *)
    echo "usage: $0 install|run CMD..." >&2
    exit 2
    ;;
esac
