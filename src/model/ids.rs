//! Identifier newtypes. Ids are global across all files of a graph; each kind of
//! entity has its own namespace, so an item and a supplier may share a spelling.

use serde::Serialize;
use std::fmt;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Self {
                Self(s.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::borrow::Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
    };
}

id_type!(
    /// Id of an item (system, subsystem, part, component, material or software).
    ItemId
);
id_type!(
    /// Id of a supplier (a firm).
    SupplierId
);
id_type!(
    /// ISO 3166-1 alpha-2 country code, upper case.
    CountryCode
);
id_type!(
    /// Id of a `references` entry, used by `cite`.
    ReferenceId
);
id_type!(
    /// Id of a declared scenario.
    ScenarioId
);
