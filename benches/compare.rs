//! chime-caps against the official `aws-sdk-chimesdkmeetings`, side by side, in one run:
//! `cargo bench --bench compare`. It writes the results into BENCHMARKS.md (between the
//! `compare:begin` and `compare:end` markers) and prints them.
//!
//! Every figure of both crates comes from the same sources built the same way: the
//! drop-in program (`benches/drop-in`), written against the official API only, is
//! built once against the official crate and once against chime-caps through a package
//! alias, with the same release profile, in its own workspace and target directory
//! (`target/drop-in`, so this never waits on the workspace's build lock).
//!
//! * **compile time**: `cargo build --release --timings` of the one-call program after
//!   `cargo clean -p` of the client crate(s) only, every dependency prebuilt; the
//!   figure is the span of the client crates' units in cargo's timing data (start of
//!   the first to end of the last), and, as a figure the machine's load disturbs less,
//!   the CPU time of their `rustc` processes (this program, as `RUSTC_WRAPPER`,
//!   measures it);
//! * **size**: the one-call program, stripped with `strip`;
//! * **dependencies**: unique crates of `cargo tree -e normal` of a probe package that
//!   depends on the library with `default-features = false`, the probe excluded;
//! * **calls/s and client CPU per call**: the drop-in program against the emulator,
//!   which this process runs (so the client process's `getrusage` counts the client
//!   alone); official and chime-caps runs alternate, their order flipping every rep;
//! * **rejection**: a capability change the service refuses (video in a meeting
//!   without video); the official crate learns it from the service's 400, chime-caps
//!   before sending;
//! * **generator**: `chime-caps-codegen`'s `Generator` on the official model (all
//!   operations), crate rendered, formatted and written, timed in this process.
//!
//! Environment: `COMPARE_ONLY=compile,size,deps,calls,reject,generator` (any subset;
//! BENCHMARKS.md is only rewritten by a full run; `serve` only runs the emulator, for
//! profiling the drop-in program by hand), `COMPARE_REPS` (5),
//! `COMPARE_COMPILE_REPS` (3), `COMPARE_CALLS` (calls per run at C=1, 2000; C=16 runs
//! make four times as many). Nothing is asserted: the figures depend on the machine.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chime_caps::emulator::Emulator;

/// The two builds of the drop-in program.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Variant {
    Official,
    ChimeCaps,
}

impl Variant {
    const BOTH: [Variant; 2] = [Variant::Official, Variant::ChimeCaps];

    fn package(self) -> &'static str {
        match self {
            Variant::Official => "official",
            Variant::ChimeCaps => "chime-caps",
        }
    }

    /// The library crates a user of this variant compiles (the client crates).
    fn client_crates(self) -> &'static [&'static str] {
        match self {
            Variant::Official => &["aws-sdk-chimesdkmeetings"],
            Variant::ChimeCaps => &["chime-caps", "chime-caps-generated", "chime-caps-runtime"],
        }
    }

    /// The client crates a model update rebuilds: chime-caps-runtime does not depend
    /// on the model (it is to chime-caps what aws-smithy-runtime is to the official
    /// crate) and stays built.
    fn model_crates(self) -> &'static [&'static str] {
        match self {
            Variant::Official => &["aws-sdk-chimesdkmeetings"],
            Variant::ChimeCaps => &["chime-caps", "chime-caps-generated"],
        }
    }

    /// The dependency line of a package that uses the library without default features.
    fn dependency_without_defaults(self, root: &Path) -> String {
        match self {
            Variant::Official => {
                r#"aws-sdk-chimesdkmeetings = { version = "=1.121.0", default-features = false }"#
                    .to_owned()
            }
            Variant::ChimeCaps => format!(
                r#"chime-caps = {{ path = "{}", default-features = false }}"#,
                root.display()
            ),
        }
    }
}

/// Paths and settings of one run.
struct Bench {
    root: PathBuf,
    drop_in: PathBuf,
    target: PathBuf,
    scratch: PathBuf,
    reps: usize,
    compile_reps: usize,
    calls: usize,
}

