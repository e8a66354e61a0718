//! `chokepoint scenario` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct ScenarioArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: ScenarioArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`scenario` is not implemented yet".into()))
}
