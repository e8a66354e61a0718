//! The report's charts as hand-written SVG: a Pareto chart of risk by item,
//! output-over-time lines, and a systems × choke-items heat map.
//!
//! Owns only drawing: the numbers come in ready-made. Every text goes through
//! [`esc`]; coordinates are printed with one decimal so output is deterministic.
//! Colour is never the only encoding: bars carry their band in the tooltip and
//! axis, lines differ in dash pattern too, heat-map cells print their score.

use super::escape::esc;
use crate::render::style::FONTNAME;
use std::fmt::Write;

/// Risk-band fills (ColorBrewer Blues, as in the diagrams).
pub const BAND_FILL: [&str; 3] = ["#deebf7", "#9ecae1", "#4f9bd1"];

/// Okabe–Ito colours (colour-blind safe), then darker extras.
const LINE_COLORS: [&str; 10] = [
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#000000", "#7f3c8d",
    "#8c564b", "#3b6e2b",
];
const DASHES: [&str; 4] = ["", "6 3", "2 2", "8 3 2 3"];

fn open(w: f64, h: f64, label: &str, desc: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.0} {h:.0}\" width=\"{w:.0}\" height=\"{h:.0}\" \
role=\"img\" aria-label=\"{l}\" font-family=\"{f}\" font-size=\"12\">\n<title>{l}</title>\n<desc>{d}</desc>\n\
<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n",
        l = esc(label),
        d = esc(desc),
        f = esc(FONTNAME),
    )
}

/// Estimated width in px of `s` at `font_px`: about 0.6 em for ASCII, 1 em for
/// wide (CJK) characters. Used to make room for labels; never for placement.
fn text_width(s: &str, font_px: f64) -> f64 {
    s.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.0 })
        .sum::<f64>()
        * font_px
}

/// Shortens a label to `max` characters (an ellipsis marks the cut).
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// One bar of the Pareto chart.
pub struct ParetoBar {
    pub label: String,
    pub score: f64,
    /// 0 low, 1 medium, 2 high.
    pub band: usize,
}

