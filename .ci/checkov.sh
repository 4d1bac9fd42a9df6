#!/usr/bin/env bash
# Runs checkov, a security-posture scanner, over every *.template.json under the
# given directories (templates that `infrac build` wrote) and fails if any check
# fails that the standard library does not allow. The allow-list comes from doc
# comments in std/*.infra of the form
#     /// checkov: CKV_AWS_18 <why this check does not apply>
# (no std/ folder, or no such lines: nothing is allowed).
#
# Usage: `bash .ci/checkov.sh DIR...` (relative directories name folders relative
# to where the script was started). Environment:
#   CHECKOV_VENV     the virtualenv for checkov (default: .venv-checkov, git-ignored)
#   CHECKOV_STD      the folder of the standard library sources (default: std)
#   CHECKOV_VERBOSE  1: also list every allowed failure, not just a count per check
#   CHECKOV_SOFT     1: report failed checks that are not allowed, but exit 0 for them
#                    (an advisory run; a crash or an unparsable template still fails)
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: bash .ci/checkov.sh DIR..." >&2
  exit 2
fi
dirs=()
for dir in "$@"; do
  if [ ! -d "$dir" ]; then
    echo "checkov: '$dir' is not a directory" >&2
    exit 2
  fi
  dirs+=("$(cd "$dir" && pwd)")
done
std=${CHECKOV_STD:-}
if [ -n "$std" ] && [ -d "$std" ]; then
  std=$(cd "$std" && pwd)
fi
source "$(dirname "$0")/lib.sh"
cd "$(dirname "$0")/.."
std=${std:-std}

# Pinned: a new checkov brings new checks, so it is upgraded on purpose. It gets
# its own virtualenv because it pins an older boto3 than moto's.
CHECKOV_VERSION=3.3.30
VENV=${CHECKOV_VENV:-.venv-checkov}

started=$(date +%s)

ensure_venv checkov "$VENV" "checkov==$CHECKOV_VERSION"

templates=()
while IFS= read -r -d '' template; do
  templates+=("$template")
done < <(find "${dirs[@]}" -type f -name '*.template.json' -print0 | LC_ALL=C sort -z)
if [ "${#templates[@]}" -eq 0 ]; then
  echo "checkov: no *.template.json under $*" >&2
  exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/infrac-checkov.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The allow-list: one check id a line, with the file and reason that allow it.
: >"$work/allowed.txt"
if [ -d "$std" ]; then
  while IFS= read -r -d '' source; do
    grep -E '^[[:space:]]*///.*checkov:[[:space:]]+CKV2?_AWS_[0-9]+' "$source" |
      sed -E "s|^.*checkov:[[:space:]]+(CKV2?_AWS_[0-9]+)[[:space:]]*(.*)$|\1\t${source#"$PWD"/}\t\2|" \
        >>"$work/allowed.txt" || true
  done < <(find "$std" -maxdepth 1 -type f -name '*.infra' -print0 | LC_ALL=C sort -z)
fi

args=()
for template in "${templates[@]}"; do
  args+=(-f "$template")
done
# checkov exits 1 when a check fails: the report below decides instead.
checkov_status=0
"$VENV/bin/checkov" --framework cloudformation --skip-download -o json --quiet \
  "${args[@]}" >"$work/report.json" 2>"$work/stderr.txt" || checkov_status=$?

status=0
"$VENV/bin/python" - "$work/report.json" "$work/allowed.txt" "$checkov_status" "$work/stderr.txt" \
  "$CHECKOV_VERSION" "${#templates[@]}" "$started" "${CHECKOV_VERBOSE:-0}" "${CHECKOV_SOFT:-0}" "${dirs[@]}" <<'EOF' || status=$?
import json, os, re, sys, time
from collections import defaultdict

(report_path, allowed_path, rc, stderr_path, version, n_templates, started, verbose, soft), dirs = sys.argv[1:10], sys.argv[10:]
rc, n_templates, started = int(rc), int(n_templates), int(started)

