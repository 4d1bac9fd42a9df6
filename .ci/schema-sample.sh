#!/usr/bin/env bash
# The generated schema sample, end to end: `tests/schema_sample.rs` builds the
# smallest resource the schema allows for every fifth CloudFormation type and
# writes each as a program; this script compiles them all with infrac and runs
# cfn-lint once over the templates. Fails if a program does not build or a
# template has a cfn-lint error; warnings are counted but pass. Types that
# cfn-lint rejects for rules the schemas do not express are excluded, with the
# reason, in the test's CFN_LINT_EXCLUSIONS.
#
# Run from anywhere: `bash .ci/schema-sample.sh`. Environment:
#   INFRAC          an infrac binary to use instead of building one
#   CFN_LINT_VENV   the virtualenv for cfn-lint (default: .venv-cfn, git-ignored;
#                   `.ci/lint-templates.sh` installs the pinned cfn-lint into it)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

VENV=${CFN_LINT_VENV:-.venv-cfn}
started=$(date +%s)

if [ ! -x "$VENV/bin/cfn-lint" ]; then
  echo "schema-sample: no cfn-lint in $VENV; run 'bash .ci/lint-templates.sh' first, which installs it" >&2
  exit 1
fi

infrac=$(infrac_binary schema-sample)

work=$(mktemp -d "${TMPDIR:-/tmp}/infrac-sample.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/programs" "$work/templates"

# --- generate the programs -------------------------------------------------------
INFRAC_SCHEMA_SAMPLE_DIR="$work/programs" cargo test --locked --quiet --test schema_sample minimal_resources_compile \
  -- --nocapture 2>&1 | grep -E '^schema sample:' || true

programs=()
while IFS= read -r -d '' file; do
  programs+=("$file")
done < <(find "$work/programs" -type f -name '*.infra' -print0 | LC_ALL=C sort -z)
if [ "${#programs[@]}" -eq 0 ]; then
  echo "schema-sample: the test wrote no programs" >&2
  exit 1
fi

# --- compile each, then one cfn-lint run ---------------------------------------------
build_failures=()
for file in "${programs[@]}"; do
  name=$(basename "${file%.infra}")
  if ! "$infrac" --color never build "$file" -o "$work/templates/$name" >"$work/build.log" 2>&1; then
    cat "$work/build.log" >&2
    build_failures+=("$name")
  fi
done

templates=()
while IFS= read -r -d '' template; do
  templates+=("$template")
done < <(find "$work/templates" -type f -name '*.template.json' -print0 | LC_ALL=C sort -z)

lint_status=0
report=$("$VENV/bin/cfn-lint" --format parseable --non-zero-exit-code error -- "${templates[@]}") || lint_status=$?
errors=$(printf '%s\n' "$report" | awk -F: '$6 ~ /^E/ { n++ } END { print n + 0 }')
warnings=$(printf '%s\n' "$report" | awk -F: '$6 ~ /^W/ { n++ } END { print n + 0 }')
rejected=$(printf '%s\n' "$report" | awk -F: '$6 ~ /^E/ { print $1 }' | sort -u | grep -c . || true)
if [ "$errors" -ne 0 ]; then
  printf '%s\n' "$report" | awk -F: '$6 ~ /^E/' | sed "s|^$work/templates/||"
fi

elapsed=$(($(date +%s) - started))
accepted=$((${#templates[@]} - rejected))
echo "schema-sample: ${#programs[@]} programs, ${#templates[@]} templates; cfn-lint accepted $accepted," \
  "rejected $rejected ($errors errors, $warnings warnings) (${elapsed}s)"

status=0
if [ "${#build_failures[@]}" -gt 0 ]; then
  echo "schema-sample: ${#build_failures[@]} program(s) failed to build:" >&2
  printf '  %s\n' "${build_failures[@]}" >&2
  status=1
fi
if [ "$lint_status" -ne 0 ] || [ "$errors" -ne 0 ]; then
  echo "schema-sample: cfn-lint found errors (exit status $lint_status)" >&2
  status=1
fi
exit "$status"
