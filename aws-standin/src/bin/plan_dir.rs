//! `plan_dir DIR --out FILE`: plans the Terraform configuration in DIR with real Terraform
//! through the stand-in provider, as `scenarios` plans a scenario (in a temporary copy:
//! `init`, `plan -out`, `show -json`), and writes the plan's JSON to FILE. DIR is only read.
//!
//! For configurations that are not scenarios: the sources benchmark
//! (`scripts/bench_sources.sh`) measures `ecsnet check` on the plan real Terraform makes of
//! its generated configuration, with the `planned_values`, `configuration` and
//! `relevant_attributes` sections every real plan carries.

use std::path::PathBuf;
use std::process::ExitCode;

use aws_standin::scenarios::{
    find_on_path, generate, terraform_version, Keep, Scenario, Terraform, CREATE_PLAN,
    TERRAFORM_VERSION,
};

const USAGE: &str = "usage: plan_dir DIR --out FILE [--provider BIN] [--terraform BIN]";

struct Args {
    dir: PathBuf,
    out: PathBuf,
    provider: Option<PathBuf>,
    terraform: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let (mut dir, mut out, mut provider, mut terraform) = (None, None, None, None);
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} needs a value; {USAGE}"))
        };
        match arg.to_string_lossy().as_ref() {
            "--out" => out = Some(value("--out")?),
            "--provider" => provider = Some(value("--provider")?),
            "--terraform" => terraform = Some(value("--terraform")?),
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}; {USAGE}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(&arg)),
            _ => return Err(format!("one configuration directory only; {USAGE}")),
        }
    }
    Ok(Args {
        dir: dir.ok_or_else(|| format!("no configuration directory given; {USAGE}"))?,
        out: out.ok_or_else(|| format!("no --out FILE given; {USAGE}"))?,
        provider,
        terraform,
    })
}

fn run(args: Args) -> Result<(), String> {
    let provider = match args.provider {
        Some(p) => p,
        // Built beside this program (`cargo build -p aws-standin --bins`).
        None => std::env::current_exe()
            .map_err(|e| format!("cannot find this program's directory: {e}"))?
            .with_file_name("terraform-provider-aws"),
    };
    let terraform = args
        .terraform
        .or_else(|| find_on_path("terraform"))
        .ok_or("terraform is not on PATH; pass --terraform BIN")?;
    let version = terraform_version(&terraform)?;
    if version != TERRAFORM_VERSION {
        return Err(format!(
            "{} is Terraform {version}; the stand-in is made for {TERRAFORM_VERSION}",
            terraform.display()
        ));
    }
    let tf = Terraform::new(terraform, &provider)?;
    let scenario = Scenario {
        name: args.dir.display().to_string(),
        dir: args.dir.clone(),
    };
    let plans = generate(&tf, &scenario, Keep::Nothing)
        .map_err(|f| format!("{}: {}", f.step, f.summary))?;
    let create = plans
        .files
        .into_iter()
        .find(|(name, _)| *name == CREATE_PLAN)
        .map(|(_, json)| json)
        .ok_or("Terraform gave no create plan")?;
    std::fs::write(&args.out, create).map_err(|e| format!("writing {}: {e}", args.out.display()))
}

fn main() -> ExitCode {
    match parse_args().and_then(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("plan_dir: {e}");
            ExitCode::from(2)
        }
    }
}