impl Bench {
    fn cargo(&self) -> Command {
        let mut cargo = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        cargo
            .current_dir(&self.drop_in)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTC_WRAPPER")
            .env_remove("RUSTFLAGS");
        cargo
    }

    fn binary(&self, name: &str, variant: Variant) -> PathBuf {
        self.target
            .join("release")
            .join(format!("{name}-{}", variant.package()))
    }

    fn build_drop_in(&self) {
        eprintln!("building the drop-in program against both crates (release) ...");
        run_checked(
            self.cargo()
                .args(["build", "--release", "--workspace", "--quiet"]),
        );
    }
}

fn run_checked(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    if !output.status.success() {
        panic!(
            "{command:?} failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    }
}

/// Median and range of some measurements.
#[derive(Clone, Debug)]
struct Spread {
    median: f64,
    min: f64,
    max: f64,
}

impl Spread {
    fn of(mut values: Vec<f64>) -> Self {
        let median = median(&mut values);
        Spread {
            median,
            min: values[0],
            max: values[values.len() - 1],
        }
    }
}

// ---------------------------------------------------------------------------------
// Compile time
// ---------------------------------------------------------------------------------

/// As `RUSTC_WRAPPER`: runs rustc and appends `crate user_us sys_us` to the file
/// named by `COMPARE_RUSTC_LOG`.
fn rustc_wrapper(log: &str) -> ! {
    let mut args = std::env::args_os().skip(1);
    let rustc = args.next().expect("cargo passes rustc's path");
    let args: Vec<_> = args.collect();
    let status = Command::new(&rustc)
        .args(&args)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {rustc:?}: {e}"));
    let crate_name = args
        .iter()
        .position(|a| a == "--crate-name")
        .and_then(|i| args.get(i + 1))
        .map(|name| name.to_string_lossy().into_owned());
    if let Some(crate_name) = crate_name {
        // SAFETY: `getrusage` only writes the struct it is given.
        let usage = unsafe {
            let mut usage = std::mem::zeroed::<libc::rusage>();
            libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
            usage
        };
        let us = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
        let line = format!(
            "{crate_name} {} {}\n",
            us(usage.ru_utime),
            us(usage.ru_stime)
        );
        use std::io::Write;
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(log)
        {
            let _ = file.write_all(line.as_bytes());
        }
    }
    std::process::exit(status.code().unwrap_or(1));
}

/// Seconds to rebuild the client crates of `variant`, everything else prebuilt.
struct CompileTime {
    /// Cargo's timing data, first client unit's start to last one's end.
    wall: f64,
    /// The client crates' `rustc` processes.
    cpu: f64,
    /// The `rustc` processes of the crates a model update rebuilds.
    model_cpu: f64,
}

fn compile_once(bench: &Bench, variant: Variant) -> CompileTime {
    let package = format!("drop-in-{}", variant.package());
    let bin = format!("one-call-{}", variant.package());
    // Everything else is built (and stays built).
    run_checked(bench.cargo().args([
        "build",
        "--release",
        "--quiet",
        "-p",
        &package,
        "--bin",
        &bin,
    ]));
    let mut clean = bench.cargo();
    clean.args(["clean", "--release", "--quiet"]);
    for krate in variant.client_crates() {
        clean.args(["-p", krate]);
    }
    run_checked(&mut clean);
    let log = bench
        .scratch
        .join(format!("rustc-{}.log", variant.package()));
    let _ = std::fs::remove_file(&log);
    let timings = bench.target.join("cargo-timings").join("cargo-timing.html");
    let _ = std::fs::remove_file(&timings);
    run_checked(
        bench
            .cargo()
            .args([
                "build",
                "--release",
                "--quiet",
                "--timings",
                "-p",
                &package,
                "--bin",
                &bin,
            ])
            .env(
                "RUSTC_WRAPPER",
                std::env::current_exe().expect("this program's path"),
            )
            .env("COMPARE_RUSTC_LOG", &log),
    );
    let log = std::fs::read_to_string(&log).unwrap_or_default();
    let cpu_seconds = |crates: &[&str]| {
        let crates: BTreeSet<String> = crates.iter().map(|c| c.replace('-', "_")).collect();
        let micros: u64 = log
            .lines()
            .filter_map(|line| {
                let mut fields = line.split_whitespace();
                let name = fields.next()?;
                let user: u64 = fields.next()?.parse().ok()?;
                let sys: u64 = fields.next()?.parse().ok()?;
                crates.contains(name).then_some(user + sys)
            })
            .sum();
        micros as f64 / 1e6
    };
    CompileTime {
        wall: unit_span(&timings, variant.client_crates()),
        cpu: cpu_seconds(variant.client_crates()),
        model_cpu: cpu_seconds(variant.model_crates()),
    }
}

/// The seconds from the start of the first to the end of the last library unit of
/// `crates` in a cargo timing report.
fn unit_span(report: &Path, crates: &[&str]) -> f64 {
    let html = std::fs::read_to_string(report)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", report.display()));
    let start = html
        .find("UNIT_DATA = ")
        .expect("cargo's timing report holds UNIT_DATA")
        + "UNIT_DATA = ".len();
    let end = start + html[start..].find("\n];").expect("UNIT_DATA ends") + 2;
    let units: serde_json::Value =
        serde_json::from_str(&html[start..end]).expect("UNIT_DATA is JSON");
    let (mut first, mut last) = (f64::MAX, 0.0f64);
    for unit in units.as_array().expect("UNIT_DATA is an array") {
        let name = unit["name"].as_str().unwrap_or_default();
        let is_lib = unit["target"].as_str().unwrap_or_default().is_empty();
        if is_lib && crates.contains(&name) {
            let unit_start = unit["start"].as_f64().unwrap_or_default();
            let duration = unit["duration"].as_f64().unwrap_or_default();
            if duration > 0.0 {
                first = first.min(unit_start);
                last = last.max(unit_start + duration);
            }
        }
    }
    assert!(
        last > 0.0,
        "no unit of {crates:?} was rebuilt in {}",
        report.display()
    );
    last - first
}

/// Wall, CPU and model-update CPU seconds of each variant's rebuild, the variants
/// alternating.
fn compile_times(bench: &Bench) -> BTreeMap<Variant, [Spread; 3]> {
    let mut samples: BTreeMap<Variant, [Vec<f64>; 3]> = BTreeMap::new();
    for rep in 0..bench.compile_reps {
        for variant in ordered(rep) {
            let time = compile_once(bench, variant);
            eprintln!(
                "compile {:>10} rep {rep}: {:.2} s wall, {:.2} s CPU ({:.2} s model crates)",
                variant.package(),
                time.wall,
                time.cpu,
                time.model_cpu
            );
            let entry = samples.entry(variant).or_default();
            entry[0].push(time.wall);
            entry[1].push(time.cpu);
            entry[2].push(time.model_cpu);
        }
    }
    samples
        .into_iter()
        .map(|(v, samples)| (v, samples.map(Spread::of)))
        .collect()
}

/// The variants in the order of rep `rep`: the first one flips every rep so that a
/// drift of the machine's load favours neither.
fn ordered(rep: usize) -> [Variant; 2] {
    if rep.is_multiple_of(2) {
        Variant::BOTH
    } else {
        [Variant::ChimeCaps, Variant::Official]
    }
}

// ---------------------------------------------------------------------------------
// Size and dependencies
// ---------------------------------------------------------------------------------

fn stripped_size(bench: &Bench, variant: Variant) -> u64 {
    let copy = bench
        .scratch
        .join(format!("one-call-{}-stripped", variant.package()));
    std::fs::copy(bench.binary("one-call", variant), &copy).expect("copy the one-call binary");
    run_checked(Command::new("strip").arg(&copy));
    std::fs::metadata(&copy).expect("the stripped binary").len()
}

/// Unique crates in the normal dependency tree of the library without default
/// features, itself included.
fn dependency_count(bench: &Bench, variant: Variant) -> usize {
    let probe = bench.scratch.join(format!("deps-{}", variant.package()));
    std::fs::create_dir_all(&probe).expect("create the probe package");
    std::fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"deps-probe\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             [lib]\npath = \"lib.rs\"\n[dependencies]\n{}\n[workspace]\n",
            variant.dependency_without_defaults(&bench.root)
        ),
    )
    .expect("write the probe manifest");
    std::fs::write(probe.join("lib.rs"), "").expect("write the probe source");
    // The drop-in lock file: the same versions as the other measurements.
    std::fs::copy(bench.drop_in.join("Cargo.lock"), probe.join("Cargo.lock"))
        .expect("copy the lock file");
    let tree = run_checked(
        Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(&probe)
            .args(["tree", "-e", "normal", "--prefix", "none"]),
    );
    tree.lines()
        .map(|line| line.trim_end_matches(" (*)"))
        .filter(|line| !line.starts_with("deps-probe "))
        .collect::<BTreeSet<_>>()
        .len()
}

