# Sourced by the install scripts: install_missing WHAT PACKAGE... installs the Debian packages that are missing
# (as root), or, as anyone else, says what to install and returns 1 for the caller to decide whether that stops it.
install_missing() {
  local what=$1
  shift
  [ $# -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing $what: $*"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "Missing $what: $*" >&2
    echo "Install them with: sudo apt-get update && sudo apt-get install -y $*" >&2
    return 1
  fi
}
