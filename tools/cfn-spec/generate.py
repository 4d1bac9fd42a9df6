#!/usr/bin/env python3
"""Compact the CloudFormation resource schemas shipped in a cfn-lint wheel.

This script owns the translation from the registry provider schemas (JSON Schema
dialect, as patched by AWS's enhanced-schemas pipeline and bundled by cfn-lint)
into the files under `spec/` that `src/schema/` embeds: `cfn-spec.zst` (one zstd
frame per resource type), `cfn-spec.dict` (the dictionary the frames share) and
`cfn-spec.index` (where each type's frame is).
The format is documented in `tools/cfn-spec/README.md`; the Rust decoder (`build.rs`
reads the index, `src/schema/` the frames) is the other half of that contract, so
change both together and bump FORMAT.

It reads the wheel as a zip file and needs only the standard library, plus the
`zstandard` package when writing `spec/`.
The output is deterministic: sorted keys, no timestamps except the schema date
that cfn-lint records.

Run it through `regenerate.sh`, which pins and verifies the wheel.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import html
import json
import re
import sys
import zipfile
from typing import Any

FORMAT = 2
SCHEMAS = "cfnlint/data/schemas/"
DOC_LIMIT = 160

# Keys that make a oneOf/anyOf alternative a schema of its own (a union member)
# rather than a list of required property names (a required-alternative).
STRUCTURAL_KEYS = {
    "$ref", "type", "properties", "patternProperties", "additionalProperties",
    "items", "enum", "const", "format", "pattern", "relationshipRef",
    "minLength", "maxLength", "minimum", "maximum",
}
ANNOTATION_KEYS = {"description", "title", "$comment", "default", "examples"}

CFN_REFERENCE_DOCS = "https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/"


# ---------------------------------------------------------------------------
# Reading the wheel


class Wheel:
    def __init__(self, path: str) -> None:
        self.path = path
        with open(path, "rb") as f:
            self.sha256 = hashlib.sha256(f.read()).hexdigest()
        self.zip = zipfile.ZipFile(path)
        self.names = set(self.zip.namelist())

    def json(self, name: str) -> Any:
        return json.loads(self.zip.read(name))

    def text(self, name: str) -> str:
        return self.zip.read(name).decode("utf-8")

    def version(self) -> str:
        for name in self.names:
            if name.endswith(".dist-info/METADATA"):
                for line in self.text(name).splitlines():
                    if line.startswith("Version: "):
                        return line.split(": ", 1)[1].strip()
        raise SystemExit("wheel has no METADATA version")


def module_constant(source: str, name: str) -> Any:
    """The literal value of a top-level assignment in a Python module."""
    for node in ast.parse(source).body:
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and target.id == name:
                return ast.literal_eval(node.value)
    raise SystemExit(f"cfn-lint source no longer defines {name}; review the GetAtt rules")


# ---------------------------------------------------------------------------
# Descriptions

# Some schemas (QuickSight, MediaPackage, ...) carry HTML from the service API docs. Only
# well-known tags are removed, so that placeholders such as `<account-id>` survive.
HTML_TAG = re.compile(r"</?(?:p|a|b|i|em|strong|ul|ol|li|br|div|span|pre|note|important|dl|dt|dd|para)(?:\s[^>]*)?/?>")
SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)\.(?:\s+(?=[A-Z`(\[\"'*])|$)")


def short_doc(text: Any, limit: int = DOC_LIMIT) -> str | None:
    """The first sentence of a schema description, as plain text, at most `limit` chars."""
    if not isinstance(text, str):
        return None
    t = text.replace("``", "`")
    t = re.sub(r"</?code>", "`", t)
    t = HTML_TAG.sub(" ", t)
    t = html.unescape(t)
    t = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", t)  # markdown links keep their text
    t = re.sub(r"\s+", " ", t).strip()
    m = SENTENCE_END.search(t)
    if m:
        t = t[: m.start() + 1]
    if len(t) > limit:
        cut = t[: limit - 1]
        space = cut.rfind(" ")
        if space > limit // 2:
            cut = cut[:space]
        t = cut.rstrip(" ,;:(") + "…"
    return t or None


# ---------------------------------------------------------------------------
# Shapes


def kind(shape: Any) -> str:
    """The kind letter of a compact shape: s i n b j * l m o u, or #Name."""
    return shape if isinstance(shape, str) else shape["t"]


