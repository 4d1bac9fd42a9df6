//! File assets: what `asset(PATH)` packages, and where it goes; image
//! assets (`docker_image(PATH)`) are [`images`].
//!
//! The checker asks for a path's content through an [`AssetReader`] (the
//! library reads no files; the command line lists a folder's files or reads
//! one file), then [`package`] turns it into the bytes to upload: a folder
//! becomes a deterministic zip, a single file is kept as it is. The object
//! key is the SHA-256 of those bytes plus the extension, so the template is
//! final at build time and an unchanged folder is an unchanged key.
//!
//! Every asset goes to one staging bucket per account and region,
//! [`STAGING_BUCKET`], named in the template with `Fn::Sub`: the build needs
//! no AWS access, and no stack depends on an export of the bootstrap stack
//! (an export cannot change while a stack imports it). A project may name
//! its own bucket and repository instead ([`Staging`], from the command
//! line's `infrac.toml` or flags).

pub mod images;

use std::io::{Cursor, Write};

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

/// The staging bucket, as an `Fn::Sub` template (`infrac bootstrap`
/// creates it).
pub const STAGING_BUCKET: &str = "infrac-assets-${AWS::AccountId}-${AWS::Region}";

/// Where a program's assets are published: the staging bucket (an
/// `Fn::Sub` template that may name `${AWS::AccountId}` and
/// `${AWS::Region}`) and the ECR repository of its images (a name in the
/// account's registry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Staging {
    pub bucket: String,
    pub repository: String,
}

impl Default for Staging {
    /// What `infrac bootstrap` creates.
    fn default() -> Staging {
        Staging { bucket: STAGING_BUCKET.to_string(), repository: images::STAGING_REPOSITORY.to_string() }
    }
}

impl Staging {
    /// Why `bucket` cannot be a staging bucket's name, if it cannot: S3's
    /// rules (3 to 63 lower-case letters, digits, dots and hyphens, starting
    /// and ending with a letter or digit), checked with the two
    /// substitutions taken as a 12-digit account and a long region.
    pub fn check_bucket(bucket: &str) -> Result<(), String> {
        let sample = bucket.replace("${AWS::AccountId}", "123456789012").replace("${AWS::Region}", "ap-southeast-2");
        let ends = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let chars = sample.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
        if !(3..=63).contains(&sample.len()) || !chars || !ends(sample.chars().next()) || !ends(sample.chars().last()) {
            return Err(format!(
                "`{bucket}` is not an S3 bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, \
                 starting and ending with a letter or digit (`${{AWS::AccountId}}` and `${{AWS::Region}}` may be used)"
            ));
        }
        Ok(())
    }

    /// Why `repository` cannot be an ECR repository's name, if it cannot.
    pub fn check_repository(repository: &str) -> Result<(), String> {
        let part_ok = |part: &str| {
            !part.is_empty()
                && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
                && part.starts_with(|c: char| c.is_ascii_alphanumeric())
                && part.ends_with(|c: char| c.is_ascii_alphanumeric())
        };
        if !(2..=256).contains(&repository.len()) || !repository.split('/').all(part_ok) {
            return Err(format!(
                "`{repository}` is not an ECR repository name: lower-case letters, digits, `.`, `_` and `-`, \
                 in parts separated by `/`, each starting and ending with a letter or digit"
            ));
        }
        Ok(())
    }
}

/// What a path names, as the command line read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// A single file's bytes.
    File(Vec<u8>),
    /// A folder's files, recursively: paths relative to the folder with `/`
    /// separators, and their bytes. Empty folders are not listed.
    Folder(Vec<(String, Vec<u8>)>),
}

/// Reads what a path (relative to the working folder, like file names in
/// the source map) names, or says why it cannot.
pub type AssetReader<'r> = dyn FnMut(&str) -> Result<Source, String> + Send + 'r;

/// A reader for compilations that package nothing: every asset is missing.
pub fn no_assets(_: &str) -> Result<Source, String> {
    Err("no such file or folder".to_string())
}

/// A packaged asset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Asset {
    /// The path as the program resolved it (relative to the working folder).
    pub path: String,
    /// Whether it was a folder (zipped) or a single file.
    pub folder: bool,
    /// Lower-case hexadecimal SHA-256 of [`Asset::bytes`].
    pub hash: String,
    /// The object key in the staging bucket: the hash and the extension.
    pub key: String,
    pub bytes: Vec<u8>,
}

