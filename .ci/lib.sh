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

# moto and boto3, pinned once for every script that runs moto: its
# CloudFormation emulation changes between releases.
MOTO_VERSION=5.2.5
BOTO3_VERSION=1.44.8

# ensure_moto_venv WHO VENV: the virtualenv VENV with the pinned moto server.
ensure_moto_venv() {
  ensure_venv "$1" "$2" "moto[server]==$MOTO_VERSION" "boto3==$BOTO3_VERSION"
}

# start_moto WHO VENV LOG: starts moto_server from VENV on a free loopback
# port (or $MOTO_PORT), logging to LOG, and waits until it answers. Sets
# MOTO_ENDPOINT and moto_pid (the caller stops it). Fails, showing the log,
# if it does not start.
start_moto() {
  local who=$1 venv=$2 log=$3 port
  port=${MOTO_PORT:-$("$venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  MOTO_ENDPOINT="http://127.0.0.1:$port"
  PYTHONUNBUFFERED=1 "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  moto_pid=$!
  if ! "$venv/bin/python" - "$MOTO_ENDPOINT" "$moto_pid" "$who" <<'EOF'; then
import os, sys, time, urllib.request
endpoint, pid, who = sys.argv[1], int(sys.argv[2]), sys.argv[3]
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    try:
        urllib.request.urlopen(endpoint + "/moto-api/", timeout=2).read()
        sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
    except OSError:
        print(f"{who}: moto_server exited during start-up", file=sys.stderr)
        sys.exit(1)
    time.sleep(0.1)
print(f"{who}: moto_server did not answer within 60 s", file=sys.stderr)
sys.exit(1)
EOF
    echo "--- moto log" >&2
    cat "$log" >&2
    return 1
  fi
}

# stop_moto: stops the server start_moto started, if it is running.
stop_moto() {
  if [ -n "${moto_pid:-}" ]; then
    kill "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
}
