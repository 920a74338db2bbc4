#!/usr/bin/env bash
# GridApp set-up: installs what is missing, then opens the app or runs the tests.
#
#   bash setup.sh app [ARGS...]   set up, then open GridApp on the demo street
#   bash setup.sh test [ARGS...]  set up, then run the whole test suite (pytest ARGS)
#   bash setup.sh install         set up only
#
# System packages come from Debian (apt-get, with sudo when not root); Python
# packages go into .venv next to this file.  Safe to run again: it only installs
# what is missing.
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
VENV="$HERE/.venv"
PY="${PYTHON:-python3}"

DEBS=(fonts-noto-cjk poppler-utils xvfb xauth chromium
      libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
      libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
      libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libnss3 libasound2)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

install_debs() {
  command -v dpkg >/dev/null || { say "not a Debian system: install ${DEBS[*]} yourself"; return; }
  local missing=()
  for p in "${DEBS[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then missing+=(python3-venv); fi
  [ ${#missing[@]} -eq 0 ] && return
  say "installing Debian packages: ${missing[*]}"
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_python() {
  "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    say "GridApp needs Python 3.11 or newer ($PY is $("$PY" --version))"; exit 1; }
  [ -x "$VENV/bin/python" ] || { say "creating $VENV"; "$PY" -m venv "$VENV"; }
  local stamp="$VENV/.gridapp-installed"
  if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ]; then
    say "installing Python packages into .venv"
    pip_q() { "$VENV/bin/python" -m pip install -q "$@" 2>&1 | sed '/^WARNING: Location/d'; }
    pip_q --upgrade pip
    pip_q -e ".[test]"
    # GDAL's GeoPackage validator is pure Python; its GDAL bindings are not needed.
    pip_q --no-deps gdal-utils
    touch "$stamp"
  fi
}

cmd="${1:-app}"
[ $# -gt 0 ] && shift
case "$cmd" in
  install|app|test) ;;
  *) echo "usage: bash setup.sh app|test|install [ARGS...]" >&2; exit 2 ;;
esac
install_debs
install_python

case "$cmd" in
  install) say "ready: .venv/bin/python main.py" ;;
  app)
    if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
      say "no screen found: starting on a virtual screen (xvfb-run)"
      exec xvfb-run -a -s "-screen 0 1600x1000x24" "$VENV/bin/python" main.py "$@"
    fi
    exec "$VENV/bin/python" main.py "$@" ;;
  test)
    export QT_QPA_PLATFORM=offscreen
    set +e
    "$VENV/bin/python" -m pytest -q "$@"
    rc=$?
    set -e
    if [ $rc -eq 5 ]; then say "no tests collected"; rc=0; fi
    exit $rc ;;
  *) echo "usage: bash setup.sh app|test|install [ARGS...]" >&2; exit 2 ;;
esac