def collapse(shape: dict) -> Any:
    return shape["t"] if len(shape) == 1 else shape


def pointer_segments(pointer: str) -> list[str]:
    assert pointer.startswith("/properties/"), pointer
    return pointer[len("/properties/"):].split("/")


def dotted(pointer: str) -> str:
    return ".".join(pointer_segments(pointer))


class TypeCompactor:
    """Converts one provider schema into its compact form."""

    def __init__(self, schema: dict) -> None:
        self.schema = schema
        self.defs = schema.get("definitions", {})
        self.out_defs: dict[str, Any] = {}
        self.def_results: dict[str, Any] = {}
        self.in_progress: set[str] = set()
        self.cyclic: set[str] = set()

    # -- references

    def ref(self, ref: str) -> Any:
        if ref.startswith("#/properties/"):
            return self.shape(self.schema["properties"][ref[len("#/properties/"):]])
        assert ref.startswith("#/definitions/"), ref
        name = ref[len("#/definitions/"):]
        if name in self.def_results:
            return self.def_results[name]
        if name in self.in_progress:
            self.cyclic.add(name)
            return "#" + name
        self.in_progress.add(name)
        result = self.shape(self.defs[name])
        self.in_progress.discard(name)
        # Structs and unions keep their name (they are what users and docs call
        # "property types"); primitive, list and map aliases are inlined.
        if name in self.cyclic or kind(result) in ("o", "u"):
            result = dict(result) if isinstance(result, dict) else {"t": result}
            doc = short_doc(self.defs[name].get("description"))
            if doc:
                result["doc"] = doc
            self.out_defs[name] = result
            result = "#" + name
        self.def_results[name] = result
        return result

    def resolve_raw(self, s: Any) -> Any:
        """Follows `$ref`s to the raw schema they name."""
        seen = 0
        while isinstance(s, dict) and "$ref" in s and seen < 50:
            ref = s["$ref"]
            if ref.startswith("#/properties/"):
                s = self.schema["properties"][ref[len("#/properties/"):]]
            else:
                s = self.defs[ref[len("#/definitions/"):]]
            seen += 1
        return s

    def resolve_pointer(self, pointer: str) -> Any:
        cur: Any = {"properties": self.schema.get("properties", {})}
        for seg in pointer_segments(pointer):
            cur = self.resolve_raw(cur)
            if not isinstance(cur, dict):
                return None
            if seg == "*":
                cur = cur.get("items")
            else:
                cur = cur.get("properties", {}).get(seg)
            if cur is None:
                return None
        return cur

    # -- conversion

    def prop(self, s: Any) -> Any:
        """A property: its shape plus its short description."""
        shape = self.shape(s)
        doc = short_doc(s.get("description")) if isinstance(s, dict) else None
        if not doc:
            return shape
        out = dict(shape) if isinstance(shape, dict) else {"t": shape}
        out["doc"] = doc
        return out

    def shape(self, s: Any) -> Any:
        if not isinstance(s, dict):
            return "*"
        if "$ref" in s:
            return self.ref(s["$ref"])
        s = self.fold_all_of(s)
        if "$ref" in s:
            return self.ref(s["$ref"])
        for keyword in ("oneOf", "anyOf"):
            alts = s.get(keyword)
            if isinstance(alts, list) and any(STRUCTURAL_KEYS & set(a) for a in alts if isinstance(a, dict)):
                base = {k: v for k, v in s.items() if k not in ("oneOf", "anyOf")}
                members = [self.shape(merge_schemas(base, a)) for a in alts if isinstance(a, dict)]
                return simplify_union(members, exclusive=keyword == "oneOf")
        types = s.get("type")
        if types is None:
            types = infer_type(s)
        if isinstance(types, list):
            return self.multi_type(s, [t for t in types if t != "null"])
        return self.single_type(s, types)

    def fold_all_of(self, s: dict) -> dict:
        """Merges `allOf` parts into the schema when they are plain schemas."""
        parts = s.get("allOf")
        if not isinstance(parts, list):
            return s
        out = {k: v for k, v in s.items() if k != "allOf"}
        kept = []
        for part in parts:
            if not isinstance(part, dict):
                continue
            if "$ref" in part and "type" not in out and "properties" not in out:
                out["$ref"] = part["$ref"]
            elif set(part) <= ANNOTATION_KEYS:
                continue
            elif set(part) <= {"required"} | ANNOTATION_KEYS:
                out["required"] = list(out.get("required", [])) + list(part["required"])
            else:
                kept.append(part)
        if kept:
            out["allOf"] = kept
        return out

    def single_type(self, s: dict, t: str) -> Any:
        if t == "string":
            return self.string(s)
        if t in ("integer", "number"):
            out: dict[str, Any] = {"t": "i" if t == "integer" else "n"}
            if "minimum" in s:
                out["min"] = s["minimum"]
            if "maximum" in s:
                out["max"] = s["maximum"]
            elif "exclusiveMaximum" in s and isinstance(s["exclusiveMaximum"], (int, float)):
                out["max"] = s["exclusiveMaximum"] - 1 if t == "integer" else s["exclusiveMaximum"]
            if "enum" in s:
                out["e"] = s["enum"]
            return collapse(out)
        if t == "boolean":
            return "b"
        if t == "array":
            out = {"t": "l", "i": self.shape(s["items"]) if isinstance(s.get("items"), dict) else "*"}
            if "minItems" in s and s["minItems"] > 0:
                out["minI"] = s["minItems"]
            if "maxItems" in s:
                out["maxI"] = s["maxItems"]
            return out
        if t == "object":
            return self.object(s)
        if t == "null":
            return "*"
        raise SystemExit(f"unknown JSON type {t!r}")

    def string(self, s: dict) -> Any:
        out: dict[str, Any] = {"t": "s"}
        if "enum" in s:
            out["e"] = [str(v) for v in s["enum"]]
        elif "const" in s:
            out["e"] = [str(s["const"])]
        if s.get("enumCaseInsensitive"):
            out["ci"] = 1
        if isinstance(s.get("pattern"), str):
            out["pat"] = s["pattern"]
        if "minLength" in s and s["minLength"] > 0:
            out["minL"] = s["minLength"]
        if "maxLength" in s:
            out["maxL"] = s["maxLength"]
        if isinstance(s.get("format"), str):
            out["fmt"] = [s["format"]]
        rel = relationship(s.get("relationshipRef"))
        if rel:
            out["rel"] = [rel]
        return collapse(out)

    def multi_type(self, s: dict, types: list[str]) -> Any:
        if len(types) == 1:
            return self.single_type(s, types[0])
        if "object" in types:
            # Free JSON: IAM policy documents and other `["object","string"]`
            # values that CloudFormation accepts as an object or its string form.
            return "*" if "array" in types or len(types) > 3 else "j"
        members = [self.single_type(s, t) for t in types]
        return simplify_union(members, exclusive=False)

    def object(self, s: dict) -> Any:
        props = s.get("properties")
        if isinstance(props, dict) and props:
            out: dict[str, Any] = {"t": "o", "p": {n: self.prop(v) for n, v in props.items()}}
            required = unique(s.get("required", []))
            if required:
                out["r"] = required
            alternatives = required_alternatives(s)
            if alternatives:
                out["alt"] = alternatives
            dependent = dependent_required(s)
            if dependent:
                out["dreq"] = dependent
            if isinstance(s.get("dependentExcluded"), dict):
                out["dexc"] = s["dependentExcluded"]
            if s.get("additionalProperties", True) is not False:
                out["open"] = 1
            return out
        pattern_props = s.get("patternProperties")
        if isinstance(pattern_props, dict) and pattern_props:
            values = [self.shape(v) for v in pattern_props.values()]
            out = {"t": "m", "v": simplify_union(values, exclusive=False)}
            if len(pattern_props) == 1:
                out["kp"] = next(iter(pattern_props))
            return out
        if isinstance(s.get("additionalProperties"), dict):
            return {"t": "m", "v": self.shape(s["additionalProperties"])}
        return "j"


