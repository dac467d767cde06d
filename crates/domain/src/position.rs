//! Fractional position keys: a card's place in its column.
//!
//! Keys are strings over base-62 digits that sort byte-wise (`0-9A-Za-z` is ASCII order), so a
//! card can always be placed between two neighbours by writing one row: no column is ever
//! renumbered. A key is an "integer part" whose first character encodes its length (`a`–`z` for
//! non-negative, `A`–`Z` for negative integers) followed by an optional fraction that never ends
//! in `0`. Appending at either end increments the integer part, so keys grow logarithmically with
//! appends and only inserts between two close neighbours lengthen the fraction.
//!
//! Storage must compare these keys byte-wise (SQLite's default; `COLLATE "C"` on PostgreSQL).

use serde::Serialize;
use thiserror::Error;

const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE: usize = 62;
/// The smallest possible integer part; it can have no key before it, only fractions after it.
const SMALLEST_INTEGER: &str = "A00000000000000000000000000";
/// Keys longer than this are refused: only pathological insert patterns produce them.
const MAX_LEN: usize = 128;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PositionError {
    #[error("not a valid position key")]
    Invalid,
    #[error("positions are out of order: the card before must sort before the card after")]
    OutOfOrder,
    #[error("no room left for a position there")]
    Exhausted,
}

/// A validated position key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Position(String);

impl Position {
    /// The key of the first card in an empty column.
    pub fn first() -> Position {
        Position("a0".to_owned())
    }

