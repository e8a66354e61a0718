//! Text for people: wrapping at word boundaries, unknown values, the glossary.
//!
//! Owns: the one word-wrapping function (textwrap, breaking only at spaces),
//! how an unknown or missing number reads ("unknown", never "-0" or "0.0 %"),
//! and the glossary of the abbreviations used in tables (TTS, LP, PI, …).
//! Never: computes a metric; decides a width (that is `term`).

use super::{amount, pct};

/// How an unknown value reads in tables and narrative text.
pub const UNKNOWN: &str = "unknown";

/// Word-wraps `text` to `width` columns (display width), every line indented
/// by `indent` and ending in a newline. Lines break only at spaces: a word or
/// number longer than the line stays whole and overflows instead of being cut.
/// Existing line breaks are kept.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let opts = options(width.max(indent.len() + 1))
        .initial_indent(indent)
        .subsequent_indent(indent);
    let mut out = String::new();
    for line in textwrap::wrap(text, &opts) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Like [`wrap`], continuation lines indented by `hang` (for bullets).
pub fn wrap_hanging(text: &str, width: usize, first: &str, hang: &str) -> String {
    let opts = options(width.max(hang.len() + 1))
        .initial_indent(first)
        .subsequent_indent(hang);
    let mut out = String::new();
    for line in textwrap::wrap(text, &opts) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// textwrap options that break only at ASCII spaces and never inside a word.
pub(crate) fn options<'a>(width: usize) -> textwrap::Options<'a> {
    textwrap::Options::new(width)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false)
}

/// `s` cut to `width` columns with a final "…" when it is wider. ANSI
/// colour sequences take no room and are kept (with a reset after the cut).
pub fn ellipsize(s: &str, width: usize) -> String {
    if visible_width(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    let mut colored = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // CSI: ESC [ parameters final-byte.
            colored = true;
            out.push(c);
            for c in chars.by_ref() {
                out.push(c);
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
            continue;
        }
        let cw = textwrap::core::display_width(c.encode_utf8(&mut [0; 4]));
        if used + cw + 1 > width {
            break;
        }
        out.push(c);
        used += cw;
    }
    out.push('…');
    if colored {
        out.push_str("\u{1b}[0m");
    }
    out
}

/// Display width without ANSI colour sequences.
fn visible_width(s: &str) -> usize {
    // textwrap skips ANSI escape sequences when measuring.
    textwrap::core::display_width(s)
}

/// A rendered diagnostic with its snippet lines (the indented ones: miette's
/// source excerpt, labels and help) cut to `width`; a source line of 200
/// columns would wrap into the next. The located first line stays whole.
pub fn clip_snippets(rendered: &str, width: usize) -> String {
    let mut out = String::with_capacity(rendered.len());
    for line in rendered.split_inclusive('\n') {
        let (body, nl) = match line.strip_suffix('\n') {
            Some(b) => (b, "\n"),
            None => (line, ""),
        };
        if let Some(help) = body.strip_prefix("  help: ") {
            // Advice is prose: wrapped under itself, never cut.
            out.push_str(wrap_hanging(help, width, "  help: ", "        ").trim_end_matches('\n'));
        } else if body.starts_with(' ') {
            out.push_str(&ellipsize(body, width));
        } else {
            out.push_str(body);
        }
        out.push_str(nl);
    }
    out
}

/// A money amount with its currency ("48.0 bn CNY"), or "unknown" when the
/// value is missing or not a number.
pub fn money(v: Option<f64>, currency: &str) -> String {
    match v {
        Some(v) if v.is_finite() => format!("{} {currency}", amount(v)),
        _ => UNKNOWN.to_string(),
    }
}

/// A share with the coverage it rests on: "unknown (coverage 0 %)" when no
/// cost share is declared (the share would read 0.0 % though nothing is known).
pub fn share_with_coverage(share: Option<f64>, coverage: Option<f64>) -> String {
    match (share, coverage) {
        (_, Some(c)) if c <= 0.0 => format!("{UNKNOWN} (coverage 0 %)"),
        (Some(s), Some(c)) => format!("{}, coverage {}", pct(s), pct(c)),
        (Some(s), None) => pct(s),
        (None, _) => UNKNOWN.to_string(),
    }
}

/// One abbreviation used in tables, what it stands for, and where
/// docs/metrics.md defines it.
pub struct Term {
    pub abbr: &'static str,
    pub meaning: &'static str,
    pub section: &'static str,
}

/// Every abbreviation a table or report may use, in the order a legend lists them.
pub const GLOSSARY: &[Term] = &[
    Term {
        abbr: "DI",
        meaning: "direct import share: the share of an item's supply from abroad",
        section: "docs/metrics.md §1",
    },
    Term {
        abbr: "EID",
        meaning:
            "embodied import share: the imported share of an item's value, through its whole BOM",
        section: "docs/metrics.md §2",
    },
    Term {
        abbr: "HHI",
        meaning:
            "Herfindahl–Hirschman index: concentration of supply, 0 (spread) to 1 (one source)",
        section: "docs/metrics.md §3",
    },
    Term {
        abbr: "TTS",
        meaning: "time to survive: the first day a system's output falls short",
        section: "docs/metrics.md §6",
    },
    Term {
        abbr: "LP",
        meaning: "lost production: full-output days lost over the scenario",
        section: "docs/metrics.md §6",
    },
    Term {
        abbr: "PI",
        meaning: "performance impact: LP × the system's market value / 365, in money",
        section: "docs/metrics.md §6",
    },
    Term {
        abbr: "REI",
        meaning: "risk exposure index: PI / the largest PI in the sweep",
        section: "docs/metrics.md §9",
    },
];