def infer_type(s: dict) -> str | None:
    if "properties" in s or "patternProperties" in s:
        return "object"
    if "items" in s:
        return "array"
    if "enum" in s and all(isinstance(v, str) for v in s["enum"]):
        return "string"
    if {"pattern", "minLength", "maxLength", "format", "relationshipRef"} & set(s):
        return "string"
    return "null"  # anything goes


def relationship(r: Any) -> str | None:
    if isinstance(r, dict) and "typeName" in r and "propertyPath" in r:
        return r["typeName"] + "." + dotted(r["propertyPath"])
    return None


def unique(names: list) -> list:
    out = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


def merge_schemas(base: dict, alt: dict) -> dict:
    out = dict(base)
    for k, v in alt.items():
        if k == "required":
            out["required"] = unique(list(base.get("required", [])) + list(v))
        elif k == "properties" and isinstance(base.get("properties"), dict):
            out["properties"] = {**base["properties"], **v}
        else:
            out[k] = v
    if "$ref" in alt:
        out = {"$ref": alt["$ref"]}
    return out


def simplify_union(members: list, exclusive: bool) -> Any:
    distinct: list = []
    for m in members:
        if m not in distinct:
            distinct.append(m)
    if len(distinct) == 1:
        return distinct[0]
    if all(kind(m) == "s" for m in distinct):
        return merge_strings(distinct)
    if all(isinstance(m, dict) and m["t"] == "o" for m in distinct):
        return merge_objects(distinct, exclusive)
    return {"t": "u", "u": distinct}


