//! Which `hashicorp/aws` version the binary serves: from its own file name (Terraform installs
//! it as `.../hashicorp/aws/<version>/<os>_<arch>/terraform-provider-aws_v<version>`), or from
//! `AWS_STANDIN_VERSION` (tests).

use std::fmt;

/// The environment variable that overrides the version read from the file name.
pub const VERSION_ENV: &str = "AWS_STANDIN_VERSION";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AwsVersion {
    V5_100_0,
    V6_47_0,
}

impl AwsVersion {
    pub const ALL: [AwsVersion; 2] = [AwsVersion::V5_100_0, AwsVersion::V6_47_0];

    pub fn as_str(self) -> &'static str {
        match self {
            AwsVersion::V5_100_0 => "5.100.0",
            AwsVersion::V6_47_0 => "6.47.0",
        }
    }

    pub fn major(self) -> u32 {
        match self {
            AwsVersion::V5_100_0 => 5,
            AwsVersion::V6_47_0 => 6,
        }
    }

    /// (major, minor, patch).
    pub fn triple(self) -> (u32, u32, u32) {
        match self {
            AwsVersion::V5_100_0 => (5, 100, 0),
            AwsVersion::V6_47_0 => (6, 47, 0),
        }
    }

    /// True when this version is `major.minor` or later.
    pub fn at_least(self, major: u32, minor: u32) -> bool {
        let (a, b, _) = self.triple();
        (a, b) >= (major, minor)
    }

    pub fn parse(s: &str) -> Option<AwsVersion> {
        let s = s.trim().trim_start_matches('v');
        AwsVersion::ALL.into_iter().find(|v| v.as_str() == s)
    }

    /// The version in an executable name like `terraform-provider-aws_v6.47.0` (also with
    /// `_x5`-style suffixes or `.exe`).
    pub fn from_file_name(name: &str) -> Option<AwsVersion> {
        let rest = name.strip_prefix("terraform-provider-aws_v")?;
        let rest = rest.strip_suffix(".exe").unwrap_or(rest);
        let ver = rest.split('_').next()?;
        AwsVersion::parse(ver)
    }

    /// The version to serve: `AWS_STANDIN_VERSION` when set, else the executable's name.
    pub fn detect(env: Option<&str>, exe_name: Option<&str>) -> Result<AwsVersion, String> {
        if let Some(v) = env.filter(|v| !v.is_empty()) {
            return AwsVersion::parse(v).ok_or_else(|| {
                format!("{VERSION_ENV}={v:?}: the stand-in serves only 5.100.0 and 6.47.0")
            });
        }
        let name = exe_name.unwrap_or("");
        AwsVersion::from_file_name(name).ok_or_else(|| {
            format!(
                "cannot tell the provider version from the executable name {name:?}: expected \
                 terraform-provider-aws_v5.100.0 or terraform-provider-aws_v6.47.0, or set {VERSION_ENV}"
            )
        })
    }
}

impl fmt::Display for AwsVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_installed_file_name() {
        assert_eq!(
            AwsVersion::from_file_name("terraform-provider-aws_v6.47.0"),
            Some(AwsVersion::V6_47_0)
        );
        assert_eq!(
            AwsVersion::from_file_name("terraform-provider-aws_v5.100.0_x5"),
            Some(AwsVersion::V5_100_0)
        );
        assert_eq!(
            AwsVersion::from_file_name("terraform-provider-aws_v6.0.0"),
            None
        );
        assert_eq!(AwsVersion::from_file_name("terraform-provider-aws"), None);
    }

    #[test]
    fn env_overrides_the_name() {
        assert_eq!(
            AwsVersion::detect(Some("5.100.0"), Some("terraform-provider-aws_v6.47.0")),
            Ok(AwsVersion::V5_100_0)
        );
        assert_eq!(
            AwsVersion::detect(None, Some("terraform-provider-aws_v6.47.0")),
            Ok(AwsVersion::V6_47_0)
        );
        assert!(AwsVersion::detect(Some("4.0.0"), None).is_err());
        assert!(AwsVersion::detect(None, Some("terraform-provider-aws")).is_err());
    }

    #[test]
    fn compares_minor_versions() {
        assert!(AwsVersion::V6_47_0.at_least(6, 4));
        assert!(!AwsVersion::V5_100_0.at_least(6, 4));
    }
}
