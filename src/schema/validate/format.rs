//! Semantic formats of literal strings: what an IAM role ARN, a VPC ID or a
//! CIDR block looks like.
//!
//! The schemas name a format (`AWS::IAM::Role.Arn`, `ipv4-network`); what a
//! value of that format looks like is cfn-lint's knowledge, not the schemas'.
//! These checkers follow cfn-lint's format rules (`cfnlint/rules/formats`,
//! `cfnlint/jsonschema/_format.py`) and are never stricter; a format not
//! listed here is not checked.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::LazyLock;

use regex_lite::Regex;

const ARN_PREFIX: &str = r"^arn:aws[a-zA-Z-]*:";

/// Formats checked by a regular expression, as cfn-lint spells them.
static PATTERNS: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    let arn = |rest: &str| format!("{ARN_PREFIX}{rest}");
    [
        ("AWS::ACM::Certificate.Arn", arn(r"acm:[a-z0-9-]+:\d{12}:certificate/.+$")),
        ("AWS::IAM::Role.Arn", arn(r"iam::\d{12}:role/.+$")),
        ("AWS::EC2::Image.Id", r"^ami-([0-9a-z]{8}|[0-9a-z]{17})$".to_string()),
        ("AWS::KMS::Alias.AliasName", r"^alias/[a-zA-Z0-9:/_-]+$".to_string()),
        ("AWS::KMS::Key.Arn", arn(r"kms:[a-z0-9-]+:\d{12}:(key|alias)/.+$")),
        (
            "AWS::KMS::Key.Id",
            r"^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32}|alias/[a-zA-Z0-9/_-]+)$"
                .to_string(),
        ),
        ("AWS::Lambda::Function.Arn", arn(r"lambda:[a-z0-9-]+:\d{12}:function:.+(:.+)?$")),
        ("AWS::Logs::LogGroup.Name", r"^[.\-_/#A-Za-z0-9]{1,512}$".to_string()),
        ("AWS::EC2::SecurityGroup.Id", r"^sg-([a-fA-F0-9]{8}|[a-fA-F0-9]{17})$".to_string()),
        ("AWS::EC2::SecurityGroup.Name", r"^[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]+$".to_string()),
        ("AWS::SNS::Topic.Arn", arn(r"sns:[a-z0-9-]+:\d{12}:.+$")),
        ("AWS::EC2::Subnet.Id", r"^subnet-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$".to_string()),
        ("AWS::EC2::VPC.Id", r"^vpc-([0-9A-Fa-f]{8}|[0-9A-Fa-f]{17})$".to_string()),
        (
            "date-time",
            // cfn-lint's expression, with one sign in a numeric offset where it takes two.
            r"^\d{4}-(0[1-9]|1[0-2])-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]{1,2}([01]\d|2[0-3]):[0-5]\d)$"
                .to_string(),
        ),
    ]
    .into_iter()
    .map(|(format, pattern)| (format, Regex::new(&pattern).expect("format patterns compile")))
    .collect()
});

/// Whether `value` has `format`, or `None` when the format is not checked.
fn has_format(format: &str, value: &str) -> Option<bool> {
    match format {
        "AWS::S3::Bucket.Name" => Some(is_bucket_name(value)),
        "ipv4-network" => Some(is_ipv4_network(value)),
        "ipv6-network" => Some(is_ipv6_network(value)),
        _ => PATTERNS.iter().find(|(name, _)| *name == format).map(|(_, regex)| regex.is_match(value)),
    }
}

/// Whether `value` has one of `formats`, or `None` when one of them is not checked
/// (the value might have that one).
pub(super) fn matches_any(formats: &[String], value: &str) -> Option<bool> {
    let mut any = false;
    for format in formats {
        if has_format(format, value)? {
            any = true;
        }
    }
    Some(any)
}

/// 3 to 63 of `a-z 0-9 . -`, not starting or ending with `.` or `-`, and no
/// `..`, `-.` or `.-`.
fn is_bucket_name(value: &str) -> bool {
    let length = value.len();
    (3..=63).contains(&length)
        && value.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-')
        && !value.starts_with(['.', '-'])
        && !value.ends_with(['.', '-'])
        && !value.contains("..")
        && !value.contains("-.")
        && !value.contains(".-")
}

/// `10.0.0.0/16` or a single address, with no host bits set (Python's
/// `IPv4Network`, strict).
fn is_ipv4_network(value: &str) -> bool {
    let (address, prefix) = value.split_once('/').unwrap_or((value, "32"));
    let (Ok(address), Ok(prefix)) = (address.parse::<Ipv4Addr>(), prefix.parse::<u32>()) else { return false };
    if prefix > 32 {
        return false;
    }
    let host_bits = u32::MAX.checked_shr(prefix).unwrap_or(0);
    u32::from(address) & host_bits == 0
}

fn is_ipv6_network(value: &str) -> bool {
    let (address, prefix) = value.split_once('/').unwrap_or((value, "128"));
    let (Ok(address), Ok(prefix)) = (address.parse::<Ipv6Addr>(), prefix.parse::<u32>()) else { return false };
    if prefix > 128 {
        return false;
    }
    let host_bits = u128::MAX.checked_shr(prefix).unwrap_or(0);
    u128::from(address) & host_bits == 0
}

#[cfg(test)]
mod tests {
    use super::has_format;

    #[test]
    fn formats() {
        assert_eq!(has_format("AWS::IAM::Role.Arn", "arn:aws:iam::123456789012:role/app"), Some(true));
        assert_eq!(has_format("AWS::IAM::Role.Arn", "app-role"), Some(false));
        assert_eq!(has_format("AWS::S3::Bucket.Name", "acme-logs"), Some(true));
        assert_eq!(has_format("AWS::S3::Bucket.Name", "Acme_Logs"), Some(false));
        assert_eq!(has_format("AWS::S3::Bucket.Name", "acme..logs"), Some(false));
        assert_eq!(has_format("ipv4-network", "10.0.0.0/16"), Some(true));
        assert_eq!(has_format("ipv4-network", "10.0.0.1/16"), Some(false));
        assert_eq!(has_format("ipv4-network", "0.0.0.0/0"), Some(true));
        assert_eq!(has_format("ipv6-network", "::/0"), Some(true));
        assert_eq!(has_format("ipv6-network", "2001:db8::/32"), Some(true));
        assert_eq!(has_format("date-time", "2026-01-01T00:00:00Z"), Some(true));
        assert_eq!(has_format("date-time", "2026-01-01"), Some(false));
        assert_eq!(has_format("AWS::EC2::VPC.Id", "vpc-0123456789abcdef0"), Some(true));
        assert_eq!(has_format("uri", "anything"), None);
    }
}
