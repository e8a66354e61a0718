//! `chokepoint generate`: write a synthetic graph directory.

use super::CliError;
use chokepoint::synth::{generate, SynthParams};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    /// Number of items (systems included).
    #[arg(long, default_value_t = 1000)]
    pub items: usize,
    /// Number of suppliers.
    #[arg(long, default_value_t = 100)]
    pub suppliers: usize,
    /// Number of countries (2–30); the first is home (CN).
    #[arg(long, default_value_t = 12)]
    pub countries: usize,
    /// Tiers including systems (2 or more).
    #[arg(long, default_value_t = 5)]
    pub depth: usize,
    /// Seed: the same parameters and seed give the same files.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Most items per file. Files are parsed in parallel, so a graph split into
    /// several files loads faster and with less transient memory than one big file.
    #[arg(long, default_value_t = 5_000)]
    pub items_per_file: usize,
    /// Output directory (created; existing files of the same names are replaced).
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: GenerateArgs) -> Result<(), CliError> {
    if args.depth < 2 || args.items < args.depth {
        return Err(super::usage(
            "--depth must be at least 2 and --items at least --depth (one item per tier)".into(),
        ));
    }
    let params = SynthParams {
        items: args.items,
        suppliers: args.suppliers,
        countries: args.countries,
        depth: args.depth,
        seed: args.seed,
        items_per_file: args.items_per_file,
    };
    let files = generate(&params);
    let set: Vec<_> = files
        .iter()
        .map(|(name, text)| (PathBuf::from(name), text.as_bytes()))
        .collect();
    chokepoint::output::write_files(&args.out, &set)
        .map_err(|e| super::output_error(format!("{e}; nothing was written")))?;
    eprintln!("wrote {} files to {}", files.len(), args.out.display());
    Ok(())
}
