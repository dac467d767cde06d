//! Custom fields: workspace-defined fields on leads, contacts, organizations and deals, stored as a
//! JSON object whose every key has a definition and whose every value fits its kind.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;

use crate::vocabulary::vocabulary;

vocabulary!(
    /// What a custom field holds.
    FieldKind {
        Text => "text",
        Number => "number",
        Boolean => "boolean",
        Date => "date",
        Select => "select",
    }
);

vocabulary!(
    /// The records custom fields can be defined on.
    FieldEntity {
        Lead => "lead",
        Contact => "contact",
        Organization => "organization",
        Deal => "deal",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DefinitionError {
    #[error("a key is 1 to 40 lower-case letters, digits or underscores, starting with a letter")]
    BadKey,
    #[error("a select field needs 1 to 100 distinct, non-blank options")]
    BadOptions,
    #[error("only select fields have options")]
    UnexpectedOptions,
    #[error("a field's kind cannot change: values stored under its key would no longer fit; define a new field instead")]
    KindChanged,
}

/// What an edit of a definition may change: absent parts stay as they are. The key and the
/// record kind never change (stored values are found by them); the field kind may be named only
/// to repeat it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DefinitionEdit {
    pub kind: Option<FieldKind>,
    pub options: Option<Vec<String>>,
    pub required: Option<bool>,
}

/// One field definition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldDefinition {
    pub key: String,
    pub kind: FieldKind,
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

/// Whether `key` is a well-formed custom-field key: 1 to 40 lower-case letters, digits or
/// underscores, starting with a letter.
pub fn is_field_key(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether a stored custom-field value counts as filled in: present, not `null`, and not blank text.
pub fn has_value(value: Option<&Value>) -> bool {
    match value {
        None | Some(Value::Null) => false,
        Some(Value::String(text)) => !text.trim().is_empty(),
        Some(_) => true,
    }
}

impl FieldDefinition {
    pub fn new(key: &str, kind: FieldKind, options: Vec<String>, required: bool) -> Result<FieldDefinition, DefinitionError> {
        if !is_field_key(key) {
            return Err(DefinitionError::BadKey);
        }
        let options: Vec<String> = options.iter().map(|o| o.trim().to_owned()).collect();
        match kind {
            FieldKind::Select => {
                let mut distinct = options.clone();
                distinct.sort();
                distinct.dedup();
                if options.is_empty() || options.len() > 100 || distinct.len() != options.len() || options.iter().any(|o| o.is_empty()) {
                    return Err(DefinitionError::BadOptions);
                }
            }
            _ if !options.is_empty() => return Err(DefinitionError::UnexpectedOptions),
            _ => {}
        }
        Ok(FieldDefinition { key: key.to_owned(), kind, options, required })
    }

    /// The definition as `edit` changes it, checked as a new one is: a select field keeps 1 to
    /// 100 distinct options, other kinds have none, and the kind stays what it is.
    pub fn edit(&self, edit: DefinitionEdit) -> Result<FieldDefinition, DefinitionError> {
        if edit.kind.is_some_and(|kind| kind != self.kind) {
            return Err(DefinitionError::KindChanged);
        }
        FieldDefinition::new(
            &self.key,
            self.kind,
            edit.options.unwrap_or_else(|| self.options.clone()),
            edit.required.unwrap_or(self.required),
        )
    }

    fn check(&self, value: &Value) -> Result<(), String> {
        let ok = match (self.kind, value) {
            (FieldKind::Text, Value::String(s)) => s.chars().count() <= 1000,
            (FieldKind::Number, Value::Number(_)) => true,
            (FieldKind::Boolean, Value::Bool(_)) => true,
            (FieldKind::Date, Value::String(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok(),
            (FieldKind::Select, Value::String(s)) => self.options.iter().any(|o| o == s),
            _ => false,
        };
        if ok {
            return Ok(());
        }
        Err(match self.kind {
            FieldKind::Text => "must be text of at most 1000 characters".to_owned(),
            FieldKind::Number => "must be a number".to_owned(),
            FieldKind::Boolean => "must be true or false".to_owned(),
            FieldKind::Date => "must be a date (YYYY-MM-DD)".to_owned(),
            FieldKind::Select => format!("must be one of: {}", self.options.join(", ")),
        })
    }
}

/// A custom-field problem: the key it is about and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub key: String,
    pub message: String,
}

/// Checks `values` against `definitions`; `null` removes a value. Returns every problem at once.
pub fn validate(values: &Map<String, Value>, definitions: &[FieldDefinition]) -> Result<Map<String, Value>, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let mut clean = Map::new();
    for (key, value) in values {
        match definitions.iter().find(|d| &d.key == key) {
            None => problems.push(FieldProblem { key: key.clone(), message: "no custom field with this key is defined".to_owned() }),
            Some(_) if value.is_null() => {}
            Some(definition) => match definition.check(value) {
                Ok(()) => {
                    clean.insert(key.clone(), value.clone());
                }
                Err(message) => problems.push(FieldProblem { key: key.clone(), message }),
            },
        }
    }
    for definition in definitions.iter().filter(|d| d.required) {
        if !clean.contains_key(&definition.key) {
            problems.push(FieldProblem { key: definition.key.clone(), message: "is required".to_owned() });
        }
    }
    if problems.is_empty() { Ok(clean) } else { Err(problems) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn definitions() -> Vec<FieldDefinition> {
        vec![
            FieldDefinition::new("fleet_size", FieldKind::Number, vec![], false).unwrap(),
            FieldDefinition::new("industry", FieldKind::Select, vec!["logistics".into(), "retail".into()], true).unwrap(),
            FieldDefinition::new("visited_booth", FieldKind::Boolean, vec![], false).unwrap(),
            FieldDefinition::new("contract_end", FieldKind::Date, vec![], false).unwrap(),
        ]
    }

    #[test]
    fn accepts_values_that_fit_their_definitions() {
        let values = json!({"fleet_size": 40, "industry": "logistics", "visited_booth": true, "contract_end": "2027-03-20"});
        let clean = validate(values.as_object().unwrap(), &definitions()).unwrap();
        assert_eq!(clean.len(), 4);
    }

    #[test]
    fn reports_every_problem_by_key() {
        let values = json!({"fleet_size": "forty", "colour": "red", "contract_end": "20/03/2027"});
        let problems = validate(values.as_object().unwrap(), &definitions()).unwrap_err();
        let keys: Vec<&str> = problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["colour", "contract_end", "fleet_size", "industry"]);
        assert!(problems.iter().any(|p| p.key == "industry" && p.message == "is required"));
    }

    #[test]
    fn definitions_are_checked() {
        assert_eq!(FieldDefinition::new("Fleet", FieldKind::Text, vec![], false), Err(DefinitionError::BadKey));
        assert_eq!(FieldDefinition::new("size", FieldKind::Select, vec![], false), Err(DefinitionError::BadOptions));
        assert_eq!(FieldDefinition::new("size", FieldKind::Text, vec!["a".into()], false), Err(DefinitionError::UnexpectedOptions));
    }

    #[test]
    fn an_edit_changes_options_and_the_required_flag_but_never_the_kind() {
        let industry = FieldDefinition::new("industry", FieldKind::Select, vec!["logistics".into()], false).unwrap();
        let edited = industry
            .edit(DefinitionEdit {
                kind: Some(FieldKind::Select),
                options: Some(vec![" retail ".into(), "logistics".into()]),
                required: Some(true),
            })
            .unwrap();
        assert_eq!(
            (edited.key.as_str(), edited.options.clone(), edited.required),
            ("industry", vec!["retail".into(), "logistics".into()], true)
        );
        assert_eq!(industry.edit(DefinitionEdit::default()), Ok(industry.clone()));
        assert_eq!(industry.edit(DefinitionEdit { kind: Some(FieldKind::Text), ..Default::default() }), Err(DefinitionError::KindChanged));
        assert_eq!(industry.edit(DefinitionEdit { options: Some(vec![]), ..Default::default() }), Err(DefinitionError::BadOptions));
        let fleet = FieldDefinition::new("fleet_size", FieldKind::Number, vec![], false).unwrap();
        assert_eq!(
            fleet.edit(DefinitionEdit { options: Some(vec!["a".into()]), ..Default::default() }),
            Err(DefinitionError::UnexpectedOptions)
        );
    }
}
