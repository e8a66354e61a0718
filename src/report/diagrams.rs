//! The report's Graphviz diagrams (the BOM of each system and the cross-system
//! choke-point map), laid out through [`crate::render`] — the system `dot` when
//! installed, the built-in layout otherwise — several at a time, and made fit
//! for inlining into one HTML page.

use super::escape::{esc, slug};
use super::ReportOptions;
use crate::graph::{ItemIx, SupplyGraph};
use crate::render::{self, AnnotateOptions, Backend, RenderError, RenderOptions, View};

/// A laid-out diagram.
pub struct Diagram {
    /// The system of a BOM view; `None` for the choke-point map.
    pub system: Option<ItemIx>,
    /// Standalone SVG, as `render` writes it.
    pub svg: String,
    pub backend: Backend,
}

/// Lays out the BOM of every system and the choke-point map, in parallel.
/// Results come back in the order: systems (graph order), then the map.
pub fn render_all(g: &SupplyGraph, opts: &ReportOptions) -> Result<Vec<Diagram>, RenderError> {
    let mut jobs: Vec<Option<ItemIx>> = g.systems().iter().map(|s| Some(*s)).collect();
    jobs.push(None);
    // Build every DOT text first (cheap, single-threaded), then run the layouts.
    let dots: Vec<String> = jobs
        .iter()
        .map(|job| dot_for(g, opts, *job))
        .collect::<Result<_, _>>()?;
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let mut results: Vec<Option<Result<(String, Backend), RenderError>>> =
        (0..dots.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let chunks: Vec<Vec<(usize, &String)>> = (0..workers)
            .map(|w| dots.iter().enumerate().skip(w).step_by(workers).collect())
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .into_iter()
                        .map(|(k, dot)| (k, render::to_svg(dot)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            // A panicking layout thread is a bug in the layout; report it as a failure.
            match h.join() {
                Ok(done) => {
                    for (k, r) in done {
                        results[k] = Some(r);
                    }
                }
                Err(_) => {
                    return;
                }
            }
        }
    });
    jobs.into_iter()
        .zip(results)
        .map(|(system, r)| {
            let (svg, backend) =
                r.unwrap_or_else(|| Err(RenderError::Layout("layout thread panicked".into())))?;
            Ok(Diagram {
                system,
                svg,
                backend,
            })
        })
        .collect()
}

fn dot_for(
    g: &SupplyGraph,
    opts: &ReportOptions,
    system: Option<ItemIx>,
) -> Result<String, RenderError> {
    let by = match opts.by {
        // Diagrams mark choke points by supplier or country; a report by
        // parent marks its diagrams by supplier (docs/decisions.md).
        crate::analysis::EventKind::Supplier | crate::analysis::EventKind::Parent => {
            render::EventBy::Supplier
        }
        crate::analysis::EventKind::Country => render::EventBy::Country,
    };
    let marks = render::annotate(
        g,
        &AnnotateOptions {
            case: opts.case,
            by,
            order: opts.order,
            root: system,
            scenario: None,
        },
    )?;
    let ropts = RenderOptions {
        view: if system.is_some() {
            View::Bom
        } else {
            View::Chokepoints
        },
        system,
        lang: opts.lang,
        order: opts.order,
        by,
        ..RenderOptions::default()
    };
    render::to_dot(g, &ropts, &marks)
}

/// Makes a standalone SVG fit for inlining into HTML: drops the XML prolog,
/// DOCTYPE and comments, prefixes every `id` (and the `#…` references to it)
/// with `prefix` so several diagrams on one page cannot collide, and makes the
/// root scale to the page width (keeping its natural size as the maximum),
/// labelled for assistive technology with `label`.
pub fn inline_svg(svg: &str, prefix: &str, label: &str) -> String {
    let start = svg.find("<svg").unwrap_or(0);
    let mut body = strip_comments(&svg[start..]);
    let prefix = slug(prefix);
    for (from, to) in [
        ("id=\"", format!("id=\"{prefix}-")),
        ("href=\"#", format!("href=\"#{prefix}-")),
        ("url(#", format!("url(#{prefix}-")),
    ] {
        body = body.replace(from, &to);
    }
    // Root element: replace width/height by a fluid width capped at the natural size.
    let Some(end) = body.find('>') else {
        return body;
    };
    let root = &body[..end];
    let natural_px = attr(root, "width").and_then(|w| to_px(&w));
    let mut new_root = String::from("<svg");
    for (name, value) in attributes(&root[4..]) {
        if name == "width" || name == "height" || name == "role" || name == "aria-label" {
            continue;
        }
        new_root.push_str(&format!(" {name}=\"{value}\""));
    }
    if attr(root, "viewBox").is_none() {
        if let (Some(w), Some(h)) = (
            attr(root, "width").and_then(|w| to_px(&w)),
            attr(root, "height").and_then(|h| to_px(&h)),
        ) {
            new_root.push_str(&format!(" viewBox=\"0 0 {w:.0} {h:.0}\""));
        }
    }
    new_root.push_str(" width=\"100%\" role=\"img\"");
    new_root.push_str(&format!(" aria-label=\"{}\"", esc(label)));
    if let Some(px) = natural_px {
        new_root.push_str(&format!(" style=\"max-width:{px:.0}px;height:auto\""));
    }
    format!("{new_root}{}", &body[end..])
}

fn strip_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The attributes of a start tag's inside (after the element name), as written.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = tag.trim_start();
    while let Some(eq) = rest.find('=') {
        let name = rest[..eq].trim().to_string();
        let after = rest[eq + 1..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(close) = after[1..].find(q) else {
            break;
        };
        out.push((name, after[1..1 + close].to_string()));
        rest = after[close + 2..].trim_start();
    }
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    attributes(tag.get(4..).unwrap_or(""))
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v)
}

/// "1759pt" → 2345 px (1 pt = 4/3 px); "4415" → 4415.
fn to_px(v: &str) -> Option<f64> {
    let v = v.trim();
    if let Some(pt) = v.strip_suffix("pt") {
        pt.trim().parse::<f64>().ok().map(|x| x * 4.0 / 3.0)
    } else {
        v.trim_end_matches("px").parse::<f64>().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_svg_prefixes_ids_and_scales_the_root() {
        let svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<!-- Generated -->\n\
<svg width=\"300pt\" height=\"150pt\" viewBox=\"0 0 300 150\" xmlns=\"http://www.w3.org/2000/svg\">\
<defs><marker id=\"end\"/></defs><path marker-end=\"url(#end)\"/><use href=\"#end\"/><!-- n1 --><g id=\"node1\"/></svg>";
        let out = inline_svg(svg, "bom-ct", "BOM <of> CT");
        assert_eq!(
            out,
            "<svg viewBox=\"0 0 300 150\" xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" role=\"img\" \
aria-label=\"BOM &lt;of&gt; CT\" style=\"max-width:400px;height:auto\">\
<defs><marker id=\"bom-ct-end\"/></defs><path marker-end=\"url(#bom-ct-end)\"/><use href=\"#bom-ct-end\"/><g id=\"bom-ct-node1\"/></svg>"
        );
    }

    #[test]
    fn inline_svg_adds_a_view_box_when_missing() {
        let out = inline_svg("<svg width=\"40\" height=\"20\"></svg>", "x", "l");
        assert!(
            out.starts_with("<svg viewBox=\"0 0 40 20\" width=\"100%\""),
            "{out}"
        );
    }
}
