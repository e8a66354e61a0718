//! `chokepoint render` (being built; see the issue queue).

use super::{CliError, GraphOpts};

#[derive(clap::Args, Debug)]
pub struct RenderArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
}

pub fn run(_args: RenderArgs) -> Result<(), CliError> {
    Err(CliError::Usage("`render` is not implemented yet".into()))
}
