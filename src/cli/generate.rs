//! `chokepoint generate` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: GenerateArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`generate` is not implemented yet".into()))
}
