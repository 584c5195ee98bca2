#!/usr/bin/env bash
# Prepare a local virtual environment (.venv) with drillplanner installed.
#   scripts/setup.sh        the app
#   scripts/setup.sh dev    the app plus test and lint tools
# On Debian/Ubuntu it first installs the system packages a Qt desktop app needs
# (Qt's xcb libraries, a CJK font, python3-venv), using sudo when not root; "dev" adds
# the Chromium browser the phone page's tests drive (Debian's package; on Ubuntu, whose
# chromium is a snap, Playwright's own build) and the PostgreSQL server the tests start a
# throwaway cluster of (the package's own cluster is not used).
set -euo pipefail
cd "$(dirname "$0")/.."
extras=${1:-}
python=${PYTHON:-python3}

"$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
  echo "drillplanner needs Python 3.11 or newer (found: $("$python" --version 2>&1))" >&2; exit 1; }

if command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  wanted="fonts-wqy-microhei libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
          libxcb-randr0 libxcb-render-util0 libxcb-xinerama0 libxkbcommon-x11-0 libegl1 libgl1
          libfontconfig1 libdbus-1-3 poppler-utils poppler-data"
  "$python" -c 'import ensurepip, venv' 2>/dev/null || wanted="$wanted python3-venv"
  # dev: the phone page's browser tests drive Chromium; QR code tests decode with zbarimg;
  # the storage, services and CLI tests run on PostgreSQL too (tests/pg_cluster.py).
  [ "$extras" = "dev" ] && wanted="$wanted zbar-tools postgresql"
  if [ "$extras" = "dev" ] && grep -qi '^ID=debian' /etc/os-release 2>/dev/null; then
    wanted="$wanted chromium"
  fi
  missing=""
  for package in $wanted; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing="$missing $package"
  done
  if [ -n "$missing" ]; then
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing system packages:$missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
  fi
fi

[ -x .venv/bin/python ] || "$python" -m venv .venv
spec="."; [ "$extras" = "dev" ] && spec=".[dev]"
stamp=".venv/.installed-$(cat pyproject.toml | sha256sum | cut -c1-16)-${extras:-app}"
if [ ! -e "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e "$spec"
  touch "$stamp"
fi

# Ubuntu's chromium package only points at a snap, which containers and CI cannot run.
if [ "$extras" = "dev" ] && [ ! -x /usr/bin/chromium ] && grep -qi '^ID=ubuntu' /etc/os-release 2>/dev/null; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo .venv/bin/playwright install-deps chromium >/dev/null
  .venv/bin/playwright install chromium >/dev/null
fi
