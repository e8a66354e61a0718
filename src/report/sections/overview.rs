//! The summary section: its heading and introduction, then the national
//! choke points, the heat map and map, the riskiest items and the headline
//! figures (each its own module), in that order.

use super::Ctx;
use crate::report::doc::{para, Block};

/// The summary section.
pub fn push(b: &mut Vec<Block>, cx: &Ctx) {
    let Ctx {
        model, a, l, data, ..
    } = *cx;
    // ---------------------------------------------------------------- summary
    b.push(Block::Open("summary".into()));
    b.push(Block::Heading {
        level: 2,
        anchor: "summary-h".into(),
        text: l.summary.into(),
    });
    b.push(para(
        l.summary_intro
            .replace("{systems}", &a.systems.len().to_string())
            .replace("{items}", &a.items.len().to_string())
            .replace("{suppliers}", &model.suppliers.len().to_string())
            .replace("{scenarios}", &data.outcomes.len().to_string())
            .replace("{references}", &model.references.len().to_string()),
    ));

    super::national::push(b, cx);
    super::risk::push(b, cx);
    super::figures::push(b, cx);
    b.push(Block::Close);
}
