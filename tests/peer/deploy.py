#!/usr/bin/env python3
"""Deploys compiled infrac programs to a moto server and checks that every stack is created.

Usage (.ci/deploy-moto.sh runs it, with fake AWS credentials in the environment):

    deploy.py --endpoint http://127.0.0.1:PORT [--moto-log moto.log] [--gaps moto-gaps.txt] \
        -- EXAMPLE=OUTDIR ...

EXAMPLE is the program's path as written in the gaps file (e.g. examples/vpc.infra); OUTDIR is
the directory `infrac build EXAMPLE -o OUTDIR` wrote, with a manifest.json whose stacks are in
deploy order (name, template, depends_on, parameters). A missing manifest means the build failed.

For each example: reset moto (POST /moto-api/reset), CreateStack every stack in manifest order
(moto creates synchronously), and check that DescribeStacks says CREATE_COMPLETE. Template
parameters without a Default need a value from a `param` line of the gaps file. Prints one line
per example, and last `deploy: N passed, N failed, N skipped`; exits 1 if any example failed.

An example listed on a `gap` line is still deployed: a failure whose message contains the line's
ERROR TEXT is reported as skipped; a failure with another message fails (a new problem hidden
behind a known one), and a success is reported so that the stale entry is noticed and removed.

The manifest's file assets (`asset(...)`) are uploaded first, as `infrac deploy` would, to their
destination bucket in moto's S3 (a Lambda function's code must be there). Its images
(`docker_image(...)`) are not built: moto has no image registry, and its ECS never pulls one, so
a service runs on the image URI the template names (.ci/images-podman.sh builds and pushes images).

Resource types that moto does not model are skipped by moto itself with only a log line and the
stack still completes: they are reported on the example's line for information, not as failures.
"""

import argparse
import json
import os
import re
import sys
import time
import urllib.request
from collections import Counter

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

# Real CloudFormation refuses IAM resources and macros without these; moto ignores them.
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]


# The account moto answers as.
MOTO_ACCOUNT = "123456789012"


class DeployError(Exception):
    pass


