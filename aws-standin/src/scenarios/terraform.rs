//! Running real Terraform offline against the stand-in provider.
//!
//! [`Terraform::new`] lays out a filesystem mirror holding the stand-in under both versions
//! scenarios pin (`<mirror>/registry.terraform.io/hashicorp/aws/<version>/linux_amd64/
//! terraform-provider-aws_v<version>`; the binary tells its version from that file name)
//! and a CLI configuration that installs providers from that mirror only, so nothing
//! touches the network.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::fsutil::TempDir;

/// The Terraform release the committed plans are made with.
pub const TERRAFORM_VERSION: &str = "1.11.4";
/// The AWS provider versions the mirror offers.
pub const PROVIDER_VERSIONS: [&str; 2] = ["5.100.0", "6.47.0"];
/// Where the mirror puts the stand-in.
pub const PROVIDER_ADDRESS: &str = "registry.terraform.io/hashicorp/aws";
/// The platform directory of the mirror.
pub const PLATFORM: &str = "linux_amd64";

/// A Terraform binary set up to install `hashicorp/aws` from a private mirror of the stand-in.
#[derive(Debug)]
pub struct Terraform {
    bin: PathBuf,
    cli_config: PathBuf,
    // Holds the mirror and the CLI configuration; removed when dropped.
    _home: TempDir,
}

/// A Terraform command that failed.
#[derive(Debug, Clone)]
pub struct CommandFailure {
    /// What was run, e.g. `terraform plan`.
    pub command: String,
    /// Terraform's first error, on one line.
    pub summary: String,
    /// Everything it printed.
    pub output: String,
}

impl Terraform {
    /// Sets up the mirror for `provider` (the stand-in's binary).
    pub fn new(bin: PathBuf, provider: &Path) -> Result<Terraform, String> {
        if !provider.is_file() {
            return Err(format!("no provider binary at {}", provider.display()));
        }
        let home = TempDir::new("ecsnet-tf-mirror")
            .map_err(|e| format!("creating a temporary directory: {e}"))?;
        let mirror = home.path().join("mirror");
        for version in PROVIDER_VERSIONS {
            let dir = mirror.join(PROVIDER_ADDRESS).join(version).join(PLATFORM);
            fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
            let exe = dir.join(format!("terraform-provider-aws_v{version}"));
            link_or_copy(provider, &exe)
                .map_err(|e| format!("putting the provider at {}: {e}", exe.display()))?;
        }
        let cli_config = home.path().join("terraform.tfrc");
        let config = format!(
            "disable_checkpoint = true\n\
             provider_installation {{\n  \
               filesystem_mirror {{\n    \
                 path    = {mirror}\n    \
                 include = [\"{PROVIDER_ADDRESS}\"]\n  \
               }}\n\
             }}\n",
            mirror = hcl_string(&mirror.to_string_lossy()),
        );
        fs::write(&cli_config, config)
            .map_err(|e| format!("writing {}: {e}", cli_config.display()))?;
        Ok(Terraform {
            bin,
            cli_config,
            _home: home,
        })
    }

    /// A `terraform` command run in `dir` with a clean environment for it: no inherited
    /// `TF_*` or `AWS_*` variables, the private CLI configuration, no prompts, no version
    /// check, and `AWS_STANDIN_WORLD` pointing at `dir/world.json` when there is one.
    pub fn command(&self, dir: &Path) -> Command {
        let mut cmd = Command::new(&self.bin);
        cmd.current_dir(dir);
        for (name, _) in std::env::vars_os() {
            let n = name.to_string_lossy();
            if n.starts_with("TF_") || n.starts_with("AWS_") || n.starts_with("CHECKPOINT_") {
                cmd.env_remove(&name);
            }
        }
        cmd.env("TF_CLI_CONFIG_FILE", &self.cli_config)
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1");
        let world = dir.join(super::discover::WORLD);
        if world.is_file() {
            cmd.env("AWS_STANDIN_WORLD", world);
        }
        cmd
    }

    /// Runs `terraform <args>` in `dir` and returns its standard output.
    pub fn run(&self, dir: &Path, args: &[&str]) -> Result<Vec<u8>, CommandFailure> {
        self.run_with(dir, args, &[])
    }

    /// [`Terraform::run`] with extra environment variables (for the stand-in).
    pub fn run_with(
        &self,
        dir: &Path,
        args: &[&str],
        env: &[(&str, &Path)],
    ) -> Result<Vec<u8>, CommandFailure> {
        let command = format!("terraform {}", args.first().copied().unwrap_or(""));
        let mut cmd = self.command(dir);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let output = cmd
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| CommandFailure {
                command: command.clone(),
                summary: format!("could not run {}: {e}", self.bin.display()),
                output: String::new(),
            })?;
        if output.status.success() {
            return Ok(output.stdout);
        }
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout = String::from_utf8_lossy(&output.stdout);
        Err(CommandFailure {
            summary: summarize_errors(&stderr, &stdout, output.status),
            output: format!("{stdout}{stderr}"),
            command,
        })
    }
}

