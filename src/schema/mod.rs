//! The CloudFormation resource schemas: every resource type's properties, attributes and rules.
//!
//! This module owns the embedded copy of the schema data and the API that the checker and
//! `infrac explain` read it through. The data is generated from a pinned cfn-lint wheel by
//! `tools/cfn-spec/regenerate.sh` (its provenance is in `spec/source.json`). Building and
//! testing need neither the network nor Python.
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
//! # Layout and cost
//!
//! The data is three committed files under `spec/`, written by `tools/cfn-spec/`:
//! `cfn-spec.zst` holds one zstd frame per type (the type's compact JSON), `cfn-spec.dict` the
//! zstd dictionary all frames are compressed with (the shared vocabulary that a 3 KB frame could
//! not carry alone), and `cfn-spec.index` the metadata plus each type's name and frame. `build.rs`
//! turns the index into constants, so the type names, the regions and the version are there
//! without any work at run time.
//!
//! A type is decompressed and decoded into the typed structs the first time it is asked for
//! (about 0.1 ms for a typical type, 1 ms for one of the largest such as `AWS::S3::Bucket`;
//! about 60% of it builds and drops `serde_json` values), then cached for the life of the process (which is
//! why lookups return `&'static`). No call decodes every type; a program pays for the types it
//! uses.
//!
//! # What the data says and where it comes from
//!
//! Properties, constraints and path lists are the registry provider schemas, already patched
//! by AWS's enhanced-schemas pipeline (enums, patterns and semantic formats such as
//! `AWS::IAM::Role.Arn`). Attributes and `Ref` follow cfn-lint's rules, so this module accepts
//! what the cfn-lint check in CI accepts. Descriptions are first sentences, cut at 160 chars.

pub mod attributes;
mod decode;
mod describe;
mod model;
pub mod sam;
#[cfg(test)]
mod tests;
pub mod validate;

use std::ops::Range;
use std::sync::{Mutex, OnceLock, PoisonError};

use ruzstd::decoding::{BlockDecodingStrategy, Dictionary, FrameDecoder};

pub use describe::{describe_definition, describe_type};
pub use model::{
    Definition, Lifecycle, ObjectShape, Property, RefReturns, RequiredAlternatives, ResourceType, Shape, StringShape,
    Tagging,
};

// `SOURCE_VERSION`, `SCHEMA_DATE`, `REGIONS`, `TYPE_COUNT`, `TYPE_NAMES` and `TYPES`, made by
// `build.rs` from `spec/cfn-spec.index`.
include!(concat!(env!("OUT_DIR"), "/schema_index.rs"));

static FRAMES: &[u8] = include_bytes!("../../spec/cfn-spec.zst");
static DICTIONARY: &[u8] = include_bytes!("../../spec/cfn-spec.dict");

/// One type of the index: where its name is in `TYPE_NAMES` and its frame in `FRAMES`.
/// Offsets rather than slices keep the table free of relocations, so it is used as it is mapped.
struct TypeEntry {
    name: Range<u32>,
    frame: Range<u32>,
}

impl TypeEntry {
    fn name(&self) -> &'static str {
        &TYPE_NAMES[self.name.start as usize..self.name.end as usize]
    }

    fn frame(&self) -> &'static [u8] {
        &FRAMES[self.frame.start as usize..self.frame.end as usize]
    }
}

/// Each type's decoded schema, in the order of `TYPES`, filled on first use. Boxed, so that the
/// empty table is 16 bytes a type in the binary rather than the size of a `ResourceType`.
static DECODED: [OnceLock<Box<ResourceType>>; TYPE_COUNT] = [const { OnceLock::new() }; TYPE_COUNT];

/// One decoder, made once with the dictionary loaded, shared by every look-up.
static DECODER: OnceLock<Mutex<(FrameDecoder, u32)>> = OnceLock::new();

/// The resource type named exactly `name` (e.g. `AWS::S3::Bucket`), decoded on first use.
pub fn resource_type(name: &str) -> Option<&'static ResourceType> {
    let at = TYPES.binary_search_by(|entry| entry.name().cmp(name)).ok()?;
    let entry = &TYPES[at];
    let decoded = DECODED[at].get_or_init(|| {
        let json = decompress(entry.frame())
            .unwrap_or_else(|err| panic!("embedded schema for {} does not decompress: {err}", entry.name()));
        Box::new(decode::resource_type(entry.name(), &json))
    });
    Some(decoded.as_ref())
}

/// The JSON text of one frame of `spec/cfn-spec.zst`.
fn decompress(mut frame: &[u8]) -> Result<String, String> {
    let decoder = DECODER.get_or_init(|| {
        let dictionary = Dictionary::decode_dict(DICTIONARY).expect("embedded spec/cfn-spec.dict is a zstd dictionary");
        let id = dictionary.id;
        let mut decoder = FrameDecoder::new();
        decoder.add_dict(dictionary).expect("a fresh decoder takes a dictionary");
        Mutex::new((decoder, id))
    });
    // A panic while holding the lock leaves nothing half-done that matters: `reset` starts over.
    let mut guard = decoder.lock().unwrap_or_else(PoisonError::into_inner);
    let (decoder, dictionary) = &mut *guard;
    decoder.reset(&mut frame).map_err(|e| e.to_string())?;
    // The frames do not name their dictionary (four bytes each saved): there is only one.
    decoder.force_dict(*dictionary).map_err(|e| e.to_string())?;
    decoder.decode_blocks(&mut frame, BlockDecodingStrategy::All).map_err(|e| e.to_string())?;
    if !decoder.is_finished() || !frame.is_empty() {
        return Err("the frame is truncated or followed by other bytes".into());
    }
    let bytes = decoder.collect().unwrap_or_default();
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Every resource type name, sorted.
pub fn type_names() -> impl Iterator<Item = &'static str> {
    TYPES.iter().map(TypeEntry::name)
}

/// The known region names, sorted (`af-south-1` ... `us-west-2`).
pub fn regions() -> &'static [&'static str] {
    REGIONS
}

/// The date of the schema snapshot, as cfn-lint records it (`2026-10-20T22:11:15Z`).
pub fn schema_date() -> &'static str {
    SCHEMA_DATE
}

/// The cfn-lint version the data was taken from (`1.58.0`).
pub fn source_version() -> &'static str {
    SOURCE_VERSION
}
