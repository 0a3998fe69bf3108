#!/usr/bin/env bash
# The two commands of the README, on a fresh Debian 12 or Raspberry Pi OS Bookworm:
#   ./dev.sh demo   set up, then run broker + collector + simulated desks on this machine
#   ./dev.sh test   set up, then run the whole test suite (what CI runs)
#   ./dev.sh setup  only set up (system packages, .venv, the project)
set -euo pipefail
cd "$(dirname "$0")"

SYSTEM_PACKAGES=(python3 python3-venv python3-pip mosquitto mosquitto-clients openssl
                 libmtdev1 libgl1 libgl1-mesa-dri libegl1 fonts-dejavu-core fonts-noto-core chromium libatomic1
                 espeak-ng)
VENV=.venv

missing_packages() {
  local missing=()
  for package in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  echo "${missing[@]:-}"
}

install_system_packages() {
  command -v dpkg-query >/dev/null || { echo "dev.sh: this needs Debian or Raspberry Pi OS (apt)"; exit 1; }
  local missing
  missing=$(missing_packages)
  [ -z "$missing" ] && return
  echo "dev.sh: installing system packages: $missing"
  if [ "$(id -u)" -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  elif sudo -n true 2>/dev/null; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get update -qq
    # shellcheck disable=SC2086
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  else
    echo "dev.sh: please install the system packages first, then run me again:"
    echo "  sudo apt-get install -y $missing"
    exit 1
  fi
  # Debian starts a system-wide mosquitto on port 1883; Taqyeem runs its own on a free port.
}

setup_python() {
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  local stamp="$VENV/.taqyeem-installed" wanted
  wanted=$(sha256sum pyproject.toml | cut -c1-16)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e ".[device,collector,test]"
    echo "$wanted" > "$stamp"
  fi
  # The install compiled the catalogs (setup.py); a .po changed since (a pull, a translator's edit) needs it again.
  "$VENV/bin/python" -m devtools.catalogs compile
}

setup() {
  install_system_packages
  setup_python
}

case "${1:-}" in
  setup)
    setup
    ;;
  demo)
    setup
    shift
    exec "$VENV/bin/python" -m devtools.demo "$@"
    ;;
  test)
    setup
    shift
    export SDL_VIDEODRIVER="${SDL_VIDEODRIVER:-offscreen}"
    "$VENV/bin/ruff" check shared device collector tests bench devtools
    "$VENV/bin/mypy" --no-error-summary shared collector device devtools
    exec "$VENV/bin/pytest" "$@"
    ;;
  *)
    echo "usage: ./dev.sh demo | test | setup"
    exit 2
    ;;
esac
