//! `chime-caps-codegen generate|check|import`: write a client crate from a Smithy model,
//! check that a written one is up to date, or rewrite the project model from the
//! official one.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chime_caps_codegen::import::{self, ProjectDocs, DOCS_FILE};
use chime_caps_codegen::{generate, write, Settings};

const USAGE: &str = "\
usage:
  chime-caps-codegen generate [--model FILE] [--out DIR] [--operations A,B,..] [--crate-name NAME]
  chime-caps-codegen check    [--model FILE] [--out DIR] [--operations A,B,..] [--crate-name NAME]
  chime-caps-codegen import   --official FILE [--operations A,B,..] [--model FILE] [--docs FILE]

Defaults come from model/codegen.toml in the workspace (found from the current
directory upwards); flags override them. With --model but no defaults file,
--out and --crate-name are required and every operation is generated.

import rewrites the project model (--model) as the closure of the chosen operations
(--operations, in any order; default: the list in model/codegen.toml, where an empty
list means every operation) of the official model FILE. Shapes are copied as they
are, but documented only with the project's own text from --docs (default
model/docs.toml): what has no project text yet is written undocumented and listed,
as are docs entries that match nothing. Exits 0, or 2 on an unreadable or invalid
input.";

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
    match command.as_str() {
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        "import" => return import_model(flags),
        _ => {}
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

/// Flag → value, for flags that all take one value; any other flag is an error.
fn parse_flags<'a>(
    flags: &'a [String],
    known: &[&str],
) -> Result<BTreeMap<&'a str, &'a str>, String> {
    let mut values = BTreeMap::new();
    let mut it = flags.iter();
    while let Some(flag) = it.next() {
        if !known.contains(&flag.as_str()) {
            return Err(format!("unknown flag `{flag}`\n\n{USAGE}"));
        }
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        values.insert(flag.as_str(), value.as_str());
    }
    Ok(values)
}

/// `--operations A,B,..` as a list of names.
fn operation_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn settings(flags: &[String]) -> Result<Settings, String> {
    let flags = parse_flags(flags, &["--model", "--out", "--crate-name", "--operations"])?;
    let model = flags.get("--model").map(PathBuf::from);
    let out = flags.get("--out").map(PathBuf::from);
    let crate_name = flags.get("--crate-name").map(|s| s.to_string());
    let operations = flags.get("--operations").map(|s| operation_list(s));
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

/// Where `import` reads and writes, from the flags and the workspace defaults.
struct ImportPaths {
    official: PathBuf,
    model: PathBuf,
    docs: PathBuf,
    operations: Vec<String>,
}

fn import_paths(flags: &[String]) -> Result<ImportPaths, String> {
    let flags = parse_flags(flags, &["--official", "--operations", "--model", "--docs"])?;
    let official = flags
        .get("--official")
        .map(PathBuf::from)
        .ok_or_else(|| format!("import needs --official FILE\n\n{USAGE}"))?;
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    let (default_model, default_docs, default_operations) = match Settings::find_root(&cwd) {
        Some(root) => {
            let settings = Settings::load(&root)?;
            (
                Some(settings.model),
                Some(root.join(DOCS_FILE)),
                settings.operations,
            )
        }
        None => (None, None, Vec::new()),
    };
    Ok(ImportPaths {
        official,
        model: flags
            .get("--model")
            .map(PathBuf::from)
            .or(default_model)
            .ok_or("--model is required outside the chime-caps workspace")?,
        docs: flags
            .get("--docs")
            .map(PathBuf::from)
            .or(default_docs)
            .ok_or("--docs is required outside the chime-caps workspace")?,
        operations: flags
            .get("--operations")
            .map(|s| operation_list(s))
            .unwrap_or(default_operations),
    })
}

fn import_model(flags: &[String]) -> Result<ExitCode, String> {
    let paths = import_paths(flags)?;
    let docs = ProjectDocs::load(&paths.docs).map_err(|e| e.to_string())?;
    let official_text = std::fs::read_to_string(&paths.official)
        .map_err(|e| format!("cannot read {}: {e}", paths.official.display()))?;
    let imported = import::import(
        &official_text,
        &paths.official.display().to_string(),
        &docs,
        &paths.operations,
    )
    .map_err(|e| e.to_string())?;

    let unchanged = std::fs::read(&paths.model).is_ok_and(|old| old == imported.text.as_bytes());
    if !unchanged {
        std::fs::write(&paths.model, &imported.text)
            .map_err(|e| format!("cannot write {}: {e}", paths.model.display()))?;
    }
    // A reader that stops early (`| head`) is no reason to fail once the model is written.
    let _ = std::io::stdout().write_all(import_report(&imported, &paths, unchanged).as_bytes());
    Ok(ExitCode::SUCCESS)
}

/// What `import` did, what still lacks project documentation (as the keys to add to
/// the docs file) and which docs entries matched nothing.
fn import_report(imported: &import::Import, paths: &ImportPaths, unchanged: bool) -> String {
    let docs = paths.docs.display();
    let mut out = format!(
        "{} {}: {} operations, {} shapes, from {}\n",
        if unchanged { "unchanged" } else { "wrote" },
        paths.model.display(),
        imported.operations.len(),
        imported.shape_count,
        paths.official.display()
    );
    if imported.missing.is_empty() {
        out += "every shape and member the official model documents has project documentation\n";
    } else {
        out += &format!(
            "{} shapes/members documented in the official model have no project documentation \
             yet and were written without any; add them to {docs}:\n",
            imported.missing.len()
        );
        let mut table = "";
        for location in &imported.missing {
            let (namespace, key) = import::docs_key(location);
            if namespace != table {
                out += &format!("  [\"{namespace}\"]\n");
                table = namespace;
            }
            out += &format!("  \"{key}\" = \"..\"\n");
        }
    }
    if imported.undocumented_in_both > 0 {
        out += &format!(
            "({} more shapes/members are undocumented in the official model too; documenting \
             them in {docs} is optional)\n",
            imported.undocumented_in_both
        );
    }
    if imported.unused_here > 0 {
        out += &format!(
            "{} entries of {docs} document shapes outside the chosen operations (not used)\n",
            imported.unused_here
        );
    }
    if !imported.stale.is_empty() {
        out += &format!(
            "{} entries of {docs} name no shape or member of {} (stale: delete or rename them):\n",
            imported.stale.len(),
            paths.official.display()
        );
        for location in &imported.stale {
            let (namespace, key) = import::docs_key(location);
            out += &format!("  [\"{namespace}\"] \"{key}\"\n");
        }
    }
    out
}
