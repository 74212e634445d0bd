#!/usr/bin/env bash
# What pip needs to build our Python packages from source: PyICU (the reader's collation, forum_app/i18n/
# collation.py) compiles against Debian's ICU, found through pkg-config. `make install` and `make install-test`
# call this before pip; as root it installs what is missing, as anyone else it says what to install and stops.
set -euo pipefail
source "$(dirname "$0")/apt-missing.sh"

need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists icu-i18n 2>/dev/null || need+=(libicu-dev)
command -v g++ >/dev/null 2>&1 || need+=(g++)
install_missing "what PyICU is built with" "${need[@]}"
