#!/usr/bin/env bash
# Editor support checks: the TextMate grammar, the VS Code extension, the
# tree-sitter grammar and the language server in Neovim. Run from the
# repository root: `bash .ci/editors.sh`.
#
# Installs what it needs: npm packages with `npm ci` (editors/vscode), the
# tree-sitter CLI with `cargo install` unless the pinned version is already
# on PATH or in ~/.cargo/bin (the build takes about 4 minutes on 1 core, 2-3
# on 2), and Neovim from Debian's packages when it is missing and the script
# runs as root. Needs node >= 20, npm, cargo and a C compiler.
#
# Environment:
#   EDITORS_CARGO_JOBS  jobs for building tree-sitter-cli (default: 2 when
#                       CI=true, else 1, to leave a core to other work)
set -euo pipefail

TREE_SITTER_VERSION=0.27.1

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
started=$SECONDS
passed=0
failed=0
failures=()

step() {
  printf '\n== %s\n' "$*"
}

# Runs one named check; a failure is counted and reported at the end, and
# the remaining checks still run. (Inside `if`, `set -e` is off: the check
# functions below return their failures explicitly.)
check() {
  local name=$1
  shift
  step "$name"
  local t0=$SECONDS
  if "$@"; then
    passed=$((passed + 1))
    echo "-- ok: $name ($((SECONDS - t0)) s)"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "-- FAILED: $name"
  fi
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- Tools -------------------------------------------------------------------

step "npm ci (editors/vscode)"
(cd editors/vscode && npm ci --no-audit --no-fund)

step "tree-sitter CLI $TREE_SITTER_VERSION"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if tree-sitter --version 2>/dev/null | grep -qx "tree-sitter $TREE_SITTER_VERSION"; then
  echo "found $(command -v tree-sitter)"
else
  # `npm install tree-sitter-cli` downloads a binary from GitHub in its
  # postinstall, which only package registries can serve here: build it.
  jobs=${EDITORS_CARGO_JOBS:-$([ "${CI:-}" = true ] && echo 2 || echo 1)}
  t0=$SECONDS
  cargo install tree-sitter-cli --version "$TREE_SITTER_VERSION" --locked -j "$jobs"
  echo "built tree-sitter-cli in $((SECONDS - t0)) s"
fi
tree-sitter --version
# A config of its own (with an empty parser directory) keeps the CLI from
# warning that none is configured.
export TREE_SITTER_DIR="$tmp/tree-sitter"
mkdir -p "$TREE_SITTER_DIR/parsers"
printf '{"parser-directories": ["%s"]}\n' "$TREE_SITTER_DIR/parsers" >"$TREE_SITTER_DIR/config.json"

# --- Samples -------------------------------------------------------------------

# Every valid program in the repository that editors must handle: the
# examples, the compiler's ok fixtures, the standard library and the grammar
# test samples. grammar/tests/invalid/ holds broken ones.
samples=()
for dir in examples tests/fixtures/ok std src/std grammar/tests; do
  if [ -d "$dir" ]; then
    while IFS= read -r -d '' file; do
      # A fixture that holds a non-infra file (`//# file: run.sh`, for
      # `file(...)`) is not one program text.
      if grep '^//# file: ' "$file" | grep -qv '\.infra$'; then
        continue
      fi
      samples+=("$file")
    done < <(find "$dir" -name '*.infra' -not -path 'grammar/tests/invalid/*' -print0 | sort -z)
  else
    echo "note: no $dir/ yet"
  fi
done
invalid=(grammar/tests/invalid/*.infra)
echo "${#samples[@]} valid sample(s), ${#invalid[@]} invalid one(s)"

# --- TextMate grammar ---------------------------------------------------------

check "TextMate grammar: annotated tests in grammar/tests (vscode-tmgrammar-test)" \
  bash -c 'cd editors/vscode && npm run --silent test:grammar'

check "TextMate grammar: every sample tokenizes with nothing invalid or left open" \
  node editors/vscode/scripts/check-textmate.js "${samples[@]}"

textmate_flags_each() {
  local f status=0
  for f in "$@"; do
    if node editors/vscode/scripts/check-textmate.js "$f"; then
      echo "$f: nothing flagged, but it is broken on purpose"
      status=1
    fi
  done
  return $status
}
check "TextMate grammar: each invalid sample is flagged" textmate_flags_each "${invalid[@]}"

# --- VS Code extension ----------------------------------------------------------

check "VS Code extension: manifest, language configuration, snippets (node --test)" \
  bash -c 'cd editors/vscode && npm test'

package_vsix() {
  rm -f editors/vscode/*.vsix
  (cd editors/vscode && npm run package) 2>&1 | tee "$tmp/vsce.log"
  local status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] || return "$status"
  if grep -Ei 'warning|do you want to continue' "$tmp/vsce.log"; then
    echo "vsce printed warnings"
    return 1
  fi
  local vsix
  vsix=$(ls editors/vscode/*.vsix)
  unzip -l "$vsix"
  # The grammar in the package must be the one in grammar/.
  unzip -p "$vsix" extension/syntaxes/infra.tmLanguage.json | cmp - grammar/infra.tmLanguage.json ||
    { echo "the packaged grammar differs from grammar/infra.tmLanguage.json"; return 1; }
  for entry in extension/package.json extension/dist/extension.js extension/language-configuration.json \
    extension/snippets/infra.code-snippets extension/readme.md extension/LICENSE.txt; do
    unzip -l "$vsix" "$entry" >/dev/null || { echo "missing $entry"; return 1; }
  done
  if unzip -l "$vsix" | grep -E 'node_modules|/test/|/scripts/'; then
    echo "the package holds files it should not"
    return 1
  fi
}
check "VS Code extension: vsce package without warnings" package_vsix

# --- tree-sitter grammar ----------------------------------------------------------

ts_dir=grammar/tree-sitter-infra

generated_is_current() {
  # Regenerate in a copy and compare with the committed parser.
  cp -r "$ts_dir" "$tmp/regenerated" || return 1
  (cd "$tmp/regenerated" && tree-sitter generate) || return 1
  diff -r "$ts_dir/src" "$tmp/regenerated/src" >/dev/null || {
    diff -r "$ts_dir/src" "$tmp/regenerated/src" | head -20
    echo "src/ is stale: run tree-sitter generate in $ts_dir and commit src/"
    return 1
  }
  echo "src/ matches grammar.js"
}
check "tree-sitter: the committed parser is generated from grammar.js" generated_is_current

check "tree-sitter: corpus and highlight tests (tree-sitter test)" \
  bash -c "cd $ts_dir && tree-sitter test"

parse_all() {
  local abs=()
  local f
  for f in "$@"; do abs+=("$root/$f"); done
  (cd "$ts_dir" && tree-sitter parse --quiet --stat "${abs[@]}")
}
check "tree-sitter: every sample parses without ERROR or MISSING nodes" parse_all "${samples[@]}"

parse_must_fail() {
  local f status=0
  for f in "$@"; do
    if (cd "$ts_dir" && tree-sitter parse --quiet "$root/$f" >/dev/null 2>&1); then
      echo "$f parsed without errors, but it is broken on purpose"
      status=1
    else
      echo "$f: errors found, as expected"
    fi
  done
  return $status
}
check "tree-sitter: the invalid samples do not parse" parse_must_fail "${invalid[@]}"

check "tree-sitter: every token has exactly one highlight" \
  node "$ts_dir/test/check-highlights.js" "${samples[@]}" "$ts_dir"/test/highlight/*.infra

check "tree-sitter: Helix and Zed queries are up to date" \
  node "$ts_dir/scripts/editor-queries.js" --check

queries_compile() {
  local q
  for q in "$ts_dir"/queries/*/highlights.scm; do
    (cd "$ts_dir" && tree-sitter query --quiet "$root/$q" "$root/grammar/tests/program.infra") || return 1
    echo "$q compiles"
  done
}
check "tree-sitter: the Helix and Zed queries compile" queries_compile

# --- The language server in a real editor ------------------------------------------

# Neovim (headless) starts the server, opens a program with a mistake, and
# checks that its diagnostic, a hover and a completion arrive
# (editors/neovim/test-lsp.lua). The server is `infrac lsp`; INFRAC_LSP
# overrides the command.
neovim_lsp() {
  if ! command -v nvim >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      export DEBIAN_FRONTEND=noninteractive
      apt-get install -y -qq neovim >/dev/null || { apt-get update -qq && apt-get install -y -qq neovim >/dev/null; } ||
        return 1
    else
      echo "nvim is not installed"
      return 1
    fi
  fi
  nvim --version | head -1
  local server=${INFRAC_LSP:-}
  if [ -z "$server" ]; then
    cargo build -q --locked --bin infrac || return 1
    server="${CARGO_TARGET_DIR:-$root/target}/debug/infrac lsp"
  fi
  local work="$tmp/neovim"
  mkdir -p "$work"
  cp editors/neovim/mistake.infra "$work/"
  HOME="$work" XDG_CACHE_HOME="$work/.cache" INFRAC_LSP="$server" timeout 120 \
    nvim --headless -u NONE -c "luafile $root/editors/neovim/test-lsp.lua" "$work/mistake.infra"
}
check "Neovim: the language server's diagnostics, hover and completion arrive" neovim_lsp

# --- Summary ------------------------------------------------------------------------

echo
echo "editors: checks took $((SECONDS - started)) s"
for name in "${failures[@]}"; do
  echo "FAILED: $name"
done
echo "editors: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