def merge_strings(members: list) -> Any:
    """One string shape that accepts what any member accepts (loosening where needed)."""
    ms = [m if isinstance(m, dict) else {"t": "s"} for m in members]
    out: dict[str, Any] = {"t": "s"}

    def every(key: str) -> bool:
        return all(key in m for m in ms)

    for key in ("fmt", "rel", "e"):
        if every(key):
            out[key] = unique([v for m in ms for v in m[key]])
    if every("pat"):
        out["pat"] = "|".join(f"(?:{m['pat']})" for m in ms)
    if every("minL"):
        out["minL"] = min(m["minL"] for m in ms)
    if every("maxL"):
        out["maxL"] = max(m["maxL"] for m in ms)
    if any("ci" in m for m in ms) and "e" in out:
        out["ci"] = 1
    return collapse(out)


def merge_objects(members: list, exclusive: bool) -> dict:
    """A union of inline structs as one struct whose alternatives say which set to give."""
    props: dict[str, Any] = {}
    for m in members:
        for n, v in m["p"].items():
            props.setdefault(n, v)
    requireds = [m.get("r", []) for m in members]
    common = [n for n in requireds[0] if all(n in r for r in requireds[1:])]
    out: dict[str, Any] = {"t": "o", "p": props}
    if common:
        out["r"] = common
    options = [[n for n in r if n not in common] for r in requireds]
    alternatives = [a for m in members for a in m.get("alt", [])]
    if any(options):
        group: dict[str, Any] = {"o": options}
        if exclusive:
            group["x"] = 1
        alternatives.insert(0, group)
    if alternatives:
        out["alt"] = alternatives
    if any(m.get("open") for m in members):
        out["open"] = 1
    return out


def required_only(alt: Any) -> bool:
    return isinstance(alt, dict) and set(alt) <= {"required"} | ANNOTATION_KEYS


