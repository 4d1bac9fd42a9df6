# Shared by the CI scripts: `source "$(dirname "$0")/lib.sh"`, before the
# script changes to the repository root.

# A relative INFRAC names a file relative to where the script was started.
if [ -n "${INFRAC:-}" ] && [ -e "$INFRAC" ]; then
  INFRAC=$(cd "$(dirname "$INFRAC")" && pwd)/$(basename "$INFRAC")
fi

# ensure_venv WHO VENV REQUIREMENT...: makes the virtualenv VENV hold exactly
# the pinned REQUIREMENTs (pip syntax), installing them from PyPI when the
# venv is missing or was made for other pins. WHO prefixes the messages.
ensure_venv() {
  local who=$1 venv=$2
  shift 2
  local stamp="$venv/.infrac-requirements"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$*" ]; then
    return 0
  fi
  echo "$who: installing $* into $venv"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || {
      echo "$who: 'python3 -m venv' failed (on Debian: apt-get install python3-venv)" >&2
      return 1
    }
  fi
  PIP_NO_INPUT=1 "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@" || {
    echo "$who: pip could not install $* into $venv" >&2
    return 1
  }
  printf '%s' "$*" >"$stamp"
}

# infrac_binary WHO: prints the compiler to use: $INFRAC, or the dev build
# (`cargo test`, run before in CI, has built it already).
infrac_binary() {
  local who=$1 infrac
  if [ -n "${INFRAC:-}" ]; then
    infrac=$INFRAC
  else
    cargo build --locked --quiet --bin infrac >&2 || return 1
    infrac=target/debug/infrac
  fi
  if [ ! -x "$infrac" ]; then
    echo "$who: no infrac binary at '$infrac'" >&2
    return 1
  fi
  printf '%s\n' "$infrac"
}
