//! The `chokepoint` binary: everything lives in the library; this only dispatches.
fn main() -> std::process::ExitCode {
    chokepoint::cli::main()
}
