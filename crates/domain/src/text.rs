//! Bounded, trimmed text: the shape shared by names and titles.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TextError {
    #[error("must not be blank")]
    Blank,
    #[error("must be at most {max} characters")]
    TooLong { max: usize },
}

/// Trims `raw` and checks it is non-empty and at most `max` characters long.
pub fn bounded(raw: &str, max: usize) -> Result<String, TextError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(TextError::Blank);
    }
    if trimmed.chars().count() > max {
        return Err(TextError::TooLong { max });
    }
    Ok(trimmed.to_owned())
}

/// The form two names are compared in for duplicates: the searchable form lists, the board and
/// duplicate detection use ([`crate::search::normalize`]: Arabic letter variants and
/// Persian/Arabic-Indic digits folded, case, joiners and punctuation ignored), so that a name is
/// "the same" everywhere by one rule. A name of punctuation alone, which folds to nothing, is
/// compared lower-cased and trimmed instead, so that such names stay apart.
pub fn fold_key(raw: &str) -> String {
    let folded = crate::search::normalize(raw);
    if folded.is_empty() { raw.trim().to_lowercase() } else { folded }
}

/// Declares a newtype over a trimmed, non-blank string of at most `$max` characters.
macro_rules! bounded_text {
    ($(#[$doc:meta])* $name:ident, $max:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub const MAX_CHARS: usize = $max;

            pub fn parse(raw: &str) -> Result<Self, $crate::text::TextError> {
                $crate::text::bounded(raw, Self::MAX_CHARS).map(Self)
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_inner(self) -> String {
                self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}
pub(crate) use bounded_text;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_bounds() {
        assert_eq!(bounded("  Acme  ", 10).unwrap(), "Acme");
        assert_eq!(bounded("   ", 10), Err(TextError::Blank));
        assert_eq!(bounded("abcdef", 5), Err(TextError::TooLong { max: 5 }));
        // Characters, not bytes: five Persian letters fit in five.
        assert_eq!(bounded("کاریز", 5).unwrap(), "کاریز");
    }

    #[test]
    fn fold_key_ignores_case_spacing_and_arabic_letter_forms() {
        assert_eq!(fold_key("  Pars   Logistics "), "pars logistics");
        assert_eq!(fold_key("شركت كاري"), fold_key("شرکت کاری"));
        assert_eq!(fold_key("شركة كاوه ۲"), fold_key("شرکه کاوه 2"));
        assert_eq!(fold_key("Pars-Logistics"), fold_key("pars logistics"));
        assert_ne!(fold_key("!!!"), fold_key("???"));
    }
}
