#!/usr/bin/env bash
# Image assets end to end: a program with `docker_image(...)` deployed by the
# `infrac` binary against moto (CloudFormation, S3, ECR's API) while the
# image is built with podman and pushed to a local registry (Debian's
# `docker-registry`), since moto serves no registry; a second deploy builds and
# pushes nothing, and an image is published to a repository of another,
# deployed stack (crates/cli/tests/lifecycle_moto.rs, the `registry_*` tests).
#
# Installs podman and docker-registry from Debian when missing (needs root
# and apt), runs podman daemonless with the vfs storage driver and chroot
# isolation (no user namespaces or overlay needed), and lets it speak plain
# HTTP to the registry through its own registries.conf rather than the
# machine's. Run from anywhere: `bash .ci/images-podman.sh`. Environment:
#   MOTO_VENV       the virtualenv for moto (default: .venv-moto)
#   REGISTRY_PORT   the registry's port on 127.0.0.1 (default: 5000)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

VENV=${MOTO_VENV:-.venv-moto}
REGISTRY_PORT=${REGISTRY_PORT:-5000}
ensure_moto_venv images-podman "$VENV"

if ! command -v podman >/dev/null || ! command -v docker-registry >/dev/null; then
  echo "images-podman: installing podman and docker-registry from Debian"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q podman docker-registry >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/infrac-images.XXXXXX")
moto_pid=
registry_pid=
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  for pid in "$moto_pid" "$registry_pid"; do
    if [ -n "$pid" ]; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap cleanup EXIT

registry=127.0.0.1:$REGISTRY_PORT
cat >"$work/registry.yml" <<CONFIG
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/registry
http:
  addr: $registry
CONFIG
docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 50); do
  curl -fs "http://$registry/v2/" >/dev/null && break
  sleep 0.1
done
curl -fs "http://$registry/v2/" >/dev/null || { cat "$work/registry.log" >&2; exit 1; }

printf '[[registry]]\nlocation = "%s"\ninsecure = true\n' "$registry" >"$work/registries.conf"
export CONTAINERS_REGISTRIES_CONF=$work/registries.conf
export STORAGE_DRIVER=vfs BUILDAH_ISOLATION=chroot
export REGISTRY_AUTH_FILE=$work/auth.json

start_moto images-podman "$VENV" "$work/moto.log"
started=$(date +%s)
status=0
INFRAC_MOTO_ENDPOINT=$MOTO_ENDPOINT INFRAC_TEST_REGISTRY=$registry \
  cargo test --locked -p infrac-cli --test lifecycle_moto -- --ignored registry_ --test-threads 1 || status=$?
echo "images-podman: podman $(podman --version | awk '{print $3}'), $(($(date +%s) - started)) s"
if [ "$status" -ne 0 ]; then
  echo "--- moto log (last 40 lines)" >&2
  tail -n 40 "$work/moto.log" >&2
  echo "--- registry log (last 20 lines)" >&2
  tail -n 20 "$work/registry.log" >&2
fi
exit "$status"