/// Bars of risk score (0–10, left axis) in the given (descending) order, and
/// the cumulative share of `total` (right axis, 0–100 %).
/// `axis` titles the left axis; `bands` names the three bar colours (low,
/// medium, high) in the legend under the title, beside the cumulative line.
pub fn pareto(
    title: &str,
    desc: &str,
    bars: &[ParetoBar],
    total: f64,
    cum_label: &str,
    axis: &str,
    bands: [&str; 3],
) -> String {
    let n = bars.len().max(1) as f64;
    // Labels are rotated by 60°: their vertical extent is width · sin 60°.
    let longest = bars
        .iter()
        .map(|b| text_width(&short(&b.label, 26), 11.0))
        .fold(0.0, f64::max);
    let (left, right, top, plot_h) = (64.0, 52.0, 58.0, 240.0);
    let label_h = (longest * 0.87 + 24.0).max(60.0);
    let step = 22.0;
    // Wide enough for the legend row even with few bars.
    let legend_w: f64 = bands
        .iter()
        .map(|b| text_width(b, 11.0) + 26.0)
        .sum::<f64>()
        + text_width(cum_label, 11.0)
        + 40.0;
    let w = (left + right + step * n).max(left + legend_w);
    let h = top + plot_h + label_h;
    let y = |score: f64| top + plot_h - score / 10.0 * plot_h;
    let mut s = open(w, h, title, desc);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        w / 2.0,
        esc(title)
    );
    // Axis title, rotated along the left axis.
    let _ = writeln!(
        s,
        "<text x=\"14\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 14 {:.1})\">{}</text>",
        top + plot_h / 2.0,
        top + plot_h / 2.0,
        esc(axis)
    );
    // Legend: the band colours, then the cumulative line.
    let mut lx = left;
    for (k, b) in bands.iter().enumerate() {
        let _ = writeln!(
            s,
            "<rect x=\"{lx:.1}\" y=\"30\" width=\"14\" height=\"10\" fill=\"{}\" stroke=\"#1f3b57\" stroke-width=\"0.8\"/>\
<text x=\"{:.1}\" y=\"39\" font-size=\"11\">{}</text>",
            BAND_FILL[k],
            lx + 18.0,
            esc(b)
        );
        lx += text_width(b, 11.0) + 26.0;
    }
    let _ = writeln!(
        s,
        "<line x1=\"{lx:.1}\" y1=\"35\" x2=\"{:.1}\" y2=\"35\" stroke=\"#b30000\" stroke-width=\"2\"/>\
<text x=\"{:.1}\" y=\"39\" font-size=\"11\" fill=\"#b30000\">{}</text>",
        lx + 18.0,
        lx + 22.0,
        esc(cum_label)
    );
    for k in 0..=5 {
        let v = k as f64 * 2.0;
        let yy = y(v);
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\" stroke=\"#dddddd\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{v:.0}</text>\
<text x=\"{:.1}\" y=\"{:.1}\">{:.0} %</text>",
            w - right,
            left - 6.0,
            yy + 4.0,
            w - right + 6.0,
            yy + 4.0,
            v * 10.0
        );
    }
    let mut cum = 0.0;
    let mut points = Vec::new();
    for (k, b) in bars.iter().enumerate() {
        let x = left + step * k as f64 + 3.0;
        let yy = y(b.score);
        let _ = writeln!(
            s,
            "<rect x=\"{x:.1}\" y=\"{yy:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#1f3b57\" stroke-width=\"0.8\">\
<title>{}: {:.2}</title></rect>",
            step - 6.0,
            top + plot_h - yy,
            BAND_FILL[b.band.min(2)],
            esc(&b.label),
            b.score
        );
        let lx = x + (step - 6.0) / 2.0 + 4.0;
        let ly = top + plot_h + 8.0;
        let _ = writeln!(
            s,
            "<text x=\"{lx:.1}\" y=\"{ly:.1}\" text-anchor=\"end\" transform=\"rotate(-60 {lx:.1} {ly:.1})\" font-size=\"11\">{}</text>",
            esc(&short(&b.label, 26))
        );
        cum += b.score;
        let share = if total > 0.0 { cum / total } else { 0.0 };
        points.push(format!(
            "{:.1},{:.1}",
            x + (step - 6.0) / 2.0,
            y(share * 10.0)
        ));
    }
    if !points.is_empty() {
        let _ = writeln!(
            s,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"#b30000\" stroke-width=\"2\"/>",
            points.join(" ")
        );
    }
    let _ = writeln!(
        s,
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#333333\"/>",
        top + plot_h,
        w - right,
        top + plot_h,
    );
    s.push_str("</svg>\n");
    s
}

/// One line of an output-over-time chart.
pub struct Series {
    pub label: String,
    /// O(t), t = 0..len−1, each in [0, 1].
    pub values: Vec<f64>,
    /// Drawn grey and dashed (the baseline).
    pub reference: bool,
}

