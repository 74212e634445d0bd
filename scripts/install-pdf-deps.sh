#!/usr/bin/env bash
# What the annual report's PDF needs besides Python packages: Pango (WeasyPrint lays out text with it) and the
# Noto fonts (Arabic, Persian and Tigrinya). `make run` calls this; as root it installs what is missing, as
# anyone else it says what to install and carries on: the site runs without them, and the PDF link then
# answers a page that says what is missing.
set -uo pipefail

need=()
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi "Noto Sans Ethiopic" || need+=(fonts-noto-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing what the report's PDF needs: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || echo "Could not install ${need[*]}: the site runs, the report's PDF does not." >&2
else
  echo "The report's PDF needs: ${need[*]} (sudo apt-get install -y ${need[*]}). The site runs without them." >&2
fi
exit 0