/// The version `terraform version -json` reports.
pub fn terraform_version(bin: &Path) -> Result<String, String> {
    let output = Command::new(bin)
        .args(["version", "-json"])
        .env("CHECKPOINT_DISABLE", "1")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("could not run {}: {e}", bin.display()))?;
    let text = String::from_utf8_lossy(&output.stdout);
    // {"terraform_version": "1.11.4", ...}
    let after = text
        .split_once("\"terraform_version\"")
        .and_then(|(_, rest)| rest.split('"').nth(1))
        .filter(|v| !v.is_empty());
    after
        .map(str::to_owned)
        .ok_or_else(|| format!("`{} version -json` did not say its version", bin.display()))
}

/// Finds `name` on `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn link_or_copy(from: &Path, to: &Path) -> io::Result<()> {
    if fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    fs::copy(from, to)?;
    Ok(())
}

fn hcl_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("$$"),
            '%' => out.push_str("%%"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The most a one-line error summary keeps.
const SUMMARY_MAX: usize = 400;

/// Terraform's first error diagnostic on one line: `Error: <summary> (on <file> line <n>):
/// <detail>`, with `(+N more errors)` when there are more. Falls back to the last lines of
/// output when Terraform printed no diagnostic.
pub fn summarize_errors(stderr: &str, stdout: &str, status: std::process::ExitStatus) -> String {
    let blocks = error_blocks(stderr);
    let blocks = if blocks.is_empty() {
        error_blocks(stdout)
    } else {
        blocks
    };
    let mut line = match blocks.first() {
        Some(block) => one_line(block),
        None => {
            let text = if stderr.trim().is_empty() {
                stdout
            } else {
                stderr
            };
            let tail: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect();
            let tail = tail[tail.len().saturating_sub(3)..].join(" ");
            if tail.is_empty() {
                format!("exited with {status} and printed nothing")
            } else {
                tail
            }
        }
    };
    if line.chars().count() > SUMMARY_MAX {
        line = line.chars().take(SUMMARY_MAX - 1).collect::<String>() + "…";
    }
    if blocks.len() > 1 {
        line.push_str(&format!(" (+{} more errors)", blocks.len() - 1));
    }
    line
}

/// The error diagnostics in Terraform's output: each a list of lines without the box
/// drawing (`╷`, `│ `, `╵`), starting with the `Error: ` line.
fn error_blocks(text: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for raw in text.lines() {
        let line = raw
            .strip_prefix("│ ")
            .or_else(|| raw.strip_prefix('│'))
            .unwrap_or(raw);
        if raw.starts_with('╵') {
            blocks.extend(current.take());
            continue;
        }
        if raw.starts_with('╷') {
            continue;
        }
        if let Some(rest) = line.trim_start().strip_prefix("Error: ") {
            blocks.extend(current.take());
            current = Some(vec![format!("Error: {rest}")]);
        } else if line.trim_start().starts_with("Warning: ") {
            blocks.extend(current.take());
        } else if let Some(block) = current.as_mut() {
            block.push(line.to_owned());
        }
    }
    blocks.extend(current);
    blocks
}

/// `Error: <summary> (<file> line <n>): <detail>` from one diagnostic block, without the
/// source excerpt.
fn one_line(block: &[String]) -> String {
    let mut out = block[0].trim().to_owned();
    let mut detail = Vec::new();
    let mut in_excerpt = false;
    for line in &block[1..] {
        let t = line.trim();
        if let Some(place) = t.strip_prefix("on ") {
            // `on main.tf line 12, in resource "aws_ecs_service" "web":`
            let place = place.trim_end_matches(':');
            let place = place.split(", in ").next().unwrap_or(place);
            out.push_str(&format!(" ({place})"));
            in_excerpt = true;
            continue;
        }
        if t.is_empty() {
            in_excerpt = false;
            continue;
        }
        if in_excerpt {
            continue; // `12:   foo = bar`, `├────`, `│ var.x is "y"`
        }
        detail.push(t);
    }
    if !detail.is_empty() {
        out.push_str(": ");
        out.push_str(&detail.join(" "));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;

    #[test]
    fn summarizes_the_first_error_on_one_line() {
        let stderr = "\
╷
│ Warning: Something deprecated
│ 
│ Use something else.
╵
╷
│ Error: Reference to undeclared resource
│ 
│   on main.tf line 12, in resource \"aws_ecs_service\" \"web\":
│   12:   cluster = aws_ecs_cluster.nope.id
│     ├────────────────
│     │ var.x is \"y\"
│ 
│ A managed resource \"aws_ecs_cluster\" \"nope\" has not been declared in the
│ root module.
╵
╷
│ Error: Second
│ 
│ More.
╵
";
        let line = summarize_errors(stderr, "", ExitStatus::from_raw(256));
        assert_eq!(
            line,
            "Error: Reference to undeclared resource (main.tf line 12): A managed resource \
             \"aws_ecs_cluster\" \"nope\" has not been declared in the root module. (+1 more errors)"
        );
    }

    #[test]
    fn falls_back_to_the_last_lines() {
        let line = summarize_errors("one\n\ntwo\nthree\nfour\n", "", ExitStatus::from_raw(256));
        assert_eq!(line, "two three four");
    }
}
