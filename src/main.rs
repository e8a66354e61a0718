//! The `chokepoint` binary: the command line (`cli`), a thin layer over the
//! library. The library does not export it: a program that needs what a
//! command computes calls the library functions the command calls.
mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
