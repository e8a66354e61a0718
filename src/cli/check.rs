//! `chokepoint check`: validate a graph and summarise it.

use super::{emit_as, load_graph_with, CliError, GraphOpts, WarningDetail};
use chokepoint::load::summary::summarize;
use chokepoint::model::Lang;
use chokepoint::output::Format;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub graph: GraphOpts,
    /// Language of the summary table (JSON does not change).
    #[arg(long, value_enum, default_value_t = super::LangArg::En)]
    pub lang: super::LangArg,
    /// Output format of the summary.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write the summary to this file instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

pub fn run(args: CheckArgs) -> Result<(), CliError> {
    let loaded = load_graph_with(&args.graph, WarningDetail::Located)?;
    let s = summarize(&loaded.model, &loaded.warnings);
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&s).expect("summary serializes") + "\n",
        f => s
            .table(Lang::from(args.lang))
            .render_in(f, Lang::from(args.lang)),
    };
    emit_as(args.out.as_deref(), &text, args.format)
}