    pub fn parse(raw: &str) -> Result<Position, PositionError> {
        validate(raw)?;
        Ok(Position(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A key strictly between `before` and `after`; `None` means the start or the end of the column.
    pub fn between(before: Option<&Position>, after: Option<&Position>) -> Result<Position, PositionError> {
        let key = key_between(before.map(|p| p.0.as_str()), after.map(|p| p.0.as_str()))?;
        if key.len() > MAX_LEN {
            return Err(PositionError::Exhausted);
        }
        Ok(Position(key))
    }

    /// `count` ascending keys after `after` (or from the start), e.g. to lay out seeded cards.
    pub fn sequence_after(after: Option<&Position>, count: usize) -> Result<Vec<Position>, PositionError> {
        let mut keys = Vec::with_capacity(count);
        let mut previous = after.cloned();
        for _ in 0..count {
            let next = Position::between(previous.as_ref(), None)?;
            keys.push(next.clone());
            previous = Some(next);
        }
        Ok(keys)
    }
}

fn digit_value(c: u8) -> Result<usize, PositionError> {
    DIGITS.iter().position(|d| *d == c).ok_or(PositionError::Invalid)
}

fn integer_length(head: u8) -> Result<usize, PositionError> {
    match head {
        b'a'..=b'z' => Ok(usize::from(head - b'a') + 2),
        b'A'..=b'Z' => Ok(usize::from(b'Z' - head) + 2),
        _ => Err(PositionError::Invalid),
    }
}

fn split(key: &str) -> Result<(&str, &str), PositionError> {
    let bytes = key.as_bytes();
    let head = *bytes.first().ok_or(PositionError::Invalid)?;
    let len = integer_length(head)?;
    if len > key.len() {
        return Err(PositionError::Invalid);
    }
    Ok(key.split_at(len))
}

fn validate(key: &str) -> Result<(), PositionError> {
    if key.len() > MAX_LEN || key == SMALLEST_INTEGER || !key.is_ascii() {
        return Err(PositionError::Invalid);
    }
    let (integer, fraction) = split(key)?;
    for b in integer.bytes().skip(1).chain(fraction.bytes()) {
        digit_value(b)?;
    }
    if fraction.ends_with('0') {
        return Err(PositionError::Invalid);
    }
    Ok(())
}

/// A fraction strictly between `a` and `b` (`b = None` means 1); neither ends in `0`.
fn midpoint(a: &str, b: Option<&str>) -> Result<String, PositionError> {
    if let Some(b) = b {
        // Strip the common prefix, treating a missing digit of `a` as `0`.
        let (ab, bb) = (a.as_bytes(), b.as_bytes());
        let mut n = 0;
        while n < bb.len() && ab.get(n).copied().unwrap_or(b'0') == bb[n] {
            n += 1;
        }
        if n > 0 {
            let rest_a = if n < a.len() { &a[n..] } else { "" };
            return Ok(format!("{}{}", &b[..n], midpoint(rest_a, Some(&b[n..]))?));
        }
    }
    let digit_a = match a.as_bytes().first() {
        Some(c) => digit_value(*c)?,
        None => 0,
    };
    let digit_b = match b {
        Some(b) => digit_value(*b.as_bytes().first().ok_or(PositionError::OutOfOrder)?)?,
        None => BASE,
    };
    if digit_b <= digit_a {
        return Err(PositionError::OutOfOrder);
    }
    if digit_b - digit_a > 1 {
        let mid = (digit_a + digit_b).div_ceil(2);
        return Ok((DIGITS[mid] as char).to_string());
    }
    // The first digits are consecutive.
    match b {
        Some(b) if b.len() > 1 => Ok(b[..1].to_owned()),
        _ => {
            let rest_a = if a.is_empty() { "" } else { &a[1..] };
            Ok(format!("{}{}", DIGITS[digit_a] as char, midpoint(rest_a, None)?))
        }
    }
}

fn increment_integer(integer: &str) -> Option<String> {
    let bytes = integer.as_bytes();
    let head = bytes[0];
    let mut digits: Vec<u8> = bytes[1..].to_vec();
    let mut carry = true;
    for d in digits.iter_mut().rev() {
        let v = DIGITS.iter().position(|x| x == d).unwrap_or(0) + 1;
        if v == BASE {
            *d = b'0';
        } else {
            *d = DIGITS[v];
            carry = false;
            break;
        }
    }
    if !carry {
        return Some(format!("{}{}", head as char, String::from_utf8_lossy(&digits)));
    }
    match head {
        b'Z' => Some("a0".to_owned()),
        b'z' => None,
        _ => {
            let next = head + 1;
            if next > b'a' {
                digits.push(b'0');
            } else {
                digits.pop();
            }
            Some(format!("{}{}", next as char, String::from_utf8_lossy(&digits)))
        }
    }
}

fn decrement_integer(integer: &str) -> Option<String> {
    let bytes = integer.as_bytes();
    let head = bytes[0];
    let mut digits: Vec<u8> = bytes[1..].to_vec();
    let mut borrow = true;
    for d in digits.iter_mut().rev() {
        let v = DIGITS.iter().position(|x| x == d).unwrap_or(0);
        if v == 0 {
            *d = DIGITS[BASE - 1];
        } else {
            *d = DIGITS[v - 1];
            borrow = false;
            break;
        }
    }
    if !borrow {
        return Some(format!("{}{}", head as char, String::from_utf8_lossy(&digits)));
    }
    match head {
        b'a' => Some(format!("Z{}", DIGITS[BASE - 1] as char)),
        b'A' => None,
        _ => {
            let previous = head - 1;
            if previous < b'Z' {
                digits.push(DIGITS[BASE - 1]);
            } else {
                digits.pop();
            }
            Some(format!("{}{}", previous as char, String::from_utf8_lossy(&digits)))
        }
    }
}

fn key_between(a: Option<&str>, b: Option<&str>) -> Result<String, PositionError> {
    if let Some(a) = a {
        validate(a)?;
    }
    if let Some(b) = b {
        validate(b)?;
    }
    if let (Some(a), Some(b)) = (a, b)
        && a >= b
    {
        return Err(PositionError::OutOfOrder);
    }
    match (a, b) {
        (None, None) => Ok("a0".to_owned()),
        (None, Some(b)) => {
            let (integer, fraction) = split(b)?;
            if integer == SMALLEST_INTEGER {
                return Ok(format!("{integer}{}", midpoint("", Some(fraction))?));
            }
            if integer.len() < b.len() {
                return Ok(integer.to_owned());
            }
            decrement_integer(integer).ok_or(PositionError::Exhausted)
        }
        (Some(a), None) => {
            let (integer, fraction) = split(a)?;
            match increment_integer(integer) {
                Some(next) => Ok(next),
                None => Ok(format!("{integer}{}", midpoint(fraction, None)?)),
            }
        }
        (Some(a), Some(b)) => {
            let (integer_a, fraction_a) = split(a)?;
            let (integer_b, fraction_b) = split(b)?;
            if integer_a == integer_b {
                return Ok(format!("{integer_a}{}", midpoint(fraction_a, Some(fraction_b))?));
            }
            let next = increment_integer(integer_a).ok_or(PositionError::Exhausted)?;
            if next.as_str() < b { Ok(next) } else { Ok(format!("{integer_a}{}", midpoint(fraction_a, None)?)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn between(a: Option<&str>, b: Option<&str>) -> String {
        key_between(a, b).unwrap()
    }

    #[test]
    fn reference_cases() {
        assert_eq!(between(None, None), "a0");
        assert_eq!(between(None, Some("a0")), "Zz");
        assert_eq!(between(Some("a0"), None), "a1");
        assert_eq!(between(Some("a0"), Some("a1")), "a0V");
        assert_eq!(between(Some("a1"), Some("a2")), "a1V");
        assert_eq!(between(Some("a0V"), Some("a1")), "a0l");
        assert_eq!(between(Some("Zz"), Some("a0")), "ZzV");
        assert_eq!(between(Some("Zz"), Some("a01")), "a0");
        assert_eq!(between(None, Some("a0V")), "a0");
        assert_eq!(between(Some("az"), None), "b00");
        assert_eq!(between(Some("b00"), None), "b01");
        assert_eq!(between(None, Some("b00")), "az");
        assert_eq!(between(Some("a0"), Some("a0V")), "a0G");
        assert_eq!(between(Some("zzzzzzzzzzzzzzzzzzzzzzzzzzz"), None), "zzzzzzzzzzzzzzzzzzzzzzzzzzzV");
    }

    #[test]
    fn rejects_bad_keys_and_order() {
        assert_eq!(key_between(Some("a1"), Some("a0")), Err(PositionError::OutOfOrder));
        assert_eq!(key_between(Some("a0"), Some("a0")), Err(PositionError::OutOfOrder));
        for bad in ["", "a", "a00", "a0!", "ک", "A00000000000000000000000000", "0"] {
            assert!(Position::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn appends_grow_keys_slowly() {
        let keys = Position::sequence_after(None, 10_000).unwrap();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        assert!(keys.iter().all(|k| k.as_str().len() <= 4), "longest {:?}", keys.last());
    }

    /// Repeatedly inserting at pseudo-random places keeps every key valid and the order strict.
    #[test]
    fn random_inserts_keep_order() {
        let mut keys: Vec<Position> = Vec::new();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..3_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let slot = (seed % (keys.len() as u64 + 1)) as usize;
            let before = slot.checked_sub(1).map(|i| &keys[i]);
            let after = keys.get(slot);
            let key = Position::between(before, after).unwrap();
            assert!(before.is_none_or(|b| b < &key) && after.is_none_or(|a| &key < a));
            assert!(Position::parse(key.as_str()).is_ok());
            keys.insert(slot, key);
        }
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn always_inserting_after_the_first_card_lengthens_slowly() {
        let first = Position::first();
        let mut after = Position::between(Some(&first), None).unwrap();
        for _ in 0..200 {
            after = Position::between(Some(&first), Some(&after)).unwrap();
        }
        assert!(after.as_str().len() < 60, "{}", after.as_str());
    }
}