/// Output (0–100 %) over days, one step line per series, legend below;
/// `axis` titles the output axis. Series whose lines coincide are drawn once
/// and named together in one legend entry, so no line hides another.
pub fn timeline(title: &str, desc: &str, series: &[Series], day_label: &str, axis: &str) -> String {
    let mut merged: Vec<Series> = Vec::new();
    for ser in series {
        match merged
            .iter_mut()
            .find(|m| m.reference == ser.reference && m.values == ser.values)
        {
            Some(m) => {
                m.label.push_str("; ");
                m.label.push_str(&ser.label);
            }
            None => merged.push(Series {
                label: ser.label.clone(),
                values: ser.values.clone(),
                reference: ser.reference,
            }),
        }
    }
    let series = &merged[..];
    let days = series
        .iter()
        .map(|s| s.values.len())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (left, top, plot_w, plot_h): (f64, f64, f64, f64) = (64.0, 34.0, 560.0, 200.0);
    let legend_top = top + plot_h + 40.0;
    let longest = series
        .iter()
        .map(|s| text_width(&short(&s.label, 110), 12.0))
        .fold(0.0, f64::max);
    let w = (left + plot_w + 24.0).max(left + 44.0 + longest);
    let h = legend_top + 18.0 * series.len() as f64 + 8.0;
    let x = |d: f64| left + d / days * plot_w;
    // Lines at exactly 0 % or 100 % are nudged inside the frame so they stay visible.
    let y = |v: f64| top + (1.0 - v.clamp(0.0, 1.0)) * (plot_h - 4.0) + 2.0;
    let mut s = open(w, h, title, desc);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        w / 2.0,
        esc(title)
    );
    for k in 0..=4 {
        let v = k as f64 / 4.0;
        let yy = y(v);
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{yy:.1}\" x2=\"{:.1}\" y2=\"{yy:.1}\" stroke=\"#dddddd\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{:.0} %</text>",
            left + plot_w,
            left - 6.0,
            yy + 4.0,
            v * 100.0
        );
    }
    let tick = if days > 200.0 {
        60.0
    } else if days > 60.0 {
        30.0
    } else {
        10.0
    };
    let mut d = 0.0;
    while d <= days {
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{d:.0}</text>",
            x(d),
            top + plot_h + 16.0
        );
        d += tick;
    }
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
        left + plot_w / 2.0,
        top + plot_h + 32.0,
        esc(day_label)
    );
    let _ = writeln!(
        s,
        "<text x=\"14\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\" transform=\"rotate(-90 14 {:.1})\">{}</text>",
        top + plot_h / 2.0,
        top + plot_h / 2.0,
        esc(axis)
    );
    let mut color_k = 0;
    for (k, ser) in series.iter().enumerate() {
        let (color, dash, width) = if ser.reference {
            ("#777777", "4 4", 1.5)
        } else {
            let c = LINE_COLORS[color_k % LINE_COLORS.len()];
            let dsh = DASHES[color_k % DASHES.len()];
            color_k += 1;
            (c, dsh, 2.2)
        };
        let dash_attr = if dash.is_empty() {
            String::new()
        } else {
            format!(" stroke-dasharray=\"{dash}\"")
        };
        if let Some(first) = ser.values.first() {
            let mut path = format!("M{:.1},{:.1}", x(0.0), y(*first));
            let mut prev = *first;
            for (t, v) in ser.values.iter().enumerate().skip(1) {
                if (v - prev).abs() > 1e-12 {
                    let _ = write!(path, " H{:.1} V{:.1}", x(t as f64), y(*v));
                    prev = *v;
                }
            }
            let _ = write!(path, " H{:.1}", x(ser.values.len() as f64));
            let _ = writeln!(
                s,
                "<path d=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{width}\"{dash_attr}><title>{}</title></path>",
                esc(&ser.label)
            );
        }
        let ly = legend_top + 18.0 * k as f64;
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{ly:.1}\" x2=\"{:.1}\" y2=\"{ly:.1}\" stroke=\"{color}\" stroke-width=\"{width}\"{dash_attr}/>\
<text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            left + 28.0,
            left + 36.0,
            ly + 4.0,
            esc(&short(&ser.label, 110))
        );
    }
    let _ = writeln!(
        s,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{plot_w}\" height=\"{plot_h}\" fill=\"none\" stroke=\"#333333\"/>"
    );
    s.push_str("</svg>\n");
    s
}

/// A cell of the heat map.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HeatCell {
    /// The system does not require the item.
    Unused,
    /// Required; the item's risk score; `choke` = a minimal cut set of the
    /// system acts through it.
    Used { score: f64, choke: bool },
}

