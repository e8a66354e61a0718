//! `chokepoint import` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct ImportArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: ImportArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`import` is not implemented yet".into()))
}
