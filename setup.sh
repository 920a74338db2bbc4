#!/usr/bin/env bash
# GridApp set-up: installs what is missing, then opens the app or runs the tests.
#
#   bash setup.sh app [ARGS...]   set up, then open GridApp on the demo street
#   bash setup.sh test [ARGS...]  set up, then run the tests (pytest ARGS); with no
#                                 ARGS, every test once: the window, CLI, printing and
#                                 rendering tests in .venv, the domain/storage/services
#                                 tests in a second venv without PySide6 (.venv-noqt),
#                                 then the time-sensitive tests again at two fixed
#                                 instants under libfaketime (this is what CI runs)
#   bash setup.sh timetravel [INSTANT...]  only the time-sensitive tests, at each
#                                 instant (UTC, faketime syntax); default: all four
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

DEBS=(fonts-noto-cjk poppler-utils xvfb xauth chromium chromium-driver faketime gdal-bin
      libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
      libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
      libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libnss3 libasound2
      libreoffice-calc-nogui  # the kpi Excel test reads workbooks back through LibreOffice
      postgresql postgresql-15-postgis-3)  # tests/pg start a throw-away district server

# Tests whose subject is dates and times: they run again under libfaketime, so a
# hidden wall-clock read or a Beijing/UTC day mix-up fails on every CI run.
TIME_SENSITIVE=(tests/domain/test_timeutil.py tests/domain/test_workdays.py
      tests/services/test_demo.py tests/services/test_cases.py tests/services/test_case_query.py
      tests/services/test_audit.py tests/services/test_tasks.py tests/services/test_auth.py
      tests/qt/reports/test_case_list.py tests/qt/people/test_audit_viewer.py
      tests/cli/test_cli_reports.py tests/services/test_grid_integrity.py)
# The layers below the window: their tests run in the venv without PySide6.
QT_FREE_DIRS=(tests/domain tests/storage tests/services)
# Instants in UTC: Beijing 2026-12-31 23:59, 2027-01-01 00:30, 2027-06-15 12:00 and
# 2028-02-29 08:00.  CI takes the first two on every run.
INSTANTS=("2026-12-31 15:59:00" "2026-12-31 16:30:00" "2027-06-15 04:00:00" "2028-02-29 00:00:00")

# Test processes (pytest-xdist) for a full run: one per core unless GRIDAPP_TEST_WORKERS says.
WORKERS="${GRIDAPP_TEST_WORKERS:-auto}"

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
    pip_q -e ".[test,postgis]"
    # GDAL's GeoPackage validator is pure Python; its GDAL bindings are not needed.
    pip_q --no-deps gdal-utils
    touch "$stamp"
  fi
}

time_travel() {
  command -v faketime >/dev/null || { say "faketime is missing (apt-get install faketime)"; return 1; }
  local at rc=0
  for at in "$@"; do
    say "time-sensitive tests with the computer's clock at $at UTC (libfaketime)"
    TZ=UTC faketime "$at" "$VENV/bin/python" -m pytest -q -p no:cacheprovider \
        -o addopts="-ra --strict-markers" -n "$WORKERS" "${TIME_SENSITIVE[@]}" || rc=1
  done
  return $rc
}

# The domain, storage and services tests once more in a second environment without
# PySide6: the layers below the window must not need Qt (issue 15).
qt_free_tests() {
  local venv="$HERE/.venv-noqt" stamp="$HERE/.venv-noqt/.gridapp-installed"
  [ -x "$venv/bin/python" ] || "$PY" -m venv "$venv"
  if [ ! -f "$stamp" ] || [ setup.cfg -nt "$stamp" ]; then
    say "installing the Qt-free test environment (.venv-noqt)"
    local reqs
    reqs=$("$VENV/bin/python" - <<'PYEOF'
import configparser
cfg = configparser.ConfigParser()
cfg.read("setup.cfg")
deps = cfg["options"]["install_requires"].splitlines()
extras = cfg["options.extras_require"]  # every extra the tests may use, not dev tools
test = [d for name in extras if name != "dev" for d in extras[name].splitlines()]
keep = [d.split("#")[0].strip() for d in deps + test]
print("\n".join(d for d in keep if d and not d.lower().startswith(("pyside6", "pytest-qt"))))
PYEOF
)
    printf '%s\n' "$reqs" > "$venv/requirements-noqt.txt"
    "$venv/bin/python" -m pip install -q -r "$venv/requirements-noqt.txt" 2>&1 | sed '/^WARNING: Location/d'
    "$venv/bin/python" -m pip install -q --no-deps -e . gdal-utils 2>&1 | sed '/^WARNING: Location/d'
    touch "$stamp"
  fi
  if "$venv/bin/python" -c 'import PySide6' 2>/dev/null; then
    say "PySide6 is in .venv-noqt: the Qt-free run would prove nothing"; return 1
  fi
  say "domain, storage and services tests without PySide6"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider -p no:pytestqt -o addopts="-ra --strict-markers" \
      -n "$WORKERS" "${QT_FREE_DIRS[@]}"
}

cmd="${1:-app}"
[ $# -gt 0 ] && shift
case "$cmd" in
  install|app|test|timetravel|qtfree) ;;
  *) echo "usage: bash setup.sh app|test|install|timetravel|qtfree [ARGS...]" >&2; exit 2 ;;
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
    # tests/pg must really run here: a missing PostgreSQL/PostGIS is an error, not a skip.
    export GRIDAPP_REQUIRE_PG=1
    set +e
    if [ $# -gt 0 ]; then
      "$VENV/bin/python" -m pytest -q "$@"
      rc=$?
    else
      # Every test once: the layers below the window run (only) without PySide6.
      "$VENV/bin/python" -m pytest -q -n "$WORKERS" "${QT_FREE_DIRS[@]/#/--ignore=}"
      rc=$?
    fi
    set -e
    if [ $rc -eq 5 ]; then say "no tests collected"; rc=0; fi
    if [ $# -eq 0 ]; then  # every stage runs, so one report shows every failure
      qt_free_tests || rc=1
      time_travel "${INSTANTS[0]}" "${INSTANTS[1]}" || rc=1
    fi
    exit $rc ;;
  qtfree) qt_free_tests ;;
  timetravel)
    export QT_QPA_PLATFORM=offscreen
    if [ $# -gt 0 ]; then time_travel "$@"; else time_travel "${INSTANTS[@]}"; fi ;;
  *) echo "usage: bash setup.sh app|test|install|timetravel|qtfree [ARGS...]" >&2; exit 2 ;;
esac