def required_alternatives(s: dict) -> list:
    """Groups of property sets of which one (`x`) or at least one must be given.

    An option is satisfied when all its properties are present; an empty option is
    always satisfied, which is how `oneOf: [{}, {required: [A, B]}]` ("not both")
    keeps its meaning.
    """
    groups: list = []
    for keyword in ("oneOf", "anyOf"):
        alts = s.get(keyword)
        if isinstance(alts, list) and alts and all(required_only(a) for a in alts):
            group: dict[str, Any] = {"o": [unique(a.get("required", [])) for a in alts]}
            if keyword == "oneOf":
                group["x"] = 1
            groups.append(group)
    for part in s.get("allOf", []) if isinstance(s.get("allOf"), list) else []:
        if isinstance(part, dict):
            groups.extend(required_alternatives(part))
    if isinstance(s.get("requiredXor"), list):
        groups.append({"o": [[n] for n in s["requiredXor"]], "x": 1})
    if isinstance(s.get("requiredOr"), list):
        groups.append({"o": [[n] for n in s["requiredOr"]]})
    return groups


def dependent_required(s: dict) -> dict:
    out: dict[str, list] = {}
    for keyword in ("dependentRequired", "dependencies"):
        for name, needs in (s.get(keyword) or {}).items():
            if isinstance(needs, list):
                out[name] = unique(out.get(name, []) + needs)
    return out


# ---------------------------------------------------------------------------
# One resource type


def compact_type(
    schema: dict,
    getatt_rules: tuple,
    ref_overrides: dict[str, list[str]],
) -> dict:
    type_name = schema["typeName"]
    c = TypeCompactor(schema)
    out: dict[str, Any] = {}
    doc = short_doc(schema.get("description"))
    if doc:
        out["doc"] = doc
    url = schema.get("documentationUrl") or schema.get("sourceUrl")
    if url:
        out["url"] = url
    out["p"] = {n: c.prop(v) for n, v in schema.get("properties", {}).items()}
    required = unique(schema.get("required", []))
    if required:
        out["r"] = required
    alternatives = required_alternatives(schema)
    if alternatives:
        out["alt"] = alternatives
    dependent = dependent_required(schema)
    if dependent:
        out["dreq"] = dependent
    if isinstance(schema.get("dependentExcluded"), dict):
        out["dexc"] = schema["dependentExcluded"]

    for key, field in (
        ("readOnlyProperties", "ro"),
        ("createOnlyProperties", "co"),
        ("conditionalCreateOnlyProperties", "cco"),
        ("writeOnlyProperties", "wo"),
        ("deprecatedProperties", "dep"),
    ):
        paths = sorted({dotted(p) for p in schema.get(key, []) if p.startswith("/properties/")})
        if paths:
            out[field] = paths

    attributes = getatt_attributes(c, schema, *getatt_rules)
    if attributes:
        out["att"] = attributes

    identifier = [dotted(p) for p in schema.get("primaryIdentifier", [])]
    if identifier:
        out["id"] = identifier
    # cfn-lint's Ref rule is "the single primary identifier, else a string"; the override
    # table corrects the types where Ref returns something else (`refp`).
    returned = identifier if len(identifier) == 1 else []
    override = ref_overrides.get(type_name)
    if override and all(p in schema.get("properties", {}) for p in override) and override != returned:
        returned = override
        out["refp"] = override
    if len(returned) == 1:
        target = c.resolve_pointer("/properties/" + returned[0].replace(".", "/"))
        out["ref"] = c.shape(target) if target is not None else "s"

    tag_property, tag_shape = tagging(c, schema)
    if tag_property:
        out["tag"] = tag_property
        out["tags"] = tag_shape

    lifecycle = schema.get("lifecycle")
    if isinstance(lifecycle, dict) and lifecycle.get("status"):
        out["life"] = {k: lifecycle[k] for k in ("status", "date") if k in lifecycle}
    if schema.get("replacementStrategy"):
        out["repl"] = schema["replacementStrategy"]

    if c.out_defs:
        out["d"] = c.out_defs
    return out


