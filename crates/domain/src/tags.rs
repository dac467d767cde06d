//! Tags: short labels on leads, contacts and organizations.

use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TagError {
    #[error("at most {max} tags")]
    TooMany { max: usize },
    #[error("a tag is 1 to {max} characters without quotes, backslashes or control characters")]
    BadTag { max: usize },
}

/// A set of tags in the order given, without blanks or case-insensitive repeats. Quotes and
/// backslashes are refused so that a tag is stored verbatim inside its JSON array.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Tags(Vec<String>);

impl Tags {
    pub const MAX_TAGS: usize = 20;
    pub const MAX_CHARS: usize = 50;

    pub fn parse<S: AsRef<str>>(raw: &[S]) -> Result<Tags, TagError> {
        let mut tags: Vec<String> = Vec::with_capacity(raw.len());
        for tag in raw {
            let tag = Tag::parse(tag.as_ref())?;
            if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                tags.push(tag);
            }
        }
        if tags.len() > Self::MAX_TAGS {
            return Err(TagError::TooMany { max: Self::MAX_TAGS });
        }
        Ok(Tags(tags))
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }

    pub fn contains(&self, tag: &str) -> bool {
        self.0.iter().any(|t| t.eq_ignore_ascii_case(tag) || t.to_lowercase() == tag.to_lowercase())
    }

    /// The union of two tag sets, `self`'s first.
    pub fn union(&self, other: &Tags) -> Tags {
        let mut all = self.0.clone();
        all.extend(other.0.iter().cloned());
        Tags::parse(&all).unwrap_or_else(|_| Tags(all.into_iter().take(Self::MAX_TAGS).collect()))
    }

    /// These tags and `tag` (kept once): refused when that makes too many.
    pub fn with(&self, tag: &str) -> Result<Tags, TagError> {
        let mut all = self.0.clone();
        all.push(tag.to_owned());
        Tags::parse(&all)
    }

    /// These tags without `tag`, compared as [`contains`](Self::contains) does.
    pub fn without(&self, tag: &str) -> Tags {
        let tag = tag.trim().to_lowercase();
        Tags(self.0.iter().filter(|t| t.to_lowercase() != tag).cloned().collect())
    }

    /// The stored form: a JSON array.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_else(|_| "[]".to_owned())
    }
}

/// One tag, checked.
pub struct Tag;

impl Tag {
    pub fn parse(raw: &str) -> Result<String, TagError> {
        let tag = raw.trim();
        let bad = tag.is_empty() || tag.chars().count() > Tags::MAX_CHARS || tag.chars().any(|c| c == '"' || c == '\\' || c.is_control());
        if bad { Err(TagError::BadTag { max: Tags::MAX_CHARS }) } else { Ok(tag.to_owned()) }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_tag_is_added_once_and_removed_whatever_its_case() {
        let tags = super::Tags::parse(&["VIP", "fleet"]).unwrap();
        assert_eq!(tags.with("vip").unwrap(), tags);
        assert_eq!(tags.with("new").unwrap().as_slice(), ["VIP", "fleet", "new"]);
        assert_eq!(tags.without("vip").as_slice(), ["fleet"]);
        assert_eq!(tags.without("other"), tags);
        let full = super::Tags::parse(&(0..20).map(|i| format!("t{i}")).collect::<Vec<_>>()).unwrap();
        assert!(full.with("t21").is_err());
    }

    use super::*;

    #[test]
    fn drops_repeats_and_refuses_bad_tags() {
        let tags = Tags::parse(&[" VIP ", "vip", "نمایشگاه"]).unwrap();
        assert_eq!(tags.as_slice(), ["VIP", "نمایشگاه"]);
        assert!(tags.contains("vip"));
        assert_eq!(tags.to_json(), r#"["VIP","نمایشگاه"]"#);
        assert!(Tags::parse(&["a\"b"]).is_err());
        assert!(Tags::parse(&[" "]).is_err());
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert_eq!(Tags::parse(&many), Err(TagError::TooMany { max: 20 }));
    }

    #[test]
    fn union_keeps_order_and_drops_repeats() {
        let a = Tags::parse(&["a", "b"]).unwrap();
        let b = Tags::parse(&["B", "c"]).unwrap();
        assert_eq!(a.union(&b).as_slice(), ["a", "b", "c"]);
    }
}
