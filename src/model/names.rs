//! Display names by id, for renderings whose results keep ids (mitigation
//! plans, graph diffs): every item, supplier and country of a model, in
//! English and Chinese.
//!
//! Owns: [`Names`]. Never: reads files or computes anything.

use super::{Lang, Model};
use std::collections::BTreeMap;

/// Ids of items, suppliers and countries with their names in English and
/// Chinese. An id shared by two kinds of entity (an item and a supplier both
/// called `acme`) keeps the later one: suppliers over items, countries over both.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Names {
    by_id: BTreeMap<String, (String, Option<String>)>,
}

impl Names {
    /// The names of every item, supplier and country of `model`.
    pub fn of(model: &Model) -> Names {
        let mut names = Names::default();
        names.add(model);
        names
    }

    /// Adds `model`'s names, replacing those of the same ids.
    pub fn add(&mut self, model: &Model) {
        for i in model.items.values() {
            if !i.name.is_empty() {
                self.by_id
                    .insert(i.id.to_string(), (i.name.clone(), i.name_zh.clone()));
            }
        }
        for s in model.suppliers.values() {
            self.by_id.insert(
                s.id.to_string(),
                (model.supplier_name(&s.id, Lang::En), s.name_zh.clone()),
            );
        }
        for code in model.countries_in_use() {
            self.by_id.insert(
                code.to_string(),
                (
                    model.country_name(code, Lang::En),
                    Some(model.country_name(code, Lang::Zh)),
                ),
            );
        }
    }

    /// The name of `id` in `lang`; the id itself when it has none.
    pub fn name<'a>(&'a self, id: &'a str, lang: Lang) -> &'a str {
        match (self.by_id.get(id), lang) {
            (Some((_, Some(zh))), Lang::Zh) => zh,
            (Some((en, _)), _) => en,
            (None, _) => id,
        }
    }

    /// `text` with every id in it replaced by its name in `lang`: for compound
    /// keys such as `ct-64 ← ge (US)` or `tube → any_of[a, b]`. Ids are the runs
    /// between spaces, arrows, brackets, commas and `#`; a run that is not a
    /// known id stays as it is.
    pub fn name_each(&self, text: &str, lang: Lang) -> String {
        let is_separator = |c: char| c.is_whitespace() || "→←()[],#".contains(c);
        let mut out = String::with_capacity(text.len());
        let mut run_start = None;
        for (at, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (run_start, is_separator(c)) {
                (None, false) => run_start = Some(at),
                (Some(start), true) => {
                    out.push_str(self.name(&text[start..at], lang));
                    run_start = None;
                }
                _ => {}
            }
            if is_separator(c) && at < text.len() {
                out.push(c);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Names {
        let mut n = Names::default();
        n.by_id.insert(
            "ct-64".into(),
            ("64-slice CT".into(), Some("64排CT".into())),
        );
        n.by_id.insert("ge".into(), ("GE HealthCare".into(), None));
        n.by_id
            .insert("US".into(), ("United States".into(), Some("美国".into())));
        n
    }

    #[test]
    fn name_each_names_every_id_of_a_compound_key() {
        let n = names();
        assert_eq!(
            n.name_each("ct-64 ← ge (US)", Lang::En),
            "64-slice CT ← GE HealthCare (United States)"
        );
        assert_eq!(
            n.name_each("ct-64 → any_of[ge, other] #2", Lang::Zh),
            "64排CT → any_of[GE HealthCare, other] #2"
        );
        assert_eq!(n.name_each("meta", Lang::En), "meta");
        assert_eq!(n.name_each("", Lang::En), "");
    }
}
