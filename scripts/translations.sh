#!/usr/bin/env bash
# Extract every translatable string, merge it into the zh_CN catalogue and compile it.
#   scripts/translations.sh          extract + update + compile
#   scripts/translations.sh compile  only compile the .po files to .mo
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${VENV:-.venv}/bin
dir=drillplanner/resources/translations
if [ "${1:-}" != "compile" ]; then
  "$bin/pybabel" extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --sort-output \
    --project=drillplanner --copyright-holder="drillplanner developers" \
    -o "$dir/drillplanner.pot" drillplanner
  "$bin/pybabel" update -i "$dir/drillplanner.pot" -d "$dir" -D drillplanner -l zh_CN \
    --no-fuzzy-matching --ignore-obsolete
fi
"$bin/pybabel" compile -d "$dir" -D drillplanner --statistics
