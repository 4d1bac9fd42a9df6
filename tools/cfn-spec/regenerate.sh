#!/usr/bin/env bash
# Regenerates spec/cfn-spec.{index,dict,zst} and spec/source.json from a pinned cfn-lint wheel.
#
#   tools/cfn-spec/regenerate.sh           rewrite the committed files
#   tools/cfn-spec/regenerate.sh --check   fail if regenerating would change them
#   tools/cfn-spec/regenerate.sh --json F  also write the whole data, pretty-printed, to F (for review)
#
# Needs python3 (3.11) and PyPI. The Rust build never runs this: the output is committed.
# To move to a newer cfn-lint, change CFN_LINT_VERSION and CFN_LINT_SHA256 together
# (the hash is printed by `sha256sum` on the downloaded wheel), rerun, and review the diff
# of the --json output against the previous one.
set -euo pipefail

CFN_LINT_VERSION=1.58.0
CFN_LINT_SHA256=9d9f06043160756a6158f5c3f92a44ce38254b1c578127461608305bc8262987
ZSTANDARD_VERSION=0.25.0
SPEC_FILES="cfn-spec.index cfn-spec.dict cfn-spec.zst source.json"

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
venv=${CFN_SPEC_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/infrac/cfn-spec-venv}

check=0
review_json=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) check=1 ;;
    --json) review_json=(--json "$2"); shift ;;
    *) echo "usage: $0 [--check] [--json FILE]" >&2; exit 2 ;;
  esac
  shift
done

if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check "zstandard==$ZSTANDARD_VERSION"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$venv/bin/pip" download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  "cfn-lint==$CFN_LINT_VERSION" -d "$tmp"
wheel="$tmp/cfn_lint-$CFN_LINT_VERSION-py3-none-any.whl"
echo "$CFN_LINT_SHA256  $wheel" | sha256sum --check --quiet -

mkdir "$tmp/spec"
"$venv/bin/python" "$here/generate.py" "$wheel" --ref-overrides "$here/ref-overrides.json" \
  --spec-dir "$tmp/spec" --source "$tmp/spec/source.json" "${review_json[@]}"

if [ "$check" = 1 ]; then
  for file in $SPEC_FILES; do
    cmp "$tmp/spec/$file" "$root/spec/$file"
  done
  echo "spec/ is up to date"
else
  mkdir -p "$root/spec"
  rm -f "$root/spec/cfn-spec.json.zst"  # format 1's single file
  for file in $SPEC_FILES; do
    cp "$tmp/spec/$file" "$root/spec/$file"
  done
fi
