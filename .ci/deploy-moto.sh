#!/usr/bin/env bash
# Deploys every example program to a local moto server, a stand-in for the
# CloudFormation API: compiles each example (examples/*.infra, and
# examples/*/main.infra for an example with a library folder), the construct
# library's fixtures and the project templates of `infrac init`
# (init/*/app.infra, whose stack is called ProjectName there) with
# `infrac build`, then tests/peer/deploy.py creates its stacks in the order of
# manifest.json and checks that each one reaches CREATE_COMPLETE. moto is reset
# between examples. Examples that moto cannot deploy are listed, with the
# reason, in tests/peer/moto-gaps.txt: they are still tried and reported as
# skipped. Fails if any example does not build or deploy.
#
# Run from anywhere: `bash .ci/deploy-moto.sh`. Environment:
#   INFRAC      an infrac binary to use instead of building one
#   MOTO_VENV   the virtualenv for moto and boto3 (default: .venv-moto, git-ignored)
#   MOTO_PORT   the port for moto_server (default: a free one)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

VENV=${MOTO_VENV:-.venv-moto}

started=$(date +%s)

# --- moto and boto3, in their own virtualenv ------------------------------------
ensure_moto_venv deploy-moto "$VENV"

# --- the compiler --------------------------------------------------------------
infrac=$(infrac_binary deploy-moto)

work=$(mktemp -d "${TMPDIR:-/tmp}/infrac-moto.XXXXXX")
moto_pid=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  stop_moto
  rm -rf "$work"
}
trap cleanup EXIT

# --- compile every example ---------------------------------------------------------
examples=()
while IFS= read -r -d '' file; do
  examples+=("$file")
done < <(
  find examples -maxdepth 1 -type f -name '*.infra' -print0 2>/dev/null
  # An example with a library folder: its entry file only.
  find examples -mindepth 2 -maxdepth 2 -type f -name 'main.infra' -print0 2>/dev/null
  # The construct library's fixtures: every construct, with defaults and with options.
  find tests/fixtures/ok/std -maxdepth 1 -type f -name '*.infra' -print0 2>/dev/null
  # The project templates of `infrac init`, as they are in the repository.
  find init -mindepth 2 -maxdepth 2 -type f -name 'app.infra' -print0 2>/dev/null
)
if [ "${#examples[@]}" -eq 0 ]; then
  echo "deploy-moto: no examples found under examples/" >&2
  exit 1
fi
mapfile -t examples < <(printf '%s\n' "${examples[@]}" | LC_ALL=C sort)

pairs=()
for file in "${examples[@]}"; do
  dir="$work/out/$(printf '%s' "${file%.infra}" | sed 's|/|__|g')"
  # A failed build leaves no manifest: deploy.py reports it as a failure.
  if ! "$infrac" --color never build "$file" -o "$dir" >"$work/build.log" 2>&1; then
    echo "deploy-moto: infrac build $file failed:" >&2
    sed 's/^/  /' "$work/build.log" >&2
    rm -rf "$dir"
  fi
  pairs+=("$file=$dir")
done

# --- moto server ---------------------------------------------------------------------
log="$work/moto.log"
start_moto deploy-moto "$VENV" "$log"
endpoint=$MOTO_ENDPOINT

# --- deploy ------------------------------------------------------------------------
# Fake credentials, and nothing from the machine's AWS configuration.
status=0
env -u AWS_PROFILE -u AWS_ENDPOINT_URL -u AWS_ENDPOINT_URL_CLOUDFORMATION \
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing \
  AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true \
  AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
  "$VENV/bin/python" tests/peer/deploy.py --endpoint "$endpoint" --moto-log "$log" \
  --gaps tests/peer/moto-gaps.txt --started "$started" --label "moto $MOTO_VERSION" \
  -- "${pairs[@]}" || status=$?

if [ "$status" -ne 0 ]; then
  echo "--- moto.log (last 80 lines)" >&2
  tail -n 80 "$log" >&2
fi
exit "$status"
