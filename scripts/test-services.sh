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
    # Hardware integrity tests (tests/integrity): lspci -F, dmidecode --from-dump, tpm2_eventlog,
    # swtpm, and the PCI/USB ID databases. Only what is missing; apt-get update at most once.
    hw_missing=""
    for pair in pciutils:/usr/bin/lspci dmidecode:/usr/sbin/dmidecode tpm2-tools:/usr/bin/tpm2_eventlog \
                swtpm:/usr/bin/swtpm pci.ids:/usr/share/misc/pci.ids usb.ids:/usr/share/misc/usb.ids; do
      [ -e "${pair#*:}" ] || hw_missing="$hw_missing ${pair%%:*}"
    done
    if [ -n "$hw_missing" ]; then
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $hw_missing >/dev/null
    fi
    # nmap XML tests (tests/ingest/test_nmap.py) run Debian's nmap against local services.
    if [ ! -x /usr/bin/nmap ]; then
      apt-get update -q >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nmap >/dev/null
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
