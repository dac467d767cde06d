//! The form text is searched in: what global search stores per record (a search key) and what a
//! query is turned into before it is compared. Both go through [`normalize`], so whatever letter
//! forms, digits or joiners a keyboard produced, equal words meet.

use crate::phone::{Phone, ascii_digits};

/// Folds `raw` into its searchable form: Arabic letter variants to the Persian or plain forms
/// (ي ى → ی, ك → ک, ة → ه, أ إ آ ٱ → ا, ؤ → و), Persian and Arabic-Indic digits to ASCII, the
/// zero-width non-joiner, harakat (U+064B–U+0652), the superscript alef and tatweel dropped,
/// lower-cased, and every run of other characters that are not letters or digits (spaces,
/// punctuation, `@`, `.`, `+`) made one space between words.
pub fn normalize(raw: &str) -> String {
    let mut folded = String::with_capacity(raw.len());
    for c in ascii_digits(raw).chars() {
        match c {
            '\u{200C}' | '\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0670}' => {}
            '\u{064A}' | '\u{0649}' => folded.push('\u{06CC}'),
            '\u{0643}' => folded.push('\u{06A9}'),
            '\u{0629}' => folded.push('\u{0647}'),
            '\u{0623}' | '\u{0625}' | '\u{0622}' | '\u{0671}' => folded.push('\u{0627}'),
            '\u{0624}' => folded.push('\u{0648}'),
            c if c.is_alphanumeric() => folded.extend(c.to_lowercase()),
            _ => folded.push(' '),
        }
    }
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The separator of fields in a search key; [`normalize`] never leaves one in a field.
pub const FIELD_SEPARATOR: char = '|';

/// A record's search key: each searchable field normalized, fields as `| field | field |`, so
/// that every word is preceded by a space (a word prefix is `" " + query`) and every whole field
/// is framed by `"| "` and `" |"` (an exact match is `"| " + query + " |"`). Blank fields are
/// left out; a phone number adds its digits and, for a home-country number, its national form
/// (`0912…`), so that the number is found by its digits however they are typed.
pub fn search_key<'a>(fields: impl IntoIterator<Item = &'a str>, phones: impl IntoIterator<Item = &'a Phone>) -> String {
    let mut parts: Vec<String> = fields.into_iter().map(normalize).filter(|f| !f.is_empty()).collect();
    for phone in phones {
        let digits = phone.as_str().trim_start_matches('+').to_owned();
        if let Some(national) = digits.strip_prefix(Phone::HOME_COUNTRY_CODE) {
            parts.push(format!("0{national}"));
        }
        parts.push(digits);
    }
    let mut key = String::from(FIELD_SEPARATOR);
    for part in parts {
        key.push(' ');
        key.push_str(&part);
        key.push(' ');
        key.push(FIELD_SEPARATOR);
    }
    key
}

/// How well a record's key matches a normalized query, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MatchRank {
    /// The query is a whole field (a title, a name, an email, …).
    Exact = 0,
    /// The query starts a word.
    Prefix = 1,
    /// The query is somewhere inside (or a phone number's digits are).
    Contains = 2,
}

impl MatchRank {
    /// The patterns a key is compared with (before LIKE escaping): whole field, then word prefix.
    pub fn patterns(query: &str) -> (String, String) {
        (format!("{FIELD_SEPARATOR} {query} {FIELD_SEPARATOR}"), format!(" {query}"))
    }

    /// The rank of `key` for `query` (both normalized), `None` when it does not match at all;
    /// what the store computes in SQL, stated once in Rust.
    pub fn of(key: &str, query: &str) -> Option<MatchRank> {
        let (exact, prefix) = MatchRank::patterns(query);
        if key.contains(&exact) {
            Some(MatchRank::Exact)
        } else if key.contains(&prefix) {
            Some(MatchRank::Prefix)
        } else if key.contains(query) {
            Some(MatchRank::Contains)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arabic_letter_forms_meet_their_persian_forms() {
        assert_eq!(normalize("كريم"), normalize("کریم"));
        assert_eq!(normalize("فاطمة"), "فاطمه");
        assert_eq!(normalize("أحمد إبراهيم آرش"), "احمد ابراهیم ارش");
        assert_eq!(normalize("مؤمن"), "مومن");
    }

    #[test]
    fn persian_and_arabic_indic_digits_are_ascii() {
        assert_eq!(normalize("۰۹۱۲"), "0912");
        assert_eq!(normalize("٠٩١٢"), "0912");
    }

    #[test]
    fn joiners_diacritics_and_tatweel_are_ignored() {
        assert_eq!(normalize("می\u{200C}خواهم"), normalize("میخواهم"));
        assert_eq!(normalize("مُحَمَّد"), "محمد");
        assert_eq!(normalize("کـــریم"), "کریم");
    }

    #[test]
    fn case_spacing_and_punctuation_are_folded() {
        assert_eq!(normalize("  Ali   REZAEI "), "ali rezaei");
        assert_eq!(normalize("ali.rezaei@Example.com"), "ali rezaei example com");
        assert_eq!(normalize("+98 (912) 123-4567"), "98 912 123 4567");
        assert_eq!(normalize("!!!"), "");
    }

    #[test]
    fn a_key_frames_fields_and_spells_phones_both_ways() {
        let phone = Phone::parse("0912 123 4567").unwrap();
        let key = search_key(["Ali Rezaei", "", "ali@example.com"], [&phone]);
        assert_eq!(key, "| ali rezaei | ali example com | 09121234567 | 989121234567 |");
    }

    #[test]
    fn ranks_exact_over_word_prefix_over_contains() {
        let key = search_key(["Pars Logistics", "pars.ir"], []);
        assert_eq!(MatchRank::of(&key, "pars logistics"), Some(MatchRank::Exact));
        assert_eq!(MatchRank::of(&key, "pars ir"), Some(MatchRank::Exact));
        assert_eq!(MatchRank::of(&key, "log"), Some(MatchRank::Prefix));
        assert_eq!(MatchRank::of(&key, "gist"), Some(MatchRank::Contains));
        assert_eq!(MatchRank::of(&key, "tehran"), None);
        assert!(MatchRank::Exact < MatchRank::Prefix && MatchRank::Prefix < MatchRank::Contains);
    }
}
