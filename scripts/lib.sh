# Helpers shared by scripts/*: sourced, not run.

step() { printf '\n==> %s\n' "$*"; }

# Installs the Debian packages that are missing; apt-get runs only when something is missing.
require_debian_packages() {
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if ((${#missing[@]})); then
    step "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

# Creates .venv with the interpreter in $PYTHON (default: python3 on PATH) and prints its python.
venv_python() {
  if [ ! -x .venv/bin/python ]; then
    "${PYTHON:-python3}" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
  fi
  echo "$PWD/.venv/bin/python"
}

# Prints the repaired wheel scripts/test-wheels built for the interpreter $1 (build/wheels/wheelhouse).
built_wheel_for() {
  local tag
  tag=$("$1" -c 'import sys; print(f"cp{sys.version_info[0]}{sys.version_info[1]}")')
  local wheels=("$PWD"/build/wheels/wheelhouse/libbackoff-*-"$tag"-*manylinux*.whl)
  [ -f "${wheels[0]}" ] || { echo "error: scripts/test-wheels built no wheel for $tag" >&2; return 1; }
  echo "${wheels[0]}"
}
