//! iCalendar (RFC 5545) output for the calendar feed: text escaping, line folding at 75 octets
//! (never inside a character), CRLF line ends.

use chrono::{DateTime, NaiveDate, Utc};

/// A calendar being written, a property at a time.
#[derive(Default)]
pub struct Ics {
    out: String,
}

impl Ics {
    pub fn new() -> Ics {
        Ics::default()
    }

    /// A property whose value is written as it is (dates, codes, already escaped text).
    pub fn raw(&mut self, name: &str, value: &str) -> &mut Ics {
        self.line(&format!("{name}:{value}"));
        self
    }

    /// A property whose value is text: escaped.
    pub fn text(&mut self, name: &str, value: &str) -> &mut Ics {
        self.line(&format!("{name}:{}", escape(value)));
        self
    }

    /// A date-time property, in UTC.
    pub fn instant(&mut self, name: &str, at: DateTime<Utc>) -> &mut Ics {
        self.raw(name, &at.format("%Y%m%dT%H%M%SZ").to_string())
    }

    /// An all-day date property.
    pub fn date(&mut self, name: &str, day: NaiveDate) -> &mut Ics {
        self.line(&format!("{name};VALUE=DATE:{}", day.format("%Y%m%d")));
        self
    }

    pub fn finish(self) -> String {
        self.out
    }

    fn line(&mut self, line: &str) {
        self.out.push_str(&fold(line));
        self.out.push_str("\r\n");
    }
}

/// Escapes a TEXT value: backslash, semicolon, comma and line breaks.
pub fn escape(value: &str) -> String {
    let mut escaped = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            ';' => escaped.push_str("\\;"),
            ',' => escaped.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                escaped.push_str("\\n");
            }
            '\n' => escaped.push_str("\\n"),
            c if c.is_control() => {}
            c => escaped.push(c),
        }
    }
    escaped
}

/// Folds a content line into lines of at most 75 octets, each continuation beginning with a
/// space; a character is never split.
pub fn fold(line: &str) -> String {
    const MAX: usize = 75;
    let mut folded = String::with_capacity(line.len() + line.len() / MAX * 3);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > MAX {
            folded.push_str("\r\n ");
            width = 1;
        }
        folded.push(c);
        width += len;
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a, b; c\\d\r\ne\nf"), "a\\, b\\; c\\\\d\\ne\\nf");
    }

    #[test]
    fn long_lines_fold_at_75_octets_between_characters() {
        let line = format!("SUMMARY:{}", "تولد ".repeat(30));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{} octets", part.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded, line);
    }
}
