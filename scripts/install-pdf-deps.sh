#!/usr/bin/env bash
# What the annual report's PDF needs besides Python packages: Pango (WeasyPrint lays out text with it) and the
# Noto fonts (Arabic, Persian and Tigrinya). `make run` calls this; as root it installs what is missing, as
# anyone else it says what to install and carries on: the site runs without them, and the PDF link then
# answers a page that says what is missing.
set -uo pipefail
source "$(dirname "$0")/apt-missing.sh"

need=()
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -qi "Noto Sans Ethiopic" || need+=(fonts-noto-core)
install_missing "what the report's PDF needs" "${need[@]}" \
  || echo "The site runs without them; the report's PDF link then says what is missing." >&2
exit 0