/// Systems (rows) × items (columns); cells coloured by risk score, choke
/// points outlined in red and marked with a dot.
pub fn heatmap(
    title: &str,
    desc: &str,
    rows: &[String],
    cols: &[String],
    cells: &[Vec<HeatCell>],
    legend: &str,
) -> String {
    let cell = 30.0;
    let left = rows
        .iter()
        .map(|r| text_width(&short(r, 28), 12.0))
        .fold(60.0, f64::max)
        + 14.0;
    let col_h = cols
        .iter()
        .map(|c| text_width(&short(c, 24), 11.0))
        .fold(0.0, f64::max);
    let top = 40.0 + col_h * 0.87;
    // Wide enough for the grid, the last rotated label and the legend line.
    let w = (left + cell * cols.len().max(1) as f64 + col_h * 0.5 + 20.0)
        .max(16.0 + text_width(legend, 11.0));
    let h = top + cell * rows.len() as f64 + 44.0;
    let mut s = open(w, h, title, desc);
    let _ = writeln!(
        s,
        "<text x=\"8\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        esc(title)
    );
    for (j, c) in cols.iter().enumerate() {
        let x = left + cell * j as f64 + cell / 2.0 + 4.0;
        let y = top - 6.0;
        let _ = writeln!(
            s,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" transform=\"rotate(-60 {x:.1} {y:.1})\" font-size=\"11\">{}</text>",
            esc(&short(c, 24))
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + cell * i as f64;
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            left - 6.0,
            y + cell / 2.0 + 4.0,
            esc(&short(r, 28))
        );
        for (j, c) in cells
            .get(i)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let x = left + cell * j as f64;
            match *c {
                HeatCell::Unused => {
                    let _ = writeln!(
                        s,
                        "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{cell}\" height=\"{cell}\" fill=\"#f4f4f4\" stroke=\"#ffffff\"/>"
                    );
                }
                HeatCell::Used { score, choke } => {
                    let (fill, ink) = heat_color(score);
                    let (stroke, sw) = if choke {
                        ("#cc0000", 2.5)
                    } else {
                        ("#ffffff", 1.0)
                    };
                    let mark = if choke { "●" } else { "" };
                    let label = format!(
                        "{} × {}: {score:.1}{}",
                        r,
                        cols.get(j).map(String::as_str).unwrap_or(""),
                        if choke { " (choke point)" } else { "" }
                    );
                    let _ = writeln!(
                        s,
                        "<g><title>{}</title><rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{sw}\"/>\
<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{ink}\">{score:.1}{mark}</text></g>",
                        esc(&label),
                        x + 1.0,
                        y + 1.0,
                        cell - 2.0,
                        cell - 2.0,
                        x + cell / 2.0,
                        y + cell / 2.0 + 4.0
                    );
                }
            }
        }
    }
    let _ = writeln!(
        s,
        "<text x=\"8\" y=\"{:.1}\" font-size=\"11\">{}</text>",
        top + cell * rows.len() as f64 + 24.0,
        esc(legend)
    );
    s.push_str("</svg>\n");
    s
}

/// Fill and text colour for a 0–10 score: white to dark blue (Blues), with
/// white text on the dark half so contrast stays above 4.5:1.
pub fn heat_color(score: f64) -> (String, &'static str) {
    let t = (score / 10.0).clamp(0.0, 1.0);
    let (a, b) = ((0xf7, 0xfb, 0xff), (0x08, 0x30, 0x6b));
    let mix = |p: i32, q: i32| (p as f64 + (q - p) as f64 * t).round() as i32;
    let fill = format!(
        "#{:02x}{:02x}{:02x}",
        mix(a.0, b.0),
        mix(a.1, b.1),
        mix(a.2, b.2)
    );
    (fill, if t > 0.5 { "#ffffff" } else { "#000000" })
}

/// One bar of the tornado chart: an estimate and its signed rank correlation
/// with the result it moves most.
pub struct TornadoBar {
    pub label: String,
    /// −1..=1.
    pub rho: f64,
    /// What the bar's tooltip adds (the result moved, ρ²).
    pub note: String,
}

