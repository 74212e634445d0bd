#!/usr/bin/env bash
# Installs what the test suite needs besides Python packages: a PostgreSQL server (the tests start
# their own throwaway cluster), Debian's Chromium (Playwright drives it; it cannot download its own
# browser here), gettext tools, Kannel (the SMS gateway; the tests start their own bearerbox, smsbox and
# fakesmsc), and axe-core from npm. Installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/apt-missing.sh

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v msgfmt >/dev/null 2>&1 || need+=(gettext)
command -v npm >/dev/null 2>&1 || need+=(nodejs npm)
fc-list 2>/dev/null | grep -qi "Noto Sans Ethiopic" || need+=(fonts-noto-core)
# The annual report's PDF (WeasyPrint) lays out text with Pango; Arabic, Persian and Tigrinya come
# from fonts-noto-core above.
ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" || need+=(libpango-1.0-0 libpangoft2-1.0-0)
# tests/deploy checks deploy/nginx/forum.conf with `nginx -t` and runs it in front of gunicorn over TLS
# (a throwaway certificate from openssl).
{ [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1; } || need+=(nginx)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
# ... and the systemd units with `systemd-analyze verify`.
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
# tests/kannel.py runs a real bearerbox + smsbox (package kannel) with Kannel's fake operator fakesmsc (package
# kannel-extras), on ports of their own: a kannel service the package may start is neither used nor in the way.
{ [ -x /usr/sbin/bearerbox ] && [ -x /usr/sbin/smsbox ]; } || need+=(kannel)
[ -x /usr/lib/kannel/test/fakesmsc ] || need+=(kannel-extras)

install_missing "system packages the tests need" "${need[@]}"

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm ci --no-audit --no-fund --silent
fi
