#!/usr/bin/env python3
"""Refreshes ref-overrides.json: which properties `Ref` returns, where that is not simply
the single primary identifier of the registry schema.

The registry schemas do not say what `Ref` returns; cfn-lint assumes the primary identifier.
The AWS CDK's service database records the answer (`cfnRefIdentifier`) for the types where
that assumption is wrong or ambiguous, so this script copies those rows.

    npm pack @aws-cdk/aws-service-spec@0.1.216      # Apache-2.0
    tar xzf aws-cdk-aws-service-spec-0.1.216.tgz
    python3 tools/cfn-spec/extract_ref_overrides.py package/db.json.gz 0.1.216

The table is committed, so `regenerate.sh` needs only PyPI. Standard library only.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) != 3:
        raise SystemExit("usage: extract_ref_overrides.py DB_JSON_GZ SPEC_PACKAGE_VERSION")
    db = json.load(gzip.open(sys.argv[1]))
    overrides = {
        r["cloudFormationType"]: r["cfnRefIdentifier"]
        for r in db["schema"]["resource"]["entities"]
        if r.get("cfnRefIdentifier")
    }
    table = {
        "source": f"@aws-cdk/aws-service-spec {sys.argv[2]} (npm, Apache-2.0), field cfnRefIdentifier",
        "types": dict(sorted(overrides.items())),
    }
    out = Path(__file__).with_name("ref-overrides.json")
    out.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(overrides)} types written to {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