/// A tornado chart (issue 23): one horizontal bar per estimate, longest on top,
/// going right for a positive and left for a negative correlation.
pub fn tornado(title: &str, desc: &str, bars: &[TornadoBar], axis: &str) -> String {
    let longest = bars
        .iter()
        .map(|b| text_width(&short(&b.label, 48), 11.0))
        .fold(0.0, f64::max);
    let (left, top, half, row) = (longest + 16.0, 40.0, 200.0, 22.0);
    let mid = left + half;
    let w = left + 2.0 * half + 24.0;
    let h = top + row * bars.len().max(1) as f64 + 40.0;
    let mut s = open(w, h, title, desc);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"20\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">{}</text>",
        w / 2.0,
        esc(title)
    );
    for (k, b) in bars.iter().enumerate() {
        let y = top + row * k as f64;
        let len = b.rho.clamp(-1.0, 1.0) * half;
        let (x, width) = if len >= 0.0 {
            (mid, len)
        } else {
            (mid + len, -len)
        };
        let fill = if len >= 0.0 { "#d55e00" } else { "#0072b2" };
        let _ = writeln!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\" translate=\"no\">{}</text>\
<rect class=\"tornado-bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{fill}\">\
<title>{}: ρ = {:+.2} ({})</title></rect>",
            left - 8.0,
            y + 14.0,
            esc(&short(&b.label, 48)),
            y + 3.0,
            row - 6.0,
            esc(&b.label),
            b.rho,
            esc(&b.note)
        );
    }
    let bottom = top + row * bars.len().max(1) as f64;
    let _ = writeln!(
        s,
        "<line x1=\"{mid:.1}\" y1=\"{:.1}\" x2=\"{mid:.1}\" y2=\"{bottom:.1}\" stroke=\"#333333\"/>",
        top - 4.0
    );
    for v in [-1.0, -0.5, 0.0, 0.5, 1.0] {
        let x = mid + v * half;
        let _ = writeln!(
            s,
            "<text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{v:+.1}</text>",
            bottom + 14.0
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{mid:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text>",
        bottom + 30.0,
        esc(axis)
    );
    s.push_str("</svg>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_text_is_escaped() {
        let bars = [ParetoBar {
            label: "<script>&\"".into(),
            score: 5.0,
            band: 1,
        }];
        let svg = pareto("t<", "d>", &bars, 5.0, "cum", "score", ["lo", "mid", "hi"]);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;&amp;&quot;"));
        assert!(svg.contains("<title>t&lt;</title>"));
    }

    #[test]
    fn pareto_cumulative_line_reaches_100_percent_at_the_last_bar() {
        // Bars 6 and 4 of a total 10: cumulative 60 % then 100 %; the plot is
        // 240 high from y = 58, so 100 % sits at y = 58 and 60 % at 58 + 0.4·240 = 154;
        // bars are 22 apart from x = 64 + 3, their centres 8 further: 75 and 97.
        let bars = [
            ParetoBar {
                label: "a".into(),
                score: 6.0,
                band: 1,
            },
            ParetoBar {
                label: "b".into(),
                score: 4.0,
                band: 1,
            },
        ];
        let svg = pareto(
            "t",
            "d",
            &bars,
            10.0,
            "cum",
            "risk score (0–10)",
            ["low", "medium", "high"],
        );
        assert!(
            svg.contains("<polyline points=\"75.0,154.0 97.0,58.0\""),
            "{svg}"
        );
        // The axis title runs along the left axis; the legend names the bands.
        assert!(
            svg.contains("transform=\"rotate(-90 14 178.0)\">risk score (0–10)</text>"),
            "{svg}"
        );
        for band in ["low", "medium", "high"] {
            assert!(svg.contains(&format!(">{band}</text>")), "{band}");
        }
    }

    #[test]
    fn timeline_draws_steps_only_where_output_changes() {
        // 4 days on a 560-wide plot from x = 64: 140 per day. Output 1, 1, 0.5, 0.5:
        // one step at day 2 (x = 344) down to 50 % (y = 34 + 0.5·196 + 2 = 134).
        let svg = timeline(
            "t",
            "d",
            &[Series {
                label: "s".into(),
                values: vec![1.0, 1.0, 0.5, 0.5],
                reference: false,
            }],
            "day",
            "output",
        );
        assert!(
            svg.contains("d=\"M64.0,36.0 H344.0 V134.0 H624.0\""),
            "{svg}"
        );
    }

    #[test]
    fn timeline_draws_coinciding_lines_once_named_together() {
        let line = |label: &str, values: Vec<f64>| Series {
            label: label.into(),
            values,
            reference: false,
        };
        let svg = timeline(
            "t",
            "d",
            &[
                line("a", vec![1.0, 0.5]),
                line("b", vec![1.0, 0.2]),
                line("c", vec![1.0, 0.5]),
            ],
            "day",
            "output",
        );
        assert_eq!(svg.matches("<path ").count(), 2, "{svg}");
        assert!(svg.contains("<title>a; c</title>"), "{svg}");
        assert!(svg.contains(">a; c</text>"), "{svg}");
    }

    #[test]
    fn heat_colors_span_the_scale_with_readable_ink() {
        assert_eq!(heat_color(0.0), ("#f7fbff".to_string(), "#000000"));
        assert_eq!(heat_color(10.0), ("#08306b".to_string(), "#ffffff"));
        assert_eq!(heat_color(42.0).0, "#08306b");
    }
}
