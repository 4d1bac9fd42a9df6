#!/usr/bin/env bash
# The lifecycle end to end against a local moto server: runs the `infrac`
# binary's lifecycle tests (crates/cli/tests/lifecycle_moto.rs: init, deploy,
# in-place and replacing updates, approval without a terminal, "no changes",
# several stacks in order, destroy with a retained bucket, bootstrap and a
# Lambda function whose code folder is uploaded once, to the staging bucket or
# a project's own (infrac.toml), a template over 51,200 bytes through the
# staging bucket; not the `registry_*`
# tests, which need podman and a registry: .ci/images-podman.sh), which plain
# `cargo test` lists as ignored because they need moto.
#
# Run from anywhere: `bash .ci/lifecycle-moto.sh`. Environment:
#   MOTO_VENV   the virtualenv for moto (default: .venv-moto, shared with deploy-moto.sh)
#   MOTO_PORT   the port for moto_server (default: a free one)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

VENV=${MOTO_VENV:-.venv-moto}
ensure_moto_venv lifecycle-moto "$VENV"

work=$(mktemp -d "${TMPDIR:-/tmp}/infrac-lifecycle.XXXXXX")
moto_pid=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  stop_moto
  rm -rf "$work"
}
trap cleanup EXIT

start_moto lifecycle-moto "$VENV" "$work/moto.log"
started=$(date +%s)
status=0
INFRAC_MOTO_ENDPOINT=$MOTO_ENDPOINT cargo test --locked -p infrac-cli --test lifecycle_moto -- --ignored --skip registry_ --test-threads 2 || status=$?
echo "lifecycle-moto: moto $MOTO_VERSION, $(($(date +%s) - started)) s"
if [ "$status" -ne 0 ]; then
  echo "--- moto log (last 80 lines)" >&2
  tail -n 80 "$work/moto.log" >&2
fi
exit "$status"
