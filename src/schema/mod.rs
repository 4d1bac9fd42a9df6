//! The CloudFormation resource schemas: every resource type's properties, attributes and rules.
//!
//! This module owns the embedded copy of the schema data and the API that the checker and
//! `infrac explain` read it through. The data is `spec/cfn-spec.json.zst`, generated from a
//! pinned cfn-lint wheel by `tools/cfn-spec/regenerate.sh` (its provenance is in
//! `spec/source.json`). Building and testing need neither the network nor Python.
//!
//! # API
//!
//! * [`resource_type`]`("AWS::S3::Bucket")` returns the [`ResourceType`]: properties
//!   ([`Property`] with its [`Shape`], description and flags), required properties and
//!   [`RequiredAlternatives`], nested [`Definition`]s (shapes refer to them by
//!   `Shape::Def(name)`; [`ResourceType::resolve`] follows the link), `Fn::GetAtt` attributes
//!   ([`ResourceType::attribute`]), what `Ref` returns ([`RefReturns`]), [`Tagging`], region
//!   availability ([`ResourceType::available_in`]), [`Lifecycle`] and deprecated paths.
//! * [`type_names`] lists every type, sorted (for did-you-mean); [`regions`] lists the known
//!   region names (for validating a region flag).
//! * [`describe_type`] and [`describe_definition`] render the plain-text pages that
//!   `infrac explain AWS::S3::Bucket` and `infrac explain AWS::S3::Bucket.VersioningConfiguration`
//!   print.
//! * [`schema_date`] and [`source_version`] identify the data (for `--version`).
//!
//! # Cost
//!
//! Nothing happens until the first call. The first call decompresses the blob (about 6 MB of
//! JSON) and splits it into one raw JSON slice per type without building values; a type is
//! decoded into the typed structs the first time it is asked for, then cached for the life of
//! the process (which is why lookups return `&'static`).
//!
//! # What the data says and where it comes from
//!
//! Properties, constraints and path lists are the registry provider schemas, already patched
//! by AWS's enhanced-schemas pipeline (enums, patterns and semantic formats such as
//! `AWS::IAM::Role.Arn`). Attributes and `Ref` follow cfn-lint's rules, so this module accepts
//! what the cfn-lint check in CI accepts. Descriptions are first sentences, cut at 160 chars.

mod decode;
mod describe;
mod model;
#[cfg(test)]
mod tests;
pub mod validate;

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::{LazyLock, OnceLock};

use serde::Deserialize;
use serde_json::value::RawValue;

pub use describe::{describe_definition, describe_type};
pub use model::{
    Definition, Lifecycle, ObjectShape, Property, RefReturns, RequiredAlternatives, ResourceType, Shape, StringShape,
    Tagging,
};

/// The version of the compact format this decoder reads; the generator writes it to `meta`.
const FORMAT: u64 = 1;

static SPEC_ZST: &[u8] = include_bytes!("../../spec/cfn-spec.json.zst");

/// The decompressed JSON. It lives as long as the process so that the index can borrow from it.
static SPEC_JSON: LazyLock<String> = LazyLock::new(|| {
    let mut decoder =
        ruzstd::decoding::StreamingDecoder::new(SPEC_ZST).expect("embedded spec/cfn-spec.json.zst is not a zstd frame");
    let mut json = String::with_capacity(8 << 20);
    decoder.read_to_string(&mut json).expect("embedded spec/cfn-spec.json.zst does not decompress to UTF-8 JSON");
    json
});

static INDEX: LazyLock<Index> = LazyLock::new(|| Index::parse(&SPEC_JSON));

/// The top level of the file: metadata plus each type's JSON, still unparsed.
struct Index {
    schema_date: &'static str,
    version: &'static str,
    regions: Vec<&'static str>,
    names: Vec<&'static str>,
    raw: Vec<&'static RawValue>,
    decoded: Vec<OnceLock<ResourceType>>,
}

#[derive(Deserialize)]
struct RawFile<'a> {
    #[serde(borrow)]
    meta: RawMeta<'a>,
    #[serde(borrow)]
    types: BTreeMap<&'a str, &'a RawValue>,
}

#[derive(Deserialize)]
struct RawMeta<'a> {
    format: u64,
    version: &'a str,
    schema_date: &'a str,
    #[serde(borrow)]
    regions: Vec<&'a str>,
}

impl Index {
    fn parse(json: &'static str) -> Index {
        let file: RawFile<'static> =
            serde_json::from_str(json).expect("embedded CloudFormation spec is not valid JSON");
        assert_eq!(
            file.meta.format, FORMAT,
            "spec/cfn-spec.json.zst has format {} but this decoder reads format {FORMAT}; \
             regenerate it or update src/schema",
            file.meta.format
        );
        let (names, raw): (Vec<_>, Vec<_>) = file.types.into_iter().unzip();
        let decoded = names.iter().map(|_| OnceLock::new()).collect();
        Index {
            schema_date: file.meta.schema_date,
            version: file.meta.version,
            regions: file.meta.regions,
            names,
            raw,
            decoded,
        }
    }
}

/// The resource type named exactly `name` (e.g. `AWS::S3::Bucket`), decoded on first use.
pub fn resource_type(name: &str) -> Option<&'static ResourceType> {
    let index: &'static Index = &INDEX;
    let at = index.names.binary_search(&name).ok()?;
    Some(index.decoded[at].get_or_init(|| decode::resource_type(index.names[at], index.raw[at].get())))
}

/// Every resource type name, sorted.
pub fn type_names() -> impl Iterator<Item = &'static str> {
    let index: &'static Index = &INDEX;
    index.names.iter().copied()
}

/// The known region names, sorted (`af-south-1` ... `us-west-2`).
pub fn regions() -> &'static [&'static str] {
    let index: &'static Index = &INDEX;
    &index.regions
}

/// The date of the schema snapshot, as cfn-lint records it (`2026-10-20T22:11:15Z`).
pub fn schema_date() -> &'static str {
    INDEX.schema_date
}

/// The cfn-lint version the data was taken from (`1.58.0`).
pub fn source_version() -> &'static str {
    INDEX.version
}