impl Asset {
    /// Where `infrac build` writes it, relative to the output folder.
    pub fn file_name(&self) -> String {
        format!("assets/{}", self.key)
    }
}

/// The SHA-256 of `bytes` in lowercase hex: the content key of assets and uploaded templates.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Packages what `path` named: a folder zipped, a file as it is.
pub fn package(path: &str, source: Source) -> Asset {
    let (bytes, extension, folder) = match source {
        Source::File(bytes) => (bytes, extension(path), false),
        Source::Folder(files) => (zip_folder(files), Some("zip".to_string()), true),
    };
    let hash = sha256_hex(&bytes);
    let key = match extension {
        Some(extension) => format!("{hash}.{extension}"),
        None => hash.clone(),
    };
    Asset { path: path.to_string(), folder, hash, key, bytes }
}

/// A file's extension, kept on its key because some services read it (a
/// `.jar` for Lambda, a `.json` for a definition).
fn extension(path: &str) -> Option<String> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let (stem, extension) = name.rsplit_once('.')?;
    let plain = !stem.is_empty() && !extension.is_empty() && extension.chars().all(|c| c.is_ascii_alphanumeric());
    plain.then(|| extension.to_ascii_lowercase())
}

/// A zip of `files` that depends on nothing but their names and bytes:
/// entries sorted by name, each dated 1980-01-01 00:00 (the zip format's
/// first day) with no extended timestamps, and the same permissions for
/// every file. `0o755` rather than each file's mode, because modes differ
/// between machines (umask, checkouts on Windows) and an executable Lambda
/// `bootstrap` must still run.
pub fn zip_folder(mut files: Vec<(String, Vec<u8>)>) -> Vec<u8> {
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o755);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in &files {
        // Writing to memory cannot fail.
        zip.start_file(name.as_str(), options).expect("a zip entry in memory");
        zip.write_all(bytes).expect("a zip entry in memory");
    }
    zip.finish().expect("a zip in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder(files: &[(&str, &str)]) -> Source {
        Source::Folder(files.iter().map(|(n, t)| (n.to_string(), t.as_bytes().to_vec())).collect())
    }

    #[test]
    fn same_files_in_any_order_give_the_same_zip() {
        let a = package("src", folder(&[("index.py", "print(1)\n"), ("lib/util.py", "x = 2\n")]));
        let b = package("other/src", folder(&[("lib/util.py", "x = 2\n"), ("index.py", "print(1)\n")]));
        assert_eq!(a.bytes, b.bytes);
        assert_eq!(a.key, b.key);
        assert!(a.key.ends_with(".zip") && a.key.len() == 64 + 4, "{}", a.key);
    }

    #[test]
    fn a_changed_file_or_name_changes_the_key() {
        let base = package("src", folder(&[("index.py", "print(1)\n")]));
        let edited = package("src", folder(&[("index.py", "print(2)\n")]));
        let renamed = package("src", folder(&[("main.py", "print(1)\n")]));
        assert_ne!(base.key, edited.key);
        assert_ne!(base.key, renamed.key);
    }

    #[test]
    fn the_zip_reads_back_with_fixed_dates_and_modes() {
        let asset = package("src", folder(&[("b.txt", "bee"), ("a/c.txt", "sea")]));
        let mut archive = zip::ZipArchive::new(Cursor::new(asset.bytes)).expect("a valid zip");
        let names: Vec<String> = archive.file_names().map(String::from).collect();
        assert_eq!(names, ["a/c.txt", "b.txt"]);
        let entry = archive.by_index(0).expect("an entry");
        assert_eq!(entry.unix_mode(), Some(0o100755));
        assert_eq!(entry.last_modified(), Some(DateTime::default()));
    }

    #[test]
    fn a_single_file_is_kept_with_its_extension() {
        let asset = package("lib/app.JAR", Source::File(b"PK".to_vec()));
        assert_eq!(asset.bytes, b"PK");
        assert!(asset.key.ends_with(".jar"));
        assert_eq!(package("Makefile", Source::File(Vec::new())).key.len(), 64);
        assert_eq!(extension(".env"), None);
    }
}
