//! `chime-caps-codegen`: generate a client crate from a Smithy model, check that a
//! written one is up to date, rewrite the project model from the official one, or
//! classify what a model update changes.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chime_caps_codegen::diff::{self, Impact};
use chime_caps_codegen::import::{self, ProjectDocs, DOCS_FILE};
use chime_caps_codegen::{write, Generator, Settings};

const USAGE: &str = "\
usage:
  chime-caps-codegen generate [--model FILE] [--out DIR] [--operations A,B,..] [--crate-name NAME]
  chime-caps-codegen check    [--model FILE] [--out DIR] [--operations A,B,..] [--crate-name NAME]
  chime-caps-codegen import   --official FILE [--operations A,B,..] [--model FILE] [--docs FILE]
  chime-caps-codegen diff     --old FILE --new FILE [--operations A,B,..]
                              [--format text|json] [--fail-on LEVEL]

generate/check: inside the chime-caps workspace, every setting defaults to
model/codegen.toml (an empty operation list means every operation); a flag replaces
one setting. Another model than the project's needs --out (and, outside the
workspace, --crate-name). The output depends on the set of operations, not on the
order they are listed in. check exits 1 when DIR differs from what generate writes
and prints the command that rewrites it.

import rewrites the project model (--model) as the closure of the chosen operations
of the official model FILE (default operations: model/codegen.toml's). Shapes are
copied as they are, but documented only with the project's own text from --docs
(default model/docs.toml): what has no project text yet is written undocumented and
listed, as are docs entries that match nothing.

diff: what updating the model from --old to --new changes for the generated client,
restricted to the closure of --operations when given. Each change has an impact,
lowest first: none, documentation, behavior, additive, breaking; --format json
prints {\"impact\": .., \"changes\": [..]}, text a summary for a release note.
--fail-on LEVEL exits 1 when the diff's impact reaches LEVEL.

Exit status: 0 success, 1 stale output (check) or --fail-on reached (diff),
2 bad usage or an unreadable input.";

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
            Ok(ExitCode::SUCCESS)
        }
        "generate" => {
            let settings = settings(flags)?;
            let files = Generator::from(&settings)
                .generate_crate(&settings.out)
                .map_err(|e| e.to_string())?;
            write::write(&settings.out, &files)
                .map_err(|e| format!("cannot write {}: {e}", settings.out.display()))?;
            println!("wrote {} files to {}", files.len(), settings.out.display());
            Ok(ExitCode::SUCCESS)
        }
        "check" => {
            let settings = settings(flags)?;
            let files = Generator::from(&settings)
                .generate_crate(&settings.out)
                .map_err(|e| e.to_string())?;
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
            eprintln!("regenerate it with: {}", regenerate_command(&settings));
            Ok(ExitCode::FAILURE)
        }
        "import" => import_model(flags),
        "diff" => run_diff(flags),
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
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
        if values.insert(flag.as_str(), value.as_str()).is_some() {
            return Err(format!("{flag} is given twice"));
        }
    }
    Ok(values)
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

/// The workspace's committed defaults, if the current directory is inside it.
fn workspace_defaults() -> Result<Option<Settings>, String> {
    let cwd = std::env::current_dir().map_err(|e| e.to_string())?;
    Settings::find_root(&cwd)
        .map(|root| Settings::load(&root))
        .transpose()
}

/// Whether two paths name one file (`..` and links resolved when the file exists).
fn same_path(a: &Path, b: &Path) -> bool {
    let resolved = |p: &Path| {
        std::fs::canonicalize(p)
            .or_else(|_| std::path::absolute(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    resolved(a) == resolved(b)
}

/// `text` as one shell word: quoted when it holds anything a shell would split or
/// interpret.
fn shell_word(text: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./,:=@%+".contains(c);
    if !text.is_empty() && text.chars().all(plain) {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// The settings of `generate`/`check`: each flag replaces one default. The committed
/// output directory and crate name only apply to the committed model, so that another
/// model is never written over the checked-in crate by accident.
fn settings(flags: &[String]) -> Result<Settings, String> {
    let flags = parse_flags(flags, &["--model", "--out", "--crate-name", "--operations"])?;
    let defaults = workspace_defaults()?;
    let model = flags
        .get("--model")
        .map(PathBuf::from)
        .or_else(|| defaults.as_ref().map(|d| d.model.clone()))
        .ok_or("--model is required outside the chime-caps workspace")?;
    let project = defaults.as_ref().filter(|d| same_path(&d.model, &model));
    let out = flags
        .get("--out")
        .map(PathBuf::from)
        .or_else(|| project.map(|d| d.out.clone()))
        .ok_or("--out is required for a model other than the project's")?;
    let crate_name = flags
        .get("--crate-name")
        .map(|s| s.to_string())
        .or_else(|| defaults.as_ref().map(|d| d.crate_name.clone()))
        .ok_or("--crate-name is required outside the chime-caps workspace")?;
    let operations = flags
        .get("--operations")
        .map(|s| operation_list(s))
        .or_else(|| project.map(|d| d.operations.clone()))
        .unwrap_or_default();
    Ok(Settings {
        model,
        out,
        crate_name,
        operations,
    })
}

/// The `generate` command that writes exactly what `check` compared against: every
/// setting spelled out, operations in a stable order.
fn regenerate_command(settings: &Settings) -> String {
    let cwd = std::env::current_dir().unwrap_or_default();
    let shown = |p: &Path| shell_word(&p.strip_prefix(&cwd).unwrap_or(p).display().to_string());
    let mut cmd = format!(
        "cargo run -p chime-caps-codegen -- generate --model {} --out {} --crate-name {}",
        shown(&settings.model),
        shown(&settings.out),
        shell_word(&settings.crate_name)
    );
    if !settings.operations.is_empty() {
        let mut operations = settings.operations.clone();
        operations.sort();
        operations.dedup();
        cmd.push_str(" --operations ");
        cmd.push_str(&shell_word(&operations.join(",")));
    }
    cmd
}

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
    print(&import_report(&imported, &paths, unchanged))?;
    Ok(ExitCode::SUCCESS)
}

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

fn run_diff(flags: &[String]) -> Result<ExitCode, String> {
    let flags = parse_flags(
        flags,
        &["--old", "--new", "--operations", "--format", "--fail-on"],
    )?;
    let old = flags
        .get("--old")
        .ok_or_else(|| format!("diff needs --old FILE\n\n{USAGE}"))?;
    let new = flags
        .get("--new")
        .ok_or_else(|| format!("diff needs --new FILE\n\n{USAGE}"))?;
    let json = match flags.get("--format").copied().unwrap_or("text") {
        "json" => true,
        "text" => false,
        other => return Err(format!("--format must be text or json, not `{other}`")),
    };
    let fail_on = flags
        .get("--fail-on")
        .map(|v| v.parse::<Impact>().map_err(|e| format!("--fail-on: {e}")))
        .transpose()?;
    let operations = flags.get("--operations").map(|s| operation_list(s));
    let old = diff::load(Path::new(old)).map_err(|e| e.to_string())?;
    let new = diff::load(Path::new(new)).map_err(|e| e.to_string())?;
    let report = diff::diff(&old, &new, operations.as_deref()).map_err(|e| e.to_string())?;
    print(&if json {
        report.to_json() + "\n"
    } else {
        report.to_text()
    })?;
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

/// Writes to stdout; a reader that stops early (`| head`) is not an error.
fn print(text: &str) -> Result<(), String> {
    match std::io::stdout().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the report: {e}"))
        }
        _ => Ok(()),
    }
}