def getatt_attributes(
    c: TypeCompactor,
    schema: dict,
    all_property_types: set[str],
    exceptions: dict[str, list[str]],
    unnamed_unknown_types: tuple[str, ...],
) -> dict:
    """GetAtt names and shapes, following `cfnlint/schema/_getatts.py`.

    Differences from cfn-lint, both deliberate: read-only paths through arrays
    (`A/*/B`) are dropped because `Fn::GetAtt` cannot index into a list, and the
    `Outputs\\..*` regex is written `Outputs.*` (any name under `Outputs.`) and `.*` is `*`.
    """
    type_name = schema["typeName"]
    attrs: dict[str, Any] = {}

    def add(pointer: str) -> None:
        if "/*" in pointer:
            return
        target = c.resolve_pointer(pointer)
        attrs[dotted(pointer)] = c.shape(target) if target is not None else "*"

    if type_name in all_property_types:
        visiting: set[int] = set()

        def walk(obj: Any, pointer: str) -> None:
            if not isinstance(obj, dict) or id(obj) in visiting:
                return
            types = obj.get("type")
            types = types if isinstance(types, list) else [types]
            if "object" in types:
                visiting.add(id(obj))
                for name, value in obj.get("properties", {}).items():
                    walk(value, f"{pointer}/{name}")
                visiting.discard(id(obj))
            elif "array" in types:
                # cfn-lint looks only at an inline item `type`, so a list of `$ref`
                # structs still counts as an attribute; mirrored here on purpose.
                if obj.get("items", {}).get("type") in ("object", "array"):
                    return
                add(pointer)
            elif "$ref" in obj:
                visiting.add(id(obj))
                walk(c.resolve_raw(obj), pointer)
                visiting.discard(id(obj))
            else:
                add(pointer)

        for name, value in schema.get("properties", {}).items():
            walk(value, f"/properties/{name}")
        return attrs

    for name in exceptions.get(type_name, []):
        add(f"/properties/{name}")
    if type_name == "AWS::CloudFormation::Stack":
        attrs["Outputs.*"] = "s"
        return attrs
    if type_name.startswith(unnamed_unknown_types):
        attrs["*"] = "*"  # a custom resource returns whatever attributes its handler sets
    for pointer in schema.get("readOnlyProperties", []):
        if type_name == "AWS::ServiceCatalog::CloudFormationProvisionedProduct" and pointer == "/properties/Outputs":
            attrs["Outputs.*"] = "s"
        else:
            add(pointer)
    return attrs


def tagging(c: TypeCompactor, schema: dict) -> tuple[str | None, str | None]:
    """The property that carries tags, and its shape: l (list of Key/Value), m (map) or other."""
    info = schema.get("tagging")
    if isinstance(info, dict) and info.get("taggable") is False:
        return None, None
    if schema.get("taggable") is False and not info:
        return None, None
    pointer = info.get("tagProperty") if isinstance(info, dict) else None
    if not pointer:
        if "Tags" not in schema.get("properties", {}):
            return None, None
        pointer = "/properties/Tags"
    if "/*" in pointer:
        return dotted(pointer), "x"
    raw = c.resolve_raw(c.resolve_pointer(pointer))
    if not isinstance(raw, dict):
        return dotted(pointer), "x"
    types = raw.get("type")
    types = types if isinstance(types, list) else [types]
    if "array" in types:
        item = c.resolve_raw(raw.get("items"))
        if isinstance(item, dict) and {"Key", "Value"} <= set(item.get("properties", {})):
            return dotted(pointer), "l"
        return dotted(pointer), "x"
    if "object" in types:
        # Legacy `["object","string"]` JSON tags (Greengrass, Pinpoint, DAX, ...)
        # are documented as a key-value map.
        return dotted(pointer), "m"
    return dotted(pointer), "x"


# ---------------------------------------------------------------------------
# The whole file


