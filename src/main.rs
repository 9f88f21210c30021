//! The `chime-caps` binary; everything lives in [`chime_caps::cli`].

fn main() -> std::process::ExitCode {
    chime_caps::cli::main()
}
