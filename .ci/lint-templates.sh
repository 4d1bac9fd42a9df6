#!/usr/bin/env bash
# Runs cfn-lint once over every template the test suite checks for
# consistency: every example (examples/*.infra, and examples/*/main.infra for
# an example with a library folder), every fixture that must compile
# (tests/fixtures/ok/**/*.infra, multi-file fixtures included), every corpus
# program (tests/corpus/*.infra) and every project template of `infrac init`
# (init/*/app.infra, as a new project has it). The tests that compile them
# (tests/fixtures.rs, tests/corpus.rs, tests/init.rs) write the templates when
# INFRAC_TEMPLATES_DIR is set, one folder per program
# (tests/fixtures/ok/std/s3_bucket_defaults.infra -> tests__fixtures__ok__std__s3_bucket_defaults/),
# so the programs cfn-lint sees are exactly those the tests check, split the
# way the tests split them. Fails if a test fails or any template has a
# cfn-lint error; warnings are printed but pass. The fixtures under
# cfn-lint-rejects/ show what cfn-lint rejects and infrac only warns about,
# so they are not linted.
#
# Run from anywhere: `bash .ci/lint-templates.sh`. Environment:
#   CFN_LINT_VENV   the virtualenv for cfn-lint (default: .venv-cfn, git-ignored)
#   KEEP_TEMPLATES  a directory to write the templates to (kept afterwards)
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."

# Pinned: a new cfn-lint brings new rules, so it is upgraded on purpose.
CFN_LINT_VERSION=1.58.0
VENV=${CFN_LINT_VENV:-.venv-cfn}

started=$(date +%s)

# --- cfn-lint, in its own virtualenv -----------------------------------------
ensure_venv lint-templates "$VENV" "cfn-lint==$CFN_LINT_VERSION"

# --- the templates, written by the tests that check them -----------------------
if [ -n "${KEEP_TEMPLATES:-}" ]; then
  out=$KEEP_TEMPLATES
  rm -rf "$out"
  mkdir -p "$out"
  out=$(cd "$out" && pwd)
else
  out=$(mktemp -d "${TMPDIR:-/tmp}/infrac-lint.XXXXXX")
  trap 'rm -rf "$out"' EXIT
fi

echo "lint-templates: compiling the examples, ok fixtures, corpus and project templates (cargo test --test fixtures --test corpus --test init)"
if ! INFRAC_TEMPLATES_DIR="$out" cargo test --locked --quiet --test fixtures --test corpus --test init >&2; then
  echo "lint-templates: the tests that write the templates failed" >&2
  exit 1
fi

programs=$(find "$out" -mindepth 1 -maxdepth 1 -type d -not -name '*cfn-lint-rejects*' | wc -l)
templates=()
while IFS= read -r -d '' template; do
  templates+=("$template")
done < <(find "$out" -type f -name '*.template.json' -not -path '*cfn-lint-rejects*' -print0 | LC_ALL=C sort -z)
if [ "${#templates[@]}" -eq 0 ]; then
  echo "lint-templates: no templates were written to $out" >&2
  exit 1
fi
for kind in examples tests__fixtures__ok tests__corpus init; do
  if [ -z "$(find "$out" -mindepth 1 -maxdepth 1 -type d -name "${kind}__*" -print -quit)" ]; then
    echo "lint-templates: no templates from $kind" >&2
    exit 1
  fi
done

# --- one cfn-lint run over all templates (its start-up dominates) ------------------
lint_status=0
report=$("$VENV/bin/cfn-lint" --format parseable --non-zero-exit-code error -- "${templates[@]}") || lint_status=$?
if [ -n "$report" ]; then
  # Name the program, not the temporary file.
  printf '%s\n' "$report" | sed "s|^$out/||"
fi
# parseable: file:line:column:end-line:end-column:RULE:message
errors=$(printf '%s\n' "$report" | awk -F: '$6 ~ /^E/ { n++ } END { print n + 0 }')
warnings=$(printf '%s\n' "$report" | awk -F: '$6 ~ /^W/ { n++ } END { print n + 0 }')

plural() { if [ "$1" -eq 1 ]; then echo "$1 $2"; else echo "$1 $2s"; fi; }
elapsed=$(($(date +%s) - started))
echo "cfn-lint $CFN_LINT_VERSION: $(plural "${#templates[@]}" template) from $(plural "$programs" program)," \
  "$(plural "$errors" error), $(plural "$warnings" warning) (${elapsed}s)"

if [ "$lint_status" -ne 0 ] || [ "$errors" -ne 0 ]; then
  echo "lint-templates: cfn-lint found errors (exit status $lint_status)" >&2
  exit 1
fi