def build(wheel: Wheel, ref_overrides: dict[str, list[str]]) -> dict:
    getatts_src = wheel.text("cfnlint/schema/_getatts.py")
    all_property_types = set(module_constant(getatts_src, "_all_property_types"))
    exceptions = module_constant(getatts_src, "_exceptions")
    unnamed_unknown_types = tuple(module_constant(getatts_src, "_unnamed_unknown_types"))
    if not all_property_types or not exceptions or not unnamed_unknown_types:
        raise SystemExit("cfn-lint's GetAtt special cases are empty; review _getatts.py")
    getatt_rules = (all_property_types, exceptions, unnamed_unknown_types)
    regions = sorted(module_constant(wheel.text("cfnlint/helpers.py"), "AVAILABILITY_ZONES"))
    schema_date = wheel.json(SCHEMAS + "version.json")["schema_date"]

    # cfn-lint reads providers/<region>.json and falls back to us-east-1 for a
    # region without a file; availability follows the same rule.
    fallback = {}
    providers = {}
    for region in regions:
        name = f"{SCHEMAS}providers/{region}.json"
        if name not in wheel.names:
            fallback[region] = "us-east-1"
            name = f"{SCHEMAS}providers/us-east-1.json"
        providers[region] = wheel.json(name)
    if len(regions) > 64:
        raise SystemExit("more than 64 regions: the availability bitset needs a wider type")

    hashes: dict[str, str] = {}
    for region in regions:
        for type_name, h in providers[region].items():
            if hashes.setdefault(type_name, h) != h:
                raise SystemExit(f"{type_name} has different schemas by region; the format assumes one")

    types = {}
    for type_name in sorted(hashes):
        schema = wheel.json(f"{SCHEMAS}resources/{hashes[type_name]}.json")
        assert schema["typeName"] == type_name, type_name
        entry = compact_type(schema, getatt_rules, ref_overrides)
        missing = 0
        for bit, region in enumerate(regions):
            if type_name not in providers[region]:
                missing |= 1 << bit
        if missing:
            entry["nr"] = missing
        types[type_name] = entry

    meta = {
        "format": FORMAT,
        "source": "cfn-lint",
        "version": wheel.version(),
        "schema_date": schema_date,
        "regions": regions,
    }
    if fallback:
        meta["region_fallback"] = fallback
    return {"meta": meta, "types": types}


def encode(value: Any, indent: int | None = None) -> bytes:
    if indent is None:
        text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    else:
        text = json.dumps(value, sort_keys=True, indent=indent, ensure_ascii=False)
    return text.encode("utf-8")


# ---------------------------------------------------------------------------
# The embedded layout: one zstd frame per type, so that a program decompresses only the types
# it uses. Compressed alone, a 3 KB type loses the context that the whole-file stream had
# (1.8 MB instead of 0.73 MB); a dictionary trained on all of them wins most of it back.

INDEX_FILE = "cfn-spec.index"
DICT_FILE = "cfn-spec.dict"
FRAMES_FILE = "cfn-spec.zst"
LEVEL = 19
# Measured on 1.58.0 (1,884 types): 64 KiB gives 1.13 MB in all, and 32 to 112 KiB and k from
# 128 to 1024 are all within 1% of it. Fixed k and d make training fast and deterministic.
DICT_BYTES = 64 << 10
DICT_K = 242
DICT_D = 8