// ---------------------------------------------------------------------------------
// Calls
// ---------------------------------------------------------------------------------

/// One run of the drop-in program.
#[derive(Debug, Clone, Copy)]
struct Run {
    calls_per_s: f64,
    cpu_us_per_call: f64,
    wall_us_per_call: f64,
    server_cpu_us_per_call: f64,
}

fn process_cpu_us() -> u64 {
    // SAFETY: `getrusage` only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let us = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    us(usage.ru_utime) + us(usage.ru_stime)
}

/// The chime-caps scenario of `update` with its validation turned off (through the
/// environment variable operators use, since the program knows only the official API):
/// the calls are the same, so the difference to `update` is what the checks cost.
const UPDATE_VALIDATION_OFF: &str = "update, validation off";

fn drop_in_run(
    bench: &Bench,
    emulator: &Emulator,
    variant: Variant,
    op: &str,
    concurrency: usize,
    calls: usize,
) -> Run {
    let (op, validation) = match op {
        UPDATE_VALIDATION_OFF => ("update", "off"),
        op => (op, ""),
    };
    let credentials = emulator.credentials();
    let server_before = process_cpu_us();
    let out = run_checked(
        Command::new(bench.binary("drop-in", variant))
            .env(chime_caps::validation::ENV_VAR, validation)
            .args(["--endpoint", &emulator.endpoint_url()])
            .args(["--region", emulator.region()])
            .args(["--access-key-id", credentials.access_key_id()])
            .args(["--secret-access-key", credentials.secret_access_key()])
            .args(["--op", op])
            .args(["--concurrency", &concurrency.to_string()])
            .args(["--calls", &calls.to_string()])
            .args(["--warmup", &(calls / 10).to_string()]),
    );
    let server_cpu = process_cpu_us() - server_before;
    let field = |name: &str| -> f64 {
        out.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("the drop-in program printed no {name}: {out}"))
    };
    let n = field("calls");
    let wall_s = field("wall_ns") / 1e9;
    // The server also served the set-up and warm-up calls: 1.1 × calls plus a few.
    let served = n * 1.1 + concurrency as f64 + 2.0;
    Run {
        calls_per_s: n / wall_s,
        cpu_us_per_call: (field("cpu_user_us") + field("cpu_sys_us")) / n,
        wall_us_per_call: wall_s * 1e6 / n,
        server_cpu_us_per_call: server_cpu as f64 / served,
    }
}

