//! `chokepoint export` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct ExportArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: ExportArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`export` is not implemented yet".into()))
}
