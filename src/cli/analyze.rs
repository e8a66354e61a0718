//! `chokepoint analyze` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: AnalyzeArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`analyze` is not implemented yet".into()))
}
