//! `chokepoint diff` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: DiffArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`diff` is not implemented yet".into()))
}
