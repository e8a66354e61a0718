//! `chokepoint report` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: ReportArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`report` is not implemented yet".into()))
}