/// The glossary entries whose abbreviation appears as a word in `texts`.
pub fn terms_used<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<&'static Term> {
    let mut used = [false; GLOSSARY.len()];
    for t in texts {
        for word in t.split(|c: char| !c.is_ascii_alphanumeric()) {
            if let Some(i) = GLOSSARY.iter().position(|g| g.abbr == word) {
                used[i] = true;
            }
        }
    }
    GLOSSARY
        .iter()
        .zip(used)
        .filter_map(|(g, u)| u.then_some(g))
        .collect()
}

/// The legend line under a table: "TTS = time to survive: …; LP = … (see
/// docs/metrics.md)"; `None` when the texts use no abbreviation.
pub fn legend<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let used = terms_used(texts);
    if used.is_empty() {
        return None;
    }
    let parts: Vec<String> = used
        .iter()
        .map(|t| format!("{} = {}", t.abbr, t.meaning))
        .collect();
    let mut sections: Vec<&str> = used.iter().map(|t| t.section).collect();
    sections.dedup();
    Some(format!(
        "{} (see {})",
        parts.join("; "),
        sections.join(", ")
    ))
}

/// A money amount with its low–high interval, all in the unit of the middle
/// value: "48.0 bn CNY (21.0–48.0 bn)"; amounts under a million are whole
/// numbers with thousands separators.
pub fn money_range(v: f64, low: f64, high: f64, currency: &str) -> String {
    let (div, unit) = money_scale(v);
    let one = |x: f64| {
        if div == 1.0 {
            whole(x)
        } else {
            format!("{:.1}", x / div)
        }
    };
    if low == v && high == v {
        return format!("{} {unit}{currency}", one(v));
    }
    let unit = unit.trim_end();
    let sep = if unit.is_empty() { "" } else { " " };
    format!(
        "{} {}{sep}{currency} ({}–{}{sep}{unit})",
        one(v),
        unit,
        one(low),
        one(high)
    )
}

fn money_scale(v: f64) -> (f64, &'static str) {
    if v.abs() >= 1e9 {
        (1e9, "bn ")
    } else if v.abs() >= 1e6 {
        (1e6, "m ")
    } else {
        (1.0, "")
    }
}

/// A whole number with thousands separators: 800000 → "800,000"; never "-0".
pub fn whole(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let r = x.round();
    let digits = format!("{:.0}", r.abs());
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if r < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A rate as a whole percentage when it is one ("125 %"), else with one
/// decimal ("12.5 %").
pub fn rate_pct(x: f64) -> String {
    let p = x * 100.0;
    if (p - p.round()).abs() < 1e-9 {
        format!("{} %", whole(p))
    } else {
        super::pct(x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_never_cuts_a_word() {
        let s = wrap("texas-instruments Netherlands 62,022,445,700 x", 10, "");
        assert_eq!(s, "texas-instruments\nNetherlands\n62,022,445,700\nx\n");
    }

    #[test]
    fn snippets_are_cut_to_the_width_and_the_location_line_is_not() {
        let d = format!(
            "a.yaml:1:1: warning[W001]: {}\n 1 │ {}\n",
            "m".repeat(90),
            "x".repeat(90)
        );
        let out = clip_snippets(&d, 40);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0].len(), 117);
        assert_eq!(textwrap::core::display_width(lines[1]), 40);
        assert!(lines[1].ends_with('…'));
        assert_eq!(
            ellipsize("\u{1b}[31mabcdef\u{1b}[0m", 4),
            "\u{1b}[31mabc…\u{1b}[0m"
        );
    }

    #[test]
    fn money_ranges_share_one_scale() {
        assert_eq!(
            money_range(48e9, 21e9, 48e9, "CNY"),
            "48.0 bn CNY (21.0–48.0 bn)"
        );
        assert_eq!(money_range(82.58e9, 82.58e9, 82.58e9, "CNY"), "82.6 bn CNY");
        assert_eq!(money_range(4.7e6, 4e6, 5e6, "USD"), "4.7 m USD (4.0–5.0 m)");
        assert_eq!(
            money_range(1500.0, 1000.0, 2000.0, "USD"),
            "1,500 USD (1,000–2,000)"
        );
        assert_eq!(whole(800000.0), "800,000");
        assert_eq!(whole(-0.0), "0");
        assert_eq!(whole(-1234.0), "-1,234");
        assert_eq!(rate_pct(1.25), "125 %");
        assert_eq!(rate_pct(0.125), "12.5 %");
    }

    #[test]
    fn wrap_indents_every_line() {
        assert_eq!(wrap("aa bb cc", 7, "  "), "  aa bb\n  cc\n");
    }

    #[test]
    fn unknown_values_read_unknown() {
        assert_eq!(money(None, "CNY"), "unknown");
        assert_eq!(money(Some(-0.0), "CNY"), "0 CNY");
        assert_eq!(
            share_with_coverage(Some(0.0), Some(0.0)),
            "unknown (coverage 0 %)"
        );
        assert_eq!(
            share_with_coverage(Some(0.25), Some(0.5)),
            "25.0 %, coverage 50.0 %"
        );
    }

    #[test]
    fn legend_lists_the_abbreviations_used() {
        let l = legend(["TTS (day)", "PI (CNY)", "REI", "HHIx"]).unwrap();
        assert!(l.starts_with("TTS = time to survive"), "{l}");
        assert!(l.contains("PI = performance impact") && l.contains("REI = "));
        assert!(!l.contains("HHI"), "{l}");
        assert!(legend(["system", "share"]).is_none());
    }
}
