#!/usr/bin/env bash
# Compiles every example program (examples/*.infra, and examples/*/main.infra
# for an example with a library folder, whose library files are not programs
# of their own) and every fixture that must compile (tests/fixtures/ok/**/*.infra,
# except the multi-file ones, which start with a `//# file:` line and only the
# fixture harness can split), each file on its own, and runs
# cfn-lint once over all the templates they emit. Fails if any file does not
# build or any template has a cfn-lint error; warnings are printed but pass.
#
# Run from anywhere: `bash .ci/lint-templates.sh`. Environment:
#   INFRAC          an infrac binary to use instead of building one
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

# --- the compiler --------------------------------------------------------------
infrac=$(infrac_binary lint-templates)

# --- compile every program, each file separately ---------------------------------
if [ -n "${KEEP_TEMPLATES:-}" ]; then
  out=$KEEP_TEMPLATES
  rm -rf "$out"
  mkdir -p "$out"
else
  out=$(mktemp -d "${TMPDIR:-/tmp}/infrac-lint.XXXXXX")
  trap 'rm -rf "$out"' EXIT
fi

programs=()
while IFS= read -r -d '' file; do
  # A multi-file fixture (`//# file: NAME` lines) is several files in one.
  if head -n 1 "$file" | grep -q '^//# file:'; then
    continue
  fi
  programs+=("$file")
done < <(
  find examples -maxdepth 1 -type f -name '*.infra' -print0 2>/dev/null
  # An example with a library folder: its entry file only.
  find examples -mindepth 2 -maxdepth 2 -type f -name 'main.infra' -print0 2>/dev/null
  # Warning fixtures under cfn-lint-rejects/ show what cfn-lint rejects and infrac only warns about.
  find tests/fixtures/ok -type f -name '*.infra' -not -path '*/cfn-lint-rejects/*' -print0 2>/dev/null
  find tests/corpus -maxdepth 1 -type f -name '*.infra' -print0 2>/dev/null
)
if [ "${#programs[@]}" -eq 0 ]; then
  echo "lint-templates: no programs found under examples/ or tests/fixtures/ok/" >&2
  exit 1
fi
# A stable order, so that logs can be compared between runs.
mapfile -t programs < <(printf '%s\n' "${programs[@]}" | LC_ALL=C sort)

echo "lint-templates: compiling ${#programs[@]} programs with $infrac"
build_failures=()
for file in "${programs[@]}"; do
  # examples/vpc.infra -> <out>/examples__vpc: one directory per file, since
  # two files may define stacks of the same name.
  dir="$out/$(printf '%s' "${file%.infra}" | sed 's|/|__|g')"
  if ! "$infrac" --color never build "$file" -o "$dir"; then
    build_failures+=("$file")
  fi
done

templates=()
while IFS= read -r -d '' template; do
  templates+=("$template")
done < <(find "$out" -type f -name '*.template.json' -print0 | LC_ALL=C sort -z)

# --- one cfn-lint run over all templates (its start-up dominates) ------------------
lint_status=0
errors=0
warnings=0
if [ "${#templates[@]}" -gt 0 ]; then
  report=$("$VENV/bin/cfn-lint" --format parseable --non-zero-exit-code error -- "${templates[@]}") || lint_status=$?
  if [ -n "$report" ]; then
    # Name the program, not the temporary file.
    printf '%s\n' "$report" | sed "s|^$out/||"
  fi
  # parseable: file:line:column:end-line:end-column:RULE:message
  errors=$(printf '%s\n' "$report" | awk -F: '$6 ~ /^E/ { n++ } END { print n + 0 }')
  warnings=$(printf '%s\n' "$report" | awk -F: '$6 ~ /^W/ { n++ } END { print n + 0 }')
fi

plural() { if [ "$1" -eq 1 ]; then echo "$1 $2"; else echo "$1 $2s"; fi; }
elapsed=$(($(date +%s) - started))
echo "cfn-lint $CFN_LINT_VERSION: $(plural "${#templates[@]}" template) from $(plural "${#programs[@]}" program)," \
  "$(plural "$errors" error), $(plural "$warnings" warning) (${elapsed}s)"

status=0
if [ "${#build_failures[@]}" -gt 0 ]; then
  echo "lint-templates: ${#build_failures[@]} program(s) failed to build:" >&2
  printf '  %s\n' "${build_failures[@]}" >&2
  status=1
fi
if [ "${#templates[@]}" -eq 0 ]; then
  echo "lint-templates: no templates were emitted" >&2
  status=1
fi
if [ "$lint_status" -ne 0 ] || [ "$errors" -ne 0 ]; then
  echo "lint-templates: cfn-lint found errors (exit status $lint_status)" >&2
  status=1
fi
exit "$status"