def read_gaps(path):
    """Reads the gaps file: `gap EXAMPLE | ERROR TEXT | REASON` and `param EXAMPLE STACK NAME=VALUE`."""
    gaps, params = {}, {}
    if not path or not os.path.exists(path):
        return gaps, params
    with open(path, encoding="utf-8") as f:
        for number, raw in enumerate(f, 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            keyword, _, rest = line.partition(" ")
            where = f"{path}:{number}"
            if keyword == "gap":
                fields = [x.strip() for x in rest.split("|")]
                if len(fields) != 3 or not all(fields):
                    sys.exit(f"{where}: expected `gap EXAMPLE | ERROR TEXT | REASON`")
                gaps[fields[0]] = (fields[1], fields[2])
            elif keyword == "param":
                words = rest.split(None, 2)
                if len(words) != 3 or "=" not in words[2]:
                    sys.exit(f"{where}: expected `param EXAMPLE STACK NAME=VALUE`")
                name, value = words[2].split("=", 1)
                params.setdefault((words[0], words[1]), {})[name.strip()] = value.strip()
            else:
                sys.exit(f"{where}: expected a `gap` or `param` line")
    return gaps, params


def modelled_types():
    """The resource types moto's CloudFormation creates; None if moto cannot be imported."""
    try:
        from moto.cloudformation.parsing import get_model_map

        return set(get_model_map())
    except Exception:  # information only
        return None


class MotoLog:
    """Finds the exception behind a moto HTTP 500 in the server's log."""

    # The last line of a Python traceback: `KeyError: 0`, `moto.x.FooError: ...`.
    EXCEPTION = re.compile(r"^([A-Za-z_][\w.]*(?:Error|Exception|Exit|NotImplemented\w*))(?::\s?(.*))?$")

    def __init__(self, path):
        self.path = path
        self.offset = self._size()

    def _size(self):
        try:
            return os.path.getsize(self.path) if self.path else 0
        except OSError:
            return 0

    def mark(self):
        self.offset = self._size()

    def last_exception(self):
        if not self.path:
            return None
        time.sleep(0.05)  # the server may still be writing the traceback
        try:
            with open(self.path, encoding="utf-8", errors="replace") as f:
                f.seek(self.offset)
                text = f.read()
        except OSError:
            return None
        found = None
        for line in text.splitlines():
            m = self.EXCEPTION.match(line.strip())
            if m:
                found = m.group(0)
        return found


def short(text, limit=300):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Harness:
    def __init__(self, endpoint, log, gaps, params, model):
        self.endpoint = endpoint.rstrip("/")
        self.log = log
        self.gaps = gaps
        self.params = params
        self.model = model
        self.cfn = boto3.client(
            "cloudformation",
            endpoint_url=self.endpoint,
            region_name="us-east-1",
            config=Config(retries={"max_attempts": 1, "mode": "standard"}, read_timeout=120, connect_timeout=10),
        )

    def publish(self, outdir, manifest):
        """Uploads the manifest's file assets to moto's S3, making their bucket."""
        s3 = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1")
        for asset in manifest.get("assets", []):
            destination = asset["destination"]
            bucket = destination["bucket"].replace("${AWS::AccountId}", MOTO_ACCOUNT).replace("${AWS::Region}", "us-east-1")
            existing = [b["Name"] for b in self.call("ListBuckets", s3.list_buckets).get("Buckets", [])]
            if bucket not in existing:
                self.call(f"CreateBucket {bucket}", s3.create_bucket, Bucket=bucket)
            with open(os.path.join(outdir, asset["file"]), "rb") as f:
                self.call(f"PutObject {destination['key']}", s3.put_object, Bucket=bucket, Key=destination["key"], Body=f.read())

    def reset(self):
        request = urllib.request.Request(self.endpoint + "/moto-api/reset", data=b"", method="POST")
        urllib.request.urlopen(request, timeout=60).read()

    def call(self, what, fn, **kwargs):
        """Calls the API; turns its errors into DeployError with the cause (moto.log for a 500).

        A read (Describe*, List*) that fails without an API error is tried
        again, twice: moto's server now and then answers a poll with an HTML
        500 that the next call does not repeat. Writes are never retried, so
        a real failure is reported as it happened.
        """
        attempts = 3 if what.startswith(("Describe", "List")) else 1
        for attempt in range(1, attempts + 1):
            self.log.mark()
            try:
                return fn(**kwargs)
            except ClientError as e:
                err = e.response.get("Error", {})
                raise DeployError(f"{what}: {err.get('Code', '?')}: {short(err.get('Message', e))}") from None
            except Exception as e:  # a moto 500 is a botocore ResponseParserError
                if attempt < attempts:
                    time.sleep(0.5 * attempt)
                    continue
                cause = self.log.last_exception()
                if cause:
                    raise DeployError(f"{what}: moto 500: {short(cause)}") from None
                raise DeployError(f"{what}: {type(e).__name__}: {short(e)}") from None

    def stack_parameters(self, example, stack, template):
        given = self.params.get((example, stack["name"]), {})
        declared = template.get("Parameters", {}) or {}
        for name in given:
            if name not in declared:
                raise DeployError(f"stack {stack['name']}: the gaps file sets parameter {name}, which the template does not declare")
        for name in stack.get("parameters", []):
            if name not in declared:
                raise DeployError(f"stack {stack['name']}: manifest parameter {name} is not in the template")
        missing = [n for n, p in declared.items() if "Default" not in p and n not in given]
        if missing:
            raise DeployError(
                f"stack {stack['name']}: {plural(len(missing), 'parameter')} without a Default ({', '.join(missing)}); "
                f"give values with `param {example} {stack['name']} NAME=VALUE` in the gaps file"
            )
        return [{"ParameterKey": k, "ParameterValue": v} for k, v in given.items()]

    def deploy(self, example, outdir):
        """Deploys one example; returns (stacks, resources created, info notes)."""
        manifest_path = os.path.join(outdir, "manifest.json")
        if not os.path.exists(manifest_path):
            raise DeployError("no manifest.json (infrac build failed)")
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f)
        stacks = manifest.get("stacks", [])
        if not stacks:
            raise DeployError("the manifest lists no stacks")
        self.reset()
        self.publish(outdir, manifest)
        created, resources = [], 0
        unmodelled = Counter()
        for stack in stacks:
            name = stack["name"]
            for dep in stack.get("depends_on", []):
                if dep not in created:
                    raise DeployError(f"stack {name} depends on {dep}, which the manifest does not list before it")
            with open(os.path.join(outdir, stack["template"]), encoding="utf-8") as f:
                body = f.read()
            template = json.loads(body)
            if self.model is not None:
                for r in (template.get("Resources") or {}).values():
                    t = r.get("Type", "")
                    if t not in self.model and not t.startswith("Custom::"):
                        unmodelled[t] += 1
            parameters = self.stack_parameters(example, stack, template)
            self.call(
                f"CreateStack {name}",
                self.cfn.create_stack,
                StackName=name,
                TemplateBody=body,
                Parameters=parameters,
                Capabilities=CAPABILITIES,
            )
            described = self.call(f"DescribeStacks {name}", self.cfn.describe_stacks, StackName=name)["Stacks"][0]
            status = described.get("StackStatus")
            if status != "CREATE_COMPLETE":
                reason = described.get("StackStatusReason")
                raise DeployError(f"stack {name}: {status}" + (f": {short(reason)}" if reason else ""))
            listed = self.call(f"ListStackResources {name}", self.cfn.list_stack_resources, StackName=name)
            # moto lists a resource of a type it does not model as a blank row.
            resources += sum(1 for r in listed.get("StackResourceSummaries", []) if r.get("LogicalResourceId"))
            created.append(name)
        notes = []
        if unmodelled:
            kinds = ", ".join(f"{t}" + (f" x{n}" if n > 1 else "") for t, n in sorted(unmodelled.items()))
            notes.append(f"not modelled by moto, not created: {kinds}")
        return len(created), resources, notes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--endpoint", required=True)
    ap.add_argument("--moto-log")
    ap.add_argument("--gaps")
    ap.add_argument("--started", type=int, help="epoch seconds the CI step started, for the timing line")
    ap.add_argument("--label", default="moto")
    ap.add_argument("examples", nargs="+", metavar="EXAMPLE=OUTDIR")
    args = ap.parse_args()

    gaps, params = read_gaps(args.gaps)
    harness = Harness(args.endpoint, MotoLog(args.moto_log), gaps, params, modelled_types())
    passed = failed = skipped = 0
    stale = []
    seen = set()
    for pair in args.examples:
        example, _, outdir = pair.partition("=")
        seen.add(example)
        gap = gaps.get(example)
        try:
            n_stacks, n_resources, notes = harness.deploy(example, outdir)
        except (DeployError, OSError, ValueError, KeyError) as e:
            error = str(e) if isinstance(e, DeployError) else f"{type(e).__name__}: {short(e)}"
            if gap and gap[0] in error:
                skipped += 1
                print(f"deploy {example}: skipped (known gap: {gap[1]})")
            elif gap:
                failed += 1
                print(f"deploy {example}: FAILED: {error} (listed as a known gap, but with the error `{gap[0]}`)")
            else:
                failed += 1
                print(f"deploy {example}: FAILED: {error}")
            continue
        passed += 1
        line = f"deploy {example}: ok ({plural(n_stacks, 'stack')}, {plural(n_resources, 'resource')})"
        if notes:
            line += "; " + "; ".join(notes)
        if gap:
            stale.append(example)
            line += f"; listed as a known gap ({gap[1]}) but it deployed: remove it from {args.gaps}"
        print(line)
    for example in sorted(set(gaps) - seen):
        print(f"deploy: note: {args.gaps} lists {example}, which is not an example any more")
    sys.stdout.flush()
    took = f", {int(time.time()) - args.started}s" if args.started else ""
    print(f"deploy-moto: {args.label}, {plural(len(args.examples), 'example')}{took}")
    print(f"deploy: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
