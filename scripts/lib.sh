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
