//! The project's configuration file, `infrac.toml`, beside the entry file:
//! the staging bucket and image repository the program's assets are
//! published to, when they are the project's own rather than those
//! `infrac bootstrap` creates (docs/lifecycle.md).
//!
//! ```toml
//! [staging]
//! bucket = "acme-assets-${AWS::Region}"
//! repository = "acme/assets"
//! ```
//!
//! The flags `--staging-bucket` and `--staging-repository` win over the file.

use std::path::{Path, PathBuf};

use infrac::assets::Staging;

/// The configuration file's name.
pub const CONFIG_FILE: &str = "infrac.toml";

/// The settings of the `[staging]` table.
const STAGING_KEYS: &[&str] = &["bucket", "repository"];

/// Where the program's assets go: the flags, else `infrac.toml` in the
/// folder of the entry file, else the bootstrap bucket and repository.
pub fn staging(entry: &Path, bucket_flag: Option<&str>, repository_flag: Option<&str>) -> Result<Staging, String> {
    let mut staging = Staging::default();
    let file = config_path(entry);
    if let Some(table) = read(&file)? {
        let (bucket, repository) = staging_settings(&file, &table)?;
        staging.bucket = bucket.unwrap_or(staging.bucket);
        staging.repository = repository.unwrap_or(staging.repository);
    }
    if let Some(bucket) = bucket_flag {
        staging.bucket = bucket.to_string();
    }
    if let Some(repository) = repository_flag {
        staging.repository = repository.to_string();
    }
    Staging::check_bucket(&staging.bucket)?;
    Staging::check_repository(&staging.repository)?;
    Ok(staging)
}

/// `infrac.toml` beside the entry file.
fn config_path(entry: &Path) -> PathBuf {
    entry.parent().unwrap_or(Path::new("")).join(CONFIG_FILE)
}

/// The file's table, or `None` when there is no file.
fn read(file: &Path) -> Result<Option<toml::Table>, String> {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read `{}`: {e}", file.display())),
    };
    text.parse::<toml::Table>().map(Some).map_err(|e| format!("`{}` is not valid TOML: {e}", file.display()))
}

/// The bucket and repository the `[staging]` table names; any other table
/// or key is refused, so that a typo is not silently ignored.
fn staging_settings(file: &Path, table: &toml::Table) -> Result<(Option<String>, Option<String>), String> {
    let shown = file.display();
    if let Some(other) = table.keys().find(|key| *key != "staging") {
        return Err(format!("`{shown}`: unknown table `{other}`; the file has one table, `[staging]`"));
    }
    let Some(staging) = table.get("staging") else { return Ok((None, None)) };
    let staging = staging.as_table().ok_or_else(|| format!("`{shown}`: `staging` must be a table (`[staging]`)"))?;
    if let Some(other) = staging.keys().find(|key| !STAGING_KEYS.contains(&key.as_str())) {
        return Err(format!(
            "`{shown}`: unknown setting `staging.{other}`; the settings are `bucket` and `repository`"
        ));
    }
    let text = |key: &str| -> Result<Option<String>, String> {
        match staging.get(key) {
            None => Ok(None),
            Some(toml::Value::String(text)) => Ok(Some(text.clone())),
            Some(_) => Err(format!("`{shown}`: `staging.{key}` must be a string")),
        }
    };
    Ok((text("bucket")?, text("repository")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> Result<(Option<String>, Option<String>), String> {
        staging_settings(Path::new("infrac.toml"), &text.parse::<toml::Table>().expect("TOML"))
    }

    #[test]
    fn reads_the_staging_table_and_refuses_the_rest() {
        assert_eq!(
            settings("[staging]\nbucket = \"acme-${AWS::Region}\"\nrepository = \"acme/assets\"\n"),
            Ok((Some("acme-${AWS::Region}".into()), Some("acme/assets".into())))
        );
        assert_eq!(settings(""), Ok((None, None)));
        assert!(settings("[staging]\nbuckett = \"x\"\n").unwrap_err().contains("unknown setting `staging.buckett`"));
        assert!(settings("[stage]\n").unwrap_err().contains("unknown table `stage`"));
        assert!(settings("[staging]\nbucket = 3\n").unwrap_err().contains("must be a string"));
    }
}