def write_spec_dir(spec: dict, out_dir: str) -> dict:
    """Writes the index, the dictionary and the frames; returns their sizes for source.json."""
    import zstandard

    names = list(spec["types"])
    assert names == sorted(names, key=lambda n: n.encode("utf-8"))
    raws = [encode(spec["types"][n]) for n in names]
    dictionary = zstandard.train_dictionary(DICT_BYTES, raws, k=DICT_K, d=DICT_D, level=LEVEL, threads=1)
    compressor = zstandard.ZstdCompressor(
        level=LEVEL, dict_data=dictionary, write_checksum=False, write_content_size=True, write_dict_id=False
    )
    decompressor = zstandard.ZstdDecompressor(dict_data=dictionary)
    frames = []
    for raw in raws:
        frame = compressor.compress(raw)
        assert decompressor.decompress(frame) == raw
        frames.append(frame)

    meta = spec["meta"]
    lines = [
        "# The index of cfn-spec.zst: one zstd frame per resource type, compressed with the dictionary",
        "# cfn-spec.dict. Written by tools/cfn-spec/generate.py; read by build.rs. Do not edit.",
        f"format\t{meta['format']}",
        f"version\t{meta['version']}",
        f"schema_date\t{meta['schema_date']}",
        "regions\t" + " ".join(meta["regions"]),
    ]
    for region, fallback in sorted(meta.get("region_fallback", {}).items()):
        lines.append(f"region_fallback\t{region} {fallback}")
    offset = 0
    for name, frame in zip(names, frames):
        lines.append(f"type\t{name}\t{offset}\t{len(frame)}")
        offset += len(frame)
    index = ("\n".join(lines) + "\n").encode("utf-8")

    with open(f"{out_dir}/{INDEX_FILE}", "wb") as f:
        f.write(index)
    with open(f"{out_dir}/{DICT_FILE}", "wb") as f:
        f.write(dictionary.as_bytes())
    with open(f"{out_dir}/{FRAMES_FILE}", "wb") as f:
        f.write(b"".join(frames))
    return {
        "raw_bytes": sum(map(len, raws)),
        "frame_bytes": offset,
        "dict_bytes": len(dictionary.as_bytes()),
        "index_bytes": len(index),
        "zstandard": zstandard.__version__,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wheel", help="path to cfn_lint-<version>-py3-none-any.whl")
    ap.add_argument("--spec-dir", help=f"write {INDEX_FILE}, {DICT_FILE} and {FRAMES_FILE} into this directory")
    ap.add_argument("--source", help="with --spec-dir, also write this JSON record of where the data came from")
    ap.add_argument("--json", help="write the whole data as one pretty-printed JSON file (to review a regeneration)")
    ap.add_argument("--ref-overrides", help="ref-overrides.json: which properties Ref returns, by type")
    args = ap.parse_args()
    if not args.spec_dir and not args.json:
        ap.error("nothing to write: give --spec-dir, --json or both")

    wheel = Wheel(args.wheel)
    overrides = {"source": None, "types": {}}
    if args.ref_overrides:
        with open(args.ref_overrides, encoding="utf-8") as f:
            overrides = json.load(f)
    spec = build(wheel, overrides["types"])
    types = spec["types"]
    if args.json:
        with open(args.json, "wb") as f:
            f.write(encode(spec, indent=1))
    if not args.spec_dir:
        return

    sizes = write_spec_dir(spec, args.spec_dir)
    if args.source:
        record = {
            "source": "cfn-lint wheel from PyPI (MIT-0); schemas from the AWS CloudFormation registry "
            "via aws-cloudformation/resource-provider-enhanced-schemas",
            "cfn_lint_version": spec["meta"]["version"],
            "wheel": wheel.path.rsplit("/", 1)[-1],
            "wheel_sha256": wheel.sha256,
            "schema_date": spec["meta"]["schema_date"],
            "format": FORMAT,
            "ref_overrides": overrides["source"],
            "generator": "tools/cfn-spec/regenerate.sh, which runs: generate.py WHEEL "
            "--ref-overrides tools/cfn-spec/ref-overrides.json --spec-dir spec --source spec/source.json",
            "compression": f"one zstd frame per type, level {LEVEL}, with a {DICT_BYTES >> 10} KiB dictionary "
            f"trained on the types (k={DICT_K}, d={DICT_D}); python zstandard {sizes['zstandard']}",
            "type_count": len(types),
            "raw_bytes": sizes["raw_bytes"],
            "compressed_bytes": sizes["frame_bytes"] + sizes["dict_bytes"],
            "frame_bytes": sizes["frame_bytes"],
            "dict_bytes": sizes["dict_bytes"],
            "index_bytes": sizes["index_bytes"],
        }
        with open(args.source, "w", encoding="utf-8") as f:
            json.dump(record, f, indent=2, sort_keys=True)
            f.write("\n")
    print(
        f"{len(types)} types, {sizes['raw_bytes']} bytes raw, {sizes['frame_bytes']} bytes of frames "
        f"+ {sizes['dict_bytes']} of dictionary written to {args.spec_dir}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
