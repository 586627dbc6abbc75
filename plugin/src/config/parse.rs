//! HCL parsing of `.ecsnet.hcl` (filled in by the configuration work).

use std::path::Path;

use super::Config;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

pub fn parse_str(_text: &str, source: &str) -> Result<Config, ConfigError> {
    Ok(Config {
        source: Some(source.to_string()),
        ..Config::default()
    })
}

pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "{}: cannot read configuration: {e}",
            path.display()
        ))
    })?;
    parse_str(&text, &path.display().to_string())
}
