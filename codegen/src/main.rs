//! `chime-caps-codegen generate|check|diff`: write a client crate from a Smithy model,
//! check that a written one is up to date, or classify what a model update changes.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chime_caps_codegen::diff::{self, Impact};
use chime_caps_codegen::{generate, write, Settings};

const USAGE: &str = "\
usage:
  chime-caps-codegen generate [--model FILE] [--out DIR] [--operations A,B,..] [--crate-name NAME]
  chime-caps-codegen check    [--model FILE] [--out DIR] [--operations A,B,..] [--crate-name NAME]
  chime-caps-codegen diff     --old FILE --new FILE [--operations A,B,..]
                              [--format text|json] [--fail-on LEVEL]

generate/check: defaults come from model/codegen.toml in the workspace (found from
the current directory upwards); flags override them. With --model but no defaults
file, --out and --crate-name are required and every operation is generated.

diff: what updating the model from --old to --new changes for the generated client,
restricted to the closure of --operations when given (default: every operation).
Each change has an impact, lowest first: none, documentation, behavior, additive,
breaking; --format json prints {\"impact\": .., \"changes\": [..]}, text a summary.
--fail-on LEVEL (one of those impacts, usually additive or breaking) exits 1 when
the diff's impact reaches LEVEL.

Exit status: 0 success, 1 stale output (check) or --fail-on reached (diff),
2 bad usage or an unreadable model.";

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
    if command == "diff" {
        return run_diff(flags);
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

fn run_diff(flags: &[String]) -> Result<ExitCode, String> {
    let mut old = None;
    let mut new = None;
    let mut operations = None;
    let mut json = false;
    let mut fail_on = None;
    let mut it = flags.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value\n\n{USAGE}"))
        };
        match flag.as_str() {
            "--old" => old = Some(PathBuf::from(value()?)),
            "--new" => new = Some(PathBuf::from(value()?)),
            "--operations" => operations = Some(operation_list(value()?)),
            "--format" => {
                json = match value()?.as_str() {
                    "json" => true,
                    "text" => false,
                    other => return Err(format!("--format must be text or json, not `{other}`")),
                }
            }
            "--fail-on" => {
                fail_on = Some(
                    value()?
                        .parse::<Impact>()
                        .map_err(|e| format!("--fail-on: {e}"))?,
                )
            }
            other => return Err(format!("unknown flag `{other}` for diff\n\n{USAGE}")),
        }
    }
    let old = old.ok_or_else(|| format!("diff needs --old FILE\n\n{USAGE}"))?;
    let new = new.ok_or_else(|| format!("diff needs --new FILE\n\n{USAGE}"))?;
    let old = diff::load(&old).map_err(|e| e.to_string())?;
    let new = diff::load(&new).map_err(|e| e.to_string())?;
    let report = diff::diff(&old, &new, operations.as_deref()).map_err(|e| e.to_string())?;
    let text = if json {
        report.to_json() + "\n"
    } else {
        report.to_text()
    };
    // A reader that stops early (`| head`) is not an error worth a panic.
    if let Err(e) = std::io::stdout().write_all(text.as_bytes()) {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(format!("cannot write the report: {e}"));
        }
    }
    match fail_on {
        Some(level) if report.impact >= level => {
            eprintln!(
                "the update's impact `{}` reaches --fail-on {level}",
                report.impact
            );
            Ok(ExitCode::FAILURE)
        }
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// `A, B,,C` → `["A", "B", "C"]`.
fn operation_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
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
            "--operations" => operations = Some(operation_list(&value()?)),
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
