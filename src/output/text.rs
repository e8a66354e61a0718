//! Text for people: wrapping at word boundaries, unknown values, the glossary.
//!
//! Owns: the one word-wrapping function (textwrap, breaking only at spaces),
//! how an unknown or missing number reads ("unknown", never "-0" or "0.0 %"),
//! and the glossary of the abbreviations used in tables (TTS, LP, PI, …).
//! Never: computes a metric; decides a width (that is `term`).

use super::{amount, pct};
use crate::model::Lang;

/// How an unknown value reads in tables and narrative text.
pub const UNKNOWN: &str = "unknown";

/// [`UNKNOWN`] in `lang`.
pub fn unknown(lang: Lang) -> &'static str {
    lang.pick(UNKNOWN, "未知")
}

/// How results read for people: the language of every fixed word, and
/// whether items, suppliers and paths show by name (the default; the id where
/// the name is missing) or by id (`--ids`). Results themselves hold ids and
/// data only; renderers take a `Reading`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reading {
    pub lang: Lang,
    /// Show ids instead of names.
    pub ids: bool,
}

impl Reading {
    pub fn new(lang: Lang, ids: bool) -> Self {
        Reading { lang, ids }
    }
    /// [`Lang::pick`] for this reading's language.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        self.lang.pick(en, zh)
    }
    /// `name` (in this language), or `id` with `--ids` or when the name is empty.
    pub fn name(self, id: &str, name: &str) -> String {
        if self.ids || name.trim().is_empty() {
            id.to_string()
        } else {
            name.to_string()
        }
    }
    /// How an unknown value reads.
    pub fn unknown(self) -> &'static str {
        unknown(self.lang)
    }
    /// A case (low/mid/high) in this language.
    pub fn case(self, case: crate::model::Case) -> &'static str {
        use crate::model::Case;
        match (self.lang, case) {
            (Lang::En, c) => c.as_str(),
            (Lang::Zh, Case::Low) => "低",
            (Lang::Zh, Case::Mid) => "中",
            (Lang::Zh, Case::High) => "高",
        }
    }
    /// A money amount for people in this language: "48.0 bn" / "480.0 亿".
    pub fn amount(self, v: f64) -> String {
        amount_in(v, self.lang)
    }
}

/// [`amount`] in `lang`: Chinese counts in 万 (10⁴) and 亿 (10⁸).
pub fn amount_in(v: f64, lang: Lang) -> String {
    match lang {
        Lang::En => amount(v),
        Lang::Zh if !v.is_finite() => amount(v),
        Lang::Zh => {
            let v = if v == 0.0 { 0.0 } else { v };
            if v.abs() >= 1e8 {
                format!("{:.1} 亿", v / 1e8)
            } else if v.abs() >= 1e4 {
                format!("{:.1} 万", v / 1e4)
            } else {
                format!("{v:.0}")
            }
        }
    }
}

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

/// textwrap options that break only at ASCII spaces and between Chinese
/// characters, never inside a word or a number.
pub(crate) fn options<'a>(width: usize) -> textwrap::Options<'a> {
    textwrap::Options::new(width)
        .word_separator(textwrap::WordSeparator::Custom(find_words))
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(false)
}

fn find_words(line: &str) -> Box<dyn Iterator<Item = textwrap::core::Word<'_>> + '_> {
    Box::new(pieces(line).map(textwrap::core::Word::from))
}

/// Whether a line may break after `c`: a CJK ideograph, kana, or a CJK or
/// full-width punctuation mark (Chinese is written without spaces).
fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}'
        | '\u{20000}'..='\u{2FFFF}')
}

/// Marks that never start a line (closing brackets and punctuation).
fn no_break_before(c: char) -> bool {
    matches!(
        c,
        '）' | '，'
            | '。'
            | '、'
            | '：'
            | '；'
            | '！'
            | '？'
            | '》'
            | '」'
            | '』'
            | ')'
            | ','
            | '.'
            | ':'
            | ';'
            | '%'
            | '…'
    )
}

/// Whether a line may break between `c` and `n` (spaces stay with the word before).
fn breaks_between(c: char, n: char) -> bool {
    if n == ' ' || no_break_before(n) || matches!(c, '（' | '(' | '《' | '「' | '『') {
        return false;
    }
    c == ' ' || is_cjk(c) || (is_cjk(n) && !c.is_alphanumeric())
}

