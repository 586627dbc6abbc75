//! `ecsnet completions SHELL` and `ecsnet man`: shell completion scripts (clap_complete) and
//! roff man pages (clap_mangen), generated from the clap definitions that make `--help`, so
//! they list exactly the commands and flags of this binary.

use std::path::PathBuf;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::error::{exit, io_reason, Result, UserError};

/// Print a shell completion script for ecsnet's commands and flags.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ecsnet completions bash > ~/.local/share/bash-completion/completions/ecsnet\n  ecsnet completions zsh > ~/.zfunc/_ecsnet      # a directory on $fpath\n  ecsnet completions fish > ~/.config/fish/completions/ecsnet.fish\n  ecsnet completions powershell >> $PROFILE\n\nRelease archives (`make dist`) carry the scripts in completions/."
)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: Shell,
}

/// Print ecsnet's man page (roff), or write one page per command into a directory.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  ecsnet man | man -l -\n  ecsnet man > ~/.local/share/man/man1/ecsnet.1\n  ecsnet man --out-dir ~/.local/share/man/man1   # ecsnet.1, ecsnet-check.1, ...\n\nRelease archives (`make dist`) carry the pages in man/man1/."
)]
pub struct ManArgs {
    /// Write ecsnet.1 and one page per subcommand (ecsnet-check.1, ...) into DIR instead of
    /// printing ecsnet.1 to standard output. DIR is created if needed.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}

/// The completion script of `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut super::Cli::command(), "ecsnet", &mut out);
    out
}

/// The top-level man page, `ecsnet.1`.
pub fn man_page() -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = clap_mangen::Man::new(super::Cli::command()).render(&mut out);
    out
}

pub fn run_completions(args: CompletionsArgs) -> Result<u8> {
    super::common::print_stdout(&String::from_utf8_lossy(&completions(args.shell)))?;
    Ok(exit::OK)
}

pub fn run_man(args: ManArgs) -> Result<u8> {
    let Some(dir) = args.out_dir else {
        super::common::print_stdout(&String::from_utf8_lossy(&man_page()))?;
        return Ok(exit::OK);
    };
    std::fs::create_dir_all(&dir)
        .and_then(|()| clap_mangen::generate_to(super::Cli::command(), &dir))
        .map_err(|e| {
            UserError::new(format!(
                "cannot write the man pages into {}: {}; choose a writable directory",
                dir.display(),
                io_reason(&e)
            ))
        })?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn completions_name_every_subcommand_and_check_flag() {
        let cmd = super::super::Cli::command();
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let text = String::from_utf8(completions(shell)).unwrap();
            for sub in cmd.get_subcommands().map(|s| s.get_name()) {
                assert!(text.contains(sub), "{shell}: no {sub}");
            }
            assert!(text.contains("fail-on"), "{shell}: no --fail-on");
        }
    }

    #[test]
    fn man_page_is_roff_with_the_commands() {
        let text = String::from_utf8(man_page()).unwrap();
        assert!(text.starts_with(".ie \\n(.g .ds Aq"), "{}", &text[..80]);
        assert!(text.contains(".TH ecsnet 1"), "no title line");
        assert!(text.contains(env!("CARGO_PKG_VERSION")));
        for sub in ["check", "inventory", "explain", "completions", "man"] {
            assert!(text.contains(&format!("ecsnet\\-{sub}(1)")), "no {sub}");
        }
    }

    #[test]
    fn man_out_dir_writes_a_page_per_command_and_reports_an_unwritable_dir() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("man1");
        run_man(ManArgs {
            out_dir: Some(out.clone()),
        })
        .unwrap();
        for page in ["ecsnet.1", "ecsnet-check.1", "ecsnet-man.1"] {
            let text = std::fs::read_to_string(out.join(page)).unwrap();
            assert!(text.contains(".TH"), "{page}");
        }
        let file = dir.path().join("file");
        std::fs::write(&file, "").unwrap();
        let err = run_man(ManArgs {
            out_dir: Some(file.join("sub")),
        })
        .unwrap_err();
        assert!(err.message.starts_with("cannot write the man pages into"));
        assert!(!err.message.contains('\n'));
    }
}
