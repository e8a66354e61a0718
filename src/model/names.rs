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
}
