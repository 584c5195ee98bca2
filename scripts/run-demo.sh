#!/usr/bin/env bash
# Set everything up, then open drillplanner on the demo schools.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/drillplanner --demo "$@"
