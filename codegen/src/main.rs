//! `chime-caps-codegen generate|check`: write a client crate from a Smithy model, or
//! check that a written one is up to date.

use std::path::PathBuf;
use std::process::ExitCode;

use chime_caps_codegen::{generate, write, Settings};

const USAGE: &str = "\
usage:
  chime-caps-codegen generate [--model FILE] [--out DIR] [--operations A,B,..] [--crate-name NAME]
  chime-caps-codegen check    [--model FILE] [--out DIR] [--operations A,B,..] [--crate-name NAME]

Defaults come from model/codegen.toml in the workspace (found from the current
directory upwards); flags override them. With --model but no defaults file,
--out and --crate-name are required and every operation is generated.";

fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(args: Vec<String>) -> Result<ExitCode, String> {
    let (command, flags) = args
        .split_first()
        .ok_or_else(|| format!("no command given\n\n{USAGE}"))?;
    if matches!(command.as_str(), "-h" | "--help" | "help") {
        println!("{USAGE}");
        return Ok(ExitCode::SUCCESS);
    }
    let settings = settings(flags)?;
    let files = generate(&settings).map_err(|e| e.to_string())?;
    match command.as_str() {
        "generate" => {
            write::write(&settings.out, &files)
                .map_err(|e| format!("cannot write {}: {e}", settings.out.display()))?;
            println!("wrote {} files to {}", files.len(), settings.out.display());
            Ok(ExitCode::SUCCESS)
        }
        "check" => {
            let drift = write::check(&settings.out, &files)
                .map_err(|e| format!("cannot read {}: {e}", settings.out.display()))?;
            if drift.is_empty() {
                println!("{} is up to date", settings.out.display());
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("{} is stale:", settings.out.display());
            for d in &drift {
                eprintln!("  {d}");
            }
            eprintln!("regenerate it with: {}", regenerate_command(flags));
            Ok(ExitCode::FAILURE)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn regenerate_command(flags: &[String]) -> String {
    let mut cmd = String::from("cargo run -p chime-caps-codegen -- generate");
    for f in flags {
        cmd.push(' ');
        cmd.push_str(f);
    }
    cmd
}

fn settings(flags: &[String]) -> Result<Settings, String> {
    let mut model = None;
    let mut out = None;
    let mut operations = None;
    let mut crate_name = None;
    let mut it = flags.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{flag} needs a value"))
        };
        match flag.as_str() {
            "--model" => model = Some(PathBuf::from(value()?)),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--crate-name" => crate_name = Some(value()?),
            "--operations" => {
                operations = Some(
                    value()?
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                )
            }
            other => return Err(format!("unknown flag `{other}`\n\n{USAGE}")),
        }
    }
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let defaults = match Settings::find_root(&cwd) {
        Some(root) => Some(Settings::load(&root)?),
        None => None,
    };
    // Flags given for another model do not inherit the committed operation list, and
    // must say where to write, so the checked-in crate is never overwritten by accident.
    let own_model = model.is_some();
    if own_model && out.is_none() {
        return Err("--model needs --out too".into());
    }
    let base = match defaults {
        Some(d) => d,
        None => Settings {
            model: model
                .clone()
                .ok_or("--model is required outside the chime-caps workspace")?,
            out: out
                .clone()
                .ok_or("--out is required outside the chime-caps workspace")?,
            crate_name: crate_name
                .clone()
                .ok_or("--crate-name is required outside the chime-caps workspace")?,
            operations: Vec::new(),
        },
    };
    Ok(Settings {
        model: model.unwrap_or(base.model),
        out: out.unwrap_or(base.out),
        crate_name: crate_name.unwrap_or(base.crate_name),
        operations: operations.unwrap_or(if own_model {
            Vec::new()
        } else {
            base.operations
        }),
    })
}
