//! `chokepoint mitigate` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct MitigateArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: MitigateArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`mitigate` is not implemented yet".into()))
}
