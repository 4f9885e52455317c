#!/usr/bin/env bash
# The non-browser tests a second time, on the Python an Android build bundles (3.13) with the binary
# packages at the mobile index's versions (scripts/mobile_index.toml: Pillow 12.2.0, cryptography
# 43.0.1, orjson 3.11.9, cffi 2.0.0) and no pillow-heif, all from PyPI: code that works only with the
# desktop versions fails here. `make test` runs it after the main suite.
#
# The venv (.venv-mobile) is made again only when pyproject.toml, constraints.txt or the index file
# change. Python 3.13 is looked for as FIRESWEEP_PYTHON313, python3.13 on PATH, then in pyenv's
# versions (PYENV_ROOT, `pyenv root`, ~/.pyenv), then /usr/local/bin and /usr/bin. Without it the run is
# skipped with a warning, or fails under CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-mobile
desktop_python=${DESKTOP_PYTHON:-.venv/bin/python}   # the desktop venv (`make test` names its own)

is_313() { [ -x "$1" ] && [ "$("$1" -c 'import sys; print(sys.version_info[:2] == (3, 13))' 2>/dev/null)" = True ]; }

find_python313() {
  local candidates=()
  [ -n "${FIRESWEEP_PYTHON313:-}" ] && candidates+=("$FIRESWEEP_PYTHON313")
  command -v python3.13 >/dev/null 2>&1 && candidates+=("$(command -v python3.13)")
  local roots=("${PYENV_ROOT:-}" "$(pyenv root 2>/dev/null || true)" "$HOME/.pyenv")
  for root in "${roots[@]}"; do
    [ -n "$root" ] || continue
    # newest 3.13.x first
    while IFS= read -r dir; do candidates+=("$dir/bin/python3.13"); done \
      < <(ls -d "$root"/versions/3.13.* 2>/dev/null | sort -t. -k3 -n -r)
  done
  candidates+=(/usr/local/bin/python3.13 /usr/bin/python3.13)
  for python in "${candidates[@]}"; do
    if is_313 "$python"; then echo "$python"; return 0; fi
  done
  return 1
}

if ! python=$(find_python313); then
  msg="Python 3.13 not found (set FIRESWEEP_PYTHON313, or install it, e.g. pyenv install 3.13): the mobile-versions test run cannot run"
  if [ "${CI:-}" = "true" ]; then echo "error: $msg" >&2; exit 1; fi
  echo "warning: $msg; skipped" >&2
  exit 0
fi

stamp="$venv/.installed-$(cat pyproject.toml constraints.txt scripts/mobile_index.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || ! is_313 "$venv/bin/python"; then
  echo "making $venv with $python and the mobile index's versions"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  constraints="$venv/constraints-mobile.txt"
  "$desktop_python" scripts/mobile_check.py --constraints > "$constraints"
  "$venv/bin/python" -m pip install -q -c "$constraints" -e '.[test]'
  touch "$stamp"
fi

"$venv/bin/python" scripts/mobile_check.py --installed
# Left to the main run, to keep this one lean (it takes ~2.5 min of CPU): checklist fuzzing touches no
# binary package, and the SIGKILL walks measure the machine's load more than a library's version.
exec "$venv/bin/python" -m pytest -m "not browser" -q -p no:cacheprovider \
  --ignore=tests/integration/test_fuzz_checklist.py --ignore=tests/integration/test_crash_kill.py \
  --ignore=tests/integration/test_crash_services.py