/// The unbreakable pieces of a line, each with the spaces after it: a line
/// breaks at an ASCII space, or after a Chinese character unless a closing
/// mark follows. Words and numbers in Latin script never break.
pub(crate) fn pieces(line: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut chars = line.char_indices().peekable();
    std::iter::from_fn(move || {
        while let Some((i, c)) = chars.next() {
            let next = chars.peek().map(|(_, n)| *n);
            let end = i + c.len_utf8();
            let boundary = match next {
                None => true,
                Some(n) => breaks_between(c, n),
            };
            if boundary {
                let piece = &line[start..end];
                start = end;
                return Some(piece);
            }
        }
        None
    })
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
    /// The same in Chinese (`--lang zh`).
    pub meaning_zh: &'static str,
    pub section: &'static str,
}

/// Every abbreviation a table or report may use, in the order a legend lists them.
pub const GLOSSARY: &[Term] = &[
    Term {
        abbr: "DI",
        meaning: "direct import share: the share of an item's supply from abroad",
        meaning_zh: "直接进口占比：物料供应中来自境外的份额",
        section: "docs/metrics.md §1",
    },
    Term {
        abbr: "EID",
        meaning:
            "embodied import share: the imported share of an item's value, through its whole BOM",
        meaning_zh: "隐含进口占比：物料价值中经整个物料清单来自进口的份额",
        section: "docs/metrics.md §2",
    },
    Term {
        abbr: "HHI",
        meaning:
            "Herfindahl–Hirschman index: concentration of supply, 0 (spread) to 1 (one source)",
        meaning_zh: "赫芬达尔–赫希曼指数：供应集中度，0（分散）至 1（单一来源）",
        section: "docs/metrics.md §3",
    },
    Term {
        abbr: "TTS",
        meaning: "time to survive: the first day a system's output falls short",
        meaning_zh: "可维持时间：整机产出首次不足的那一天",
        section: "docs/metrics.md §6",
    },
    Term {
        abbr: "LP",
        meaning: "lost production: full-output days lost over the scenario",
        meaning_zh: "产量损失：情景期间损失的满产天数",
        section: "docs/metrics.md §6",
    },
    Term {
        abbr: "PI",
        meaning: "performance impact: LP × the system's market value / 365, in money",
        meaning_zh: "影响金额：LP × 整机年市场规模 / 365",
        section: "docs/metrics.md §6",
    },
    Term {
        abbr: "REI",
        meaning: "risk exposure index: PI / the largest PI in the sweep",
        meaning_zh: "风险暴露指数：PI / 扫描中最大的 PI",
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
    legend_in(texts, Lang::En)
}

/// [`legend`] in `lang`.
pub fn legend_in<'a>(texts: impl IntoIterator<Item = &'a str>, lang: Lang) -> Option<String> {
    let used = terms_used(texts);
    if used.is_empty() {
        return None;
    }
    let parts: Vec<String> = used
        .iter()
        .map(|t| format!("{} = {}", t.abbr, lang.pick(t.meaning, t.meaning_zh)))
        .collect();
    let mut sections: Vec<&str> = used.iter().map(|t| t.section).collect();
    sections.dedup();
    Some(match lang {
        Lang::En => format!("{} (see {})", parts.join("; "), sections.join(", ")),
        Lang::Zh => format!("{}（见 {}）", parts.join("；"), sections.join("、")),
    })
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

#[cfg(test)]
mod cjk_tests {
    use super::*;

    #[test]
    fn chinese_breaks_between_characters_and_never_before_a_closing_mark() {
        let p: Vec<&str> = pieces("美国断供（US）：64排CT 12.5 %").collect();
        assert_eq!(
            p,
            ["美", "国", "断", "供", "（US）：", "64排", "CT ", "12.5 %"]
        );
        assert_eq!(
            wrap("整机产出首次不足的那一天", 8, ""),
            "整机产出\n首次不足\n的那一天\n"
        );
        assert_eq!(
            wrap("texas-instruments 62,022,445,700", 10, ""),
            "texas-instruments\n62,022,445,700\n"
        );
    }
}
