//! Phone numbers, normalized so that the same number written many ways compares equal.
//!
//! Iranian numbers are written as `0912 123 4567`, `+98 912 123 4567`, `0098-912-123-4567` or in
//! Persian (`۰۹۱۲…`) or Arabic-Indic (`٠٩١٢…`) digits; all of them become `+989121234567`.
//! Numbers of other countries keep their `+`/`00` country code; a bare national number is taken
//! as Iranian, the workspace's home market.

use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    #[error("a phone number may contain only digits, spaces, dashes, dots, parentheses and a leading +")]
    BadCharacter,
    #[error("a phone number has 7 to 15 digits")]
    BadLength,
}

/// A phone number in E.164 form (`+` and 7–15 digits).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Phone(String);

/// Maps Persian (U+06F0–U+06F9) and Arabic-Indic (U+0660–U+0669) digits to ASCII.
pub fn ascii_digits(raw: &str) -> String {
    raw.chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            other => other,
        })
        .collect()
}

impl Phone {
    pub const HOME_COUNTRY_CODE: &'static str = "98";

    pub fn parse(raw: &str) -> Result<Phone, PhoneError> {
        let ascii = ascii_digits(raw.trim());
        let mut digits = String::with_capacity(ascii.len());
        let mut international = false;
        for (i, c) in ascii.chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => international = true,
                ' ' | '-' | '.' | '(' | ')' | '\u{200c}' | '\u{00a0}' => {}
                _ => return Err(PhoneError::BadCharacter),
            }
        }
        let e164 = if international {
            digits
        } else if let Some(rest) = digits.strip_prefix("00") {
            rest.to_owned()
        } else if let Some(rest) = digits.strip_prefix('0') {
            format!("{}{rest}", Self::HOME_COUNTRY_CODE)
        } else if digits.starts_with(Self::HOME_COUNTRY_CODE) && digits.len() == 12 {
            digits
        } else {
            format!("{}{digits}", Self::HOME_COUNTRY_CODE)
        };
        if !(7..=15).contains(&e164.len()) || e164.starts_with('0') {
            return Err(PhoneError::BadLength);
        }
        Ok(Phone(format!("+{e164}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_one_iranian_mobile_is_the_same_number() {
        let spellings = [
            "09121234567",
            "0912 123 4567",
            "0912-123-4567",
            "+98 912 123 4567",
            "+989121234567",
            "00989121234567",
            "989121234567",
            "9121234567",
            "۰۹۱۲۱۲۳۴۵۶۷",
            "+۹۸ ۹۱۲ ۱۲۳ ۴۵۶۷",
            "٠٩١٢١٢٣٤٥٦٧",
            "(0912) 123-4567",
        ];
        for spelling in spellings {
            assert_eq!(Phone::parse(spelling).unwrap().as_str(), "+989121234567", "{spelling}");
        }
    }

    #[test]
    fn other_countries_keep_their_code() {
        assert_eq!(Phone::parse("+49 30 1234567").unwrap().as_str(), "+49301234567");
        assert_eq!(Phone::parse("0049 30 1234567").unwrap().as_str(), "+49301234567");
    }

    #[test]
    fn refuses_letters_and_wrong_lengths() {
        assert_eq!(Phone::parse("0912-CALL-NOW"), Err(PhoneError::BadCharacter));
        assert_eq!(Phone::parse("12"), Err(PhoneError::BadLength));
        assert_eq!(Phone::parse("+1234567890123456"), Err(PhoneError::BadLength));
        assert_eq!(Phone::parse("9+12"), Err(PhoneError::BadCharacter));
    }
}