/// Key of a call measurement: operation and concurrency.
type Scenario = (&'static str, usize);

fn call_runs(
    bench: &Bench,
    emulator: &Emulator,
    scenarios: &[Scenario],
) -> BTreeMap<(Scenario, Variant), Vec<Run>> {
    let mut runs: BTreeMap<(Scenario, Variant), Vec<Run>> = BTreeMap::new();
    for rep in 0..bench.reps {
        for &(op, concurrency) in scenarios {
            let calls = if concurrency == 1 {
                bench.calls
            } else {
                bench.calls * 4
            };
            let mut order: Vec<(&'static str, Variant)> =
                ordered(rep).iter().map(|&variant| (op, variant)).collect();
            if op == "update" {
                // Next to the default chime-caps run, on alternating sides of it.
                let at = if rep % 2 == 0 { 0 } else { order.len() };
                order.insert(at, (UPDATE_VALIDATION_OFF, Variant::ChimeCaps));
            }
            for (op, variant) in order {
                let run = drop_in_run(bench, emulator, variant, op, concurrency, calls);
                eprintln!(
                    "{op:>6} C={concurrency:<2} {:>10} rep {rep}: {:>7.0} calls/s, {:>6.1} µs client CPU/call, {:>6.1} µs server CPU/call",
                    variant.package(),
                    run.calls_per_s,
                    run.cpu_us_per_call,
                    run.server_cpu_us_per_call
                );
                runs.entry(((op, concurrency), variant))
                    .or_default()
                    .push(run);
            }
        }
    }
    runs
}

/// What the capability checks add to an accepted `UpdateAttendeeCapabilities`: the
/// default chime-caps runs against their validation-off neighbours of the same rep,
/// in client CPU per call (the figure the machine's load disturbs least), as the
/// median of the per-rep ratios.
fn validation_overhead_row(
    runs: &BTreeMap<(Scenario, Variant), Vec<Run>>,
    concurrency: usize,
    command: &str,
) -> Row {
    let enforce = &runs[&(("update", concurrency), Variant::ChimeCaps)];
    let off = &runs[&((UPDATE_VALIDATION_OFF, concurrency), Variant::ChimeCaps)];
    let overhead = Spread::of(
        enforce
            .iter()
            .zip(off)
            .map(|(e, o)| (e.cpu_us_per_call / o.cpu_us_per_call - 1.0) * 100.0)
            .collect(),
    );
    let cpu = |runs: &[Run]| Spread::of(runs.iter().map(|r| r.cpu_us_per_call).collect());
    Row {
        what: format!(
            "validation overhead on an accepted UpdateAttendeeCapabilities, client CPU per call, C={concurrency}: validation on (default) vs `CHIME_CAPS_VALIDATION=off`, median of the per-rep differences"
        ),
        official: "(no validation)".into(),
        ours: format!(
            "{:+.1} % ({:+.1} to {:+.1}); on {}, off {}",
            overhead.median,
            overhead.min,
            overhead.max,
            fmt_spread(&cpu(enforce), 1, " µs"),
            fmt_spread(&cpu(off), 1, " µs")
        ),
        ratio: None,
        target: "≤ 2 %",
        met: Some(overhead.median <= 2.0),
        command: format!(
            "{command}, plus one run of drop-in-chime-caps with `CHIME_CAPS_VALIDATION=off` next to each default one (validation off still learns meetings from responses; it skips the checks)"
        ),
    }
}

// ---------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------

/// Milliseconds (wall, then CPU of every thread) to generate, format and write the
/// crate of the whole official model.
fn generator_ms(bench: &Bench, model: &Path) -> (Spread, Spread) {
    let out = bench.scratch.join("generated-official");
    let mut samples = Vec::new();
    let mut cpu_samples = Vec::new();
    for _ in 0..bench.reps {
        let _ = std::fs::remove_dir_all(&out);
        let start = Instant::now();
        let cpu_start = process_cpu_us();
        let files = chime_caps_codegen::Generator::new(model)
            .crate_name("aws-sdk-chimesdkmeetings-generated")
            .generate_crate(&out)
            .unwrap_or_else(|e| panic!("generating {}: {e}", model.display()));
        chime_caps_codegen::write::write(&out, &files)
            .unwrap_or_else(|e| panic!("writing {}: {e}", out.display()));
        samples.push(start.elapsed().as_secs_f64() * 1e3);
        cpu_samples.push((process_cpu_us() - cpu_start) as f64 / 1e3);
    }
    (Spread::of(samples), Spread::of(cpu_samples))
}

// ---------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------

/// One line of the results table.
struct Row {
    what: String,
    official: String,
    ours: String,
    ratio: Option<f64>,
    target: &'static str,
    /// `Some(met)` when the row has a target.
    met: Option<bool>,
    command: String,
}

fn fmt_spread(s: &Spread, decimals: usize, unit: &str) -> String {
    if (s.max - s.min).abs() < f64::EPSILON {
        format!("{:.*}{unit}", decimals, s.median)
    } else {
        format!(
            "{:.*}{unit} ({:.*}–{:.*})",
            decimals, s.median, decimals, s.min, decimals, s.max
        )
    }
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| what a user pays | official | chime-caps | chime-caps ÷ official | target | met |\n\
         |---|---:|---:|---:|---|---|\n",
    );
    for row in rows {
        let ratio = row.ratio.map(|r| format!("{r:.2}×")).unwrap_or_default();
        let met = match row.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        writeln!(
            out,
            "| {} | {} | {} | {ratio} | {} | {met} |",
            row.what, row.official, row.ours, row.target
        )
        .unwrap();
    }
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines().find_map(|l| {
                l.strip_prefix("model name")
                    .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned())
            })
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    let date = Command::new("date")
        .args(["-u", "+%Y-%m-%d %H:%M UTC"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "{date}; {cores} cores ({cpu}), load average at the end {load}; {rustc}; \
         aws-sdk-chimesdkmeetings 1.121.0"
    )
}

fn main() {
    if let Ok(log) = std::env::var("COMPARE_RUSTC_LOG") {
        rustc_wrapper(&log);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let env_usize = |name: &str, default: usize| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let bench = Bench {
        drop_in: root.join("benches/drop-in"),
        target: root.join("target/drop-in"),
        scratch: root.join("target/compare"),
        root: root.clone(),
        reps: env_usize("COMPARE_REPS", 5).max(1),
        compile_reps: env_usize("COMPARE_COMPILE_REPS", 3).max(1),
        calls: env_usize("COMPARE_CALLS", 2_000).max(10),
    };
    std::fs::create_dir_all(&bench.scratch).expect("create target/compare");
    let all = ["compile", "size", "deps", "calls", "reject", "generator"];
    let only: Vec<String> = match std::env::var("COMPARE_ONLY") {
        Ok(list) => list.split(',').map(|s| s.trim().to_owned()).collect(),
        Err(_) => all.iter().map(|s| s.to_string()).collect(),
    };
    let wanted = |part: &str| only.iter().any(|o| o == part);
    if wanted("serve") {
        serve();
    }
    let full_run = all.iter().all(|part| wanted(part));

    let mut rows = Vec::new();
    let cargo_bench = "cargo bench --bench compare";

    if ["compile", "size", "calls", "reject"]
        .iter()
        .any(|p| wanted(p))
    {
        bench.build_drop_in();
    }
    if wanted("compile") {
        let times = compile_times(&bench);
        let [off_wall, off_cpu, off_model] = &times[&Variant::Official];
        let [our_wall, our_cpu, our_model] = &times[&Variant::ChimeCaps];
        let ratio = our_wall.median / off_wall.median;
        rows.push(Row {
            what: format!(
                "release rebuild of the client crate(s), deps prebuilt, wall (`--timings`, median of {})",
                bench.compile_reps
            ),
            official: fmt_spread(off_wall, 1, " s"),
            ours: fmt_spread(our_wall, 1, " s"),
            ratio: Some(ratio),
            target: "≤ 0.5×",
            met: Some(ratio <= 0.5),
            command: "`cargo clean --release -p <client crates>` then `cargo build --release --timings -p drop-in-<variant> --bin one-call-<variant>` in benches/drop-in".into(),
        });
        rows.push(Row {
            what: "the same rebuild, CPU time of the client crates' rustc processes".into(),
            official: fmt_spread(off_cpu, 1, " s"),
            ours: fmt_spread(our_cpu, 1, " s"),
            ratio: Some(our_cpu.median / off_cpu.median),
            target: "",
            met: None,
            command: "the same build, with this bench as `RUSTC_WRAPPER` (getrusage of each rustc)"
                .into(),
        });
        rows.push(Row {
            what: "of which the crates a model update rebuilds (chime-caps-runtime does not depend on the model, like aws-smithy-runtime), CPU".into(),
            official: fmt_spread(off_model, 1, " s"),
            ours: fmt_spread(our_model, 1, " s"),
            ratio: Some(our_model.median / off_model.median),
            target: "",
            met: None,
            command: "the same build's rustc CPU log, only `chime-caps-generated` and `chime-caps` (official: the crate itself)"
                .into(),
        });
    }
    if wanted("size") {
        let official = stripped_size(&bench, Variant::Official) as f64 / 1e6;
        let ours = stripped_size(&bench, Variant::ChimeCaps) as f64 / 1e6;
        let ratio = ours / official;
        rows.push(Row {
            what: "one-call binary, stripped".into(),
            official: format!("{official:.2} MB"),
            ours: format!("{ours:.2} MB"),
            ratio: Some(ratio),
            target: "≤ 0.8×",
            met: Some(ratio <= 0.8),
            command: "`cargo build --release` in benches/drop-in, then `strip target/drop-in/release/one-call-<variant>`".into(),
        });
    }
    if wanted("deps") {
        let official = dependency_count(&bench, Variant::Official);
        let ours = dependency_count(&bench, Variant::ChimeCaps);
        rows.push(Row {
            what: "crates in the library's dependency tree (no default features, the library's own crates included)".into(),
            official: official.to_string(),
            ours: ours.to_string(),
            ratio: Some(ours as f64 / official as f64),
            target: "≤ official",
            met: Some(ours <= official),
            command: "`cargo tree -e normal --prefix none` of a probe package depending on the library with `default-features = false`, unique lines".into(),
        });
    }
    if wanted("calls") || wanted("reject") {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("a tokio runtime");
        let emulator = runtime
            .block_on(Emulator::builder().start())
            .expect("start the emulator");
        let mut scenarios: Vec<Scenario> = Vec::new();
        if wanted("calls") {
            scenarios.extend([("update", 1), ("update", 16), ("batch", 1), ("batch", 16)]);
        }
        if wanted("reject") {
            scenarios.push(("reject", 1));
        }
        let runs = call_runs(&bench, &emulator, &scenarios);
        runtime.block_on(emulator.shutdown());
        let stat = |scenario: Scenario, variant: Variant, f: fn(&Run) -> f64| {
            Spread::of(runs[&(scenario, variant)].iter().map(f).collect())
        };
        for &(op, concurrency) in &scenarios {
            let scenario = (op, concurrency);
            let name = match op {
                "update" => "UpdateAttendeeCapabilities",
                "batch" => "BatchUpdateAttendeeCapabilitiesExcept",
                _ => "UpdateAttendeeCapabilities refused (video in a meeting without video)",
            };
            let headline = op == "update";
            let command = format!(
                "`drop-in-<variant> --op {op} --concurrency {concurrency} --calls {}` against the emulator (run by `{cargo_bench}`), median of {} reps",
                if concurrency == 1 { bench.calls } else { bench.calls * 4 },
                bench.reps
            );
            let per_s = |v| stat(scenario, v, |r| r.calls_per_s);
            let cpu = |v| stat(scenario, v, |r| r.cpu_us_per_call);
            let (off, ours) = (per_s(Variant::Official), per_s(Variant::ChimeCaps));
            let ratio = ours.median / off.median;
            if op == "reject" {
                let latency = |v| stat(scenario, v, |r| r.wall_us_per_call);
                let (off_l, ours_l) = (latency(Variant::Official), latency(Variant::ChimeCaps));
                rows.push(Row {
                    what: format!("{name}: time until the caller has the error, per call, C=1"),
                    official: fmt_spread(&off_l, 1, " µs"),
                    ours: fmt_spread(&ours_l, 1, " µs"),
                    ratio: Some(ours_l.median / off_l.median),
                    target: "≤ 2 µs",
                    met: Some(ours_l.median <= 2.0),
                    command: command.clone(),
                });
            } else {
                rows.push(Row {
                    what: format!("{name} calls/s over loopback, C={concurrency}"),
                    official: fmt_spread(&off, 0, ""),
                    ours: fmt_spread(&ours, 0, ""),
                    ratio: Some(ratio),
                    target: if headline { "≥ 1.5×" } else { "" },
                    met: headline.then_some(ratio >= 1.5),
                    command: command.clone(),
                });
            }
            if op == "update" {
                rows.push(validation_overhead_row(&runs, concurrency, &command));
            }
            let (off_c, ours_c) = (cpu(Variant::Official), cpu(Variant::ChimeCaps));
            let cpu_ratio = ours_c.median / off_c.median;
            rows.push(Row {
                what: format!("{name}: client CPU per call, C={concurrency}"),
                official: fmt_spread(&off_c, 1, " µs"),
                ours: fmt_spread(&ours_c, 1, " µs"),
                ratio: Some(cpu_ratio),
                target: if headline { "≤ 0.6×" } else { "" },
                met: headline.then_some(cpu_ratio <= 0.6),
                command,
            });
            let server = |v| stat(scenario, v, |r| r.server_cpu_us_per_call);
            eprintln!(
                "{op} C={concurrency}: emulator CPU per request {:.1} µs (official run) / {:.1} µs (chime-caps run)",
                server(Variant::Official).median,
                server(Variant::ChimeCaps).median
            );
        }
    }
    if wanted("generator") {
        let model = root.join("../shared/models/chime-sdk-meetings.json");
        if model.exists() {
            let (ms, cpu_ms) = generator_ms(&bench, &model);
            rows.push(Row {
                what: "generator: the full official model → formatted crate on disk, wall (CPU of all threads)".into(),
                official: "(JVM + Gradle: not measured)".into(),
                ours: format!(
                    "{} (CPU {})",
                    fmt_spread(&ms, 1, " ms"),
                    fmt_spread(&cpu_ms, 1, " ms")
                ),
                ratio: None,
                target: "≤ 100 ms",
                met: Some(ms.median <= 100.0),
                command: format!(
                    "`Generator::new(\"../shared/models/chime-sdk-meetings.json\").generate_crate(..)` + `write::write`, in `{cargo_bench}` (release), median of {}",
                    bench.reps
                ),
            });
        } else {
            eprintln!("{} not found: generator time skipped", model.display());
        }
    }

    let mut report = String::new();
    writeln!(report, "Measured {}.\n", machine()).unwrap();
    report.push_str(&table(&rows));
    report.push_str("\nHow each figure was produced:\n\n");
    for row in &rows {
        writeln!(report, "- {}: {}", row.what, row.command).unwrap();
    }
    println!("{report}");
    let path = if full_run {
        root.join("BENCHMARKS.md")
    } else {
        bench.scratch.join("report.md")
    };
    write_report(&path, &report);
    eprintln!("written to {}", path.display());
}

/// `COMPARE_ONLY=serve`: the emulator alone, until killed, for profiling the drop-in
/// program by hand (it prints the arguments the program needs).
fn serve() -> ! {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    runtime.block_on(async {
        let emulator = Emulator::builder()
            .start()
            .await
            .expect("start the emulator");
        let credentials = emulator.credentials();
        println!(
            "--endpoint {} --access-key-id {} --secret-access-key {}",
            emulator.endpoint_url(),
            credentials.access_key_id(),
            credentials.secret_access_key()
        );
        std::future::pending::<()>().await;
    });
    unreachable!("the emulator serves until the process is killed")
}

const BEGIN: &str = "<!-- compare:begin (written by `cargo bench --bench compare`) -->";
const END: &str = "<!-- compare:end -->";

/// Replaces the text between the markers of `path` (or writes a file of its own).
fn write_report(path: &Path, report: &str) {
    let old = std::fs::read_to_string(path).unwrap_or_default();
    let new = match (old.find(BEGIN), old.find(END)) {
        (Some(begin), Some(end)) if begin < end => {
            format!("{}{BEGIN}\n{report}{}", &old[..begin], &old[end..])
        }
        _ => format!("{BEGIN}\n{report}{END}\n"),
    };
    std::fs::write(path, new).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