def fail(message):
    print(f"checkov: {message}", file=sys.stderr)
    with open(stderr_path, encoding="utf-8", errors="replace") as f:
        err = f.read().strip()
    if err:
        print("--- checkov stderr (last 40 lines)", file=sys.stderr)
        print("\n".join(err.splitlines()[-40:]), file=sys.stderr)
    sys.exit(1)

allowed = {}
with open(allowed_path, encoding="utf-8") as f:
    for line in f:
        check, source, reason = (line.rstrip("\n").split("\t") + ["", ""])[:3]
        allowed.setdefault(check, (source, reason))

with open(report_path, encoding="utf-8", errors="replace") as f:
    text = f.read()
if rc not in (0, 1):
    fail(f"checkov exited with status {rc}")
try:
    report = json.loads(text)
except ValueError as e:
    fail(f"checkov's output is not JSON ({e}): {text[:300]!r}")
# One framework and file: an object; several: a list of objects. With nothing
# to check it prints only a summary object without "results".
reports = report if isinstance(report, list) else [report]

def where(path):
    path = path or "?"
    for d in dirs:
        if path.startswith(d + "/"):
            return os.path.basename(d) + "/" + path[len(d) + 1:]
    return path.lstrip("/")

# --quiet leaves the passed checks out of "results": count them from "summary".
passed = skipped = resource_count = 0
failures, parse_errors = [], []
for r in reports:
    if not isinstance(r, dict):
        fail(f"unexpected item in checkov's output: {str(r)[:200]}")
    summary = r.get("summary", r)  # a report with nothing to check is a bare summary
    results = r.get("results") or {}
    passed += int(summary.get("passed") or 0)
    skipped += int(summary.get("skipped") or 0)
    resource_count += int(summary.get("resource_count") or 0)
    failures += results.get("failed_checks") or []
    errors = results.get("parsing_errors") or summary.get("parsing_errors_list") or []
    if not errors and int(summary.get("parsing_errors") or 0):
        # --quiet drops the list: checkov logged the files on stderr.
        with open(stderr_path, encoding="utf-8", errors="replace") as f:
            named = sorted(set(re.findall(r"error parsing (\S+?\.template\.json)", f.read())))
        errors = named or [f"{summary['parsing_errors']} file(s) (see checkov's log)"]
    parse_errors += errors

bad, ok = [], defaultdict(list)
for c in failures:
    check = c.get("check_id", "?")
    file = where(c.get("file_abs_path") or c.get("file_path"))
    line = f"{check} {c.get('resource', '?')} in {file}"
    if check in allowed:
        ok[check].append(line)
    else:
        bad.append((file, c.get("resource", "?"), check, f"{line}: {c.get('check_name', '')}"))

for *_, line in sorted(set(bad)):
    print(f"  FAILED {line}")
for check in sorted(ok):
    source, reason = allowed[check]
    if verbose == "1":
        for line in sorted(ok[check]):
            print(f"  allowed {line}")
    else:
        print(f"  allowed {check} x{len(ok[check])} ({source}: {reason})" if reason else f"  allowed {check} x{len(ok[check])} ({source})")
for p in parse_errors:
    print(f"  PARSE ERROR {where(p if isinstance(p, str) else str(p))}")

took = int(time.time()) - started
print(f"checkov {version}: {n_templates} template{'s' if n_templates != 1 else ''}, {resource_count} resources, {passed} checks passed, "
      f"{len(failures)} failed ({len(failures) - len(bad)} allowed by std, {len(bad)} not), {skipped} skipped ({took}s)")
if parse_errors:
    print("checkov: it could not parse every template", file=sys.stderr)
if bad:
    print(("checkov (advisory): " if soft == "1" else "checkov: ") + "a failed check is not allowed: fix the construct, "
          "or add a `/// checkov: CKV_... reason` doc comment to the std/*.infra construct that emits the resource",
          file=sys.stderr)
if parse_errors or (bad and soft != "1"):
    sys.exit(1)
EOF
exit "$status"
