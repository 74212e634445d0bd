#!/usr/bin/env bash
# What pip needs to build our Python packages from source: PyICU (the reader's collation, forum_app/i18n/
# collation.py) compiles against Debian's ICU, found through pkg-config. `make install` and `make install-test`
# call this before pip; as root it installs what is missing, as anyone else it says what to install and stops.
set -euo pipefail

need=()
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
pkg-config --exists icu-i18n 2>/dev/null || need+=(libicu-dev)
command -v g++ >/dev/null 2>&1 || need+=(g++)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing what PyICU is built with: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "PyICU is built with: ${need[*]}" >&2
  echo "Install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
