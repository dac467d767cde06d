//! Deal rules: the fields a stage requires of a deal that enters it, and the workspace's
//! managed reasons for losing a deal.

use thiserror::Error;

use crate::custom_fields::is_field_key;
use crate::ids::LostReasonId;
use crate::text::bounded_text;

bounded_text!(
    /// The name of a managed lost reason ("Price", "Chose a competitor").
    LostReasonName,
    100
);

/// A stage requires at most this many fields.
pub const MAX_REQUIRED_FIELDS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RequiredFieldsError {
    #[error("`{0}` is not a deal field: use amount, expected_close_date, contact_id, organization_id or a deal custom-field key")]
    Unknown(String),
    #[error("a stage requires at most {MAX_REQUIRED_FIELDS} fields")]
    TooMany,
}

/// A field a stage may require of the deals entering it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum RequiredField {
    /// An amount above zero.
    Amount,
    ExpectedCloseDate,
    Contact,
    Organization,
    /// A deal custom field, by its key, holding a value that is not blank.
    Custom(String),
}

impl RequiredField {
    /// The built-in fields, by the names a stage lists them with.
    pub const BUILT_IN: [&'static str; 4] = ["amount", "expected_close_date", "contact_id", "organization_id"];

    /// A built-in name, or else a custom-field key (a built-in name always means the built-in).
    pub fn parse(raw: &str) -> Result<RequiredField, RequiredFieldsError> {
        match raw.trim() {
            "amount" => Ok(RequiredField::Amount),
            "expected_close_date" => Ok(RequiredField::ExpectedCloseDate),
            "contact_id" => Ok(RequiredField::Contact),
            "organization_id" => Ok(RequiredField::Organization),
            key if is_field_key(key) => Ok(RequiredField::Custom(key.to_owned())),
            other => Err(RequiredFieldsError::Unknown(other.to_owned())),
        }
    }

    /// The name a stage lists it by.
    pub fn name(&self) -> &str {
        match self {
            RequiredField::Amount => "amount",
            RequiredField::ExpectedCloseDate => "expected_close_date",
            RequiredField::Contact => "contact_id",
            RequiredField::Organization => "organization_id",
            RequiredField::Custom(key) => key,
        }
    }

    /// The request field a missing value is reported against, as a deal's create and update
    /// requests name it: `amount_minor`, `expected_close_date`, `contact_id`,
    /// `organization_id`, `custom_fields.<key>`.
    pub fn request_field(&self) -> String {
        match self {
            RequiredField::Amount => "amount_minor".to_owned(),
            RequiredField::Custom(key) => format!("custom_fields.{key}"),
            other => other.name().to_owned(),
        }
    }

    pub fn custom_key(&self) -> Option<&str> {
        match self {
            RequiredField::Custom(key) => Some(key),
            _ => None,
        }
    }
}

/// The fields a stage requires, each once, in the order given.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RequiredFields(Vec<RequiredField>);

impl RequiredFields {
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<RequiredFields, RequiredFieldsError> {
        let mut fields: Vec<RequiredField> = Vec::with_capacity(names.len());
        for name in names {
            let field = RequiredField::parse(name.as_ref())?;
            if !fields.contains(&field) {
                fields.push(field);
            }
        }
        if fields.len() > MAX_REQUIRED_FIELDS {
            return Err(RequiredFieldsError::TooMany);
        }
        Ok(RequiredFields(fields))
    }

    pub fn iter(&self) -> impl Iterator<Item = &RequiredField> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The names, as stored and shown.
    pub fn names(&self) -> Vec<String> {
        self.0.iter().map(|f| f.name().to_owned()).collect()
    }

    /// The custom-field keys among them.
    pub fn custom_keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(RequiredField::custom_key)
    }

    /// The same requirements less the custom field `key` (whose definition is being removed).
    pub fn without_custom(&self, key: &str) -> RequiredFields {
        RequiredFields(self.0.iter().filter(|f| f.custom_key() != Some(key)).cloned().collect())
    }
}

/// A managed lost reason as the rules of losing a deal see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManagedLostReason {
    pub id: LostReasonId,
    /// An inactive reason stays on the deals lost for it but is offered for no new loss.
    pub active: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_fields_are_built_ins_or_custom_keys_each_once() {
        let fields = RequiredFields::parse(&["amount", "fleet_size", "amount", " contact_id "]).unwrap();
        assert_eq!(fields.names(), ["amount", "fleet_size", "contact_id"]);
        assert_eq!(fields.custom_keys().collect::<Vec<_>>(), ["fleet_size"]);
        assert_eq!(
            fields.iter().map(RequiredField::request_field).collect::<Vec<_>>(),
            ["amount_minor", "custom_fields.fleet_size", "contact_id"]
        );
        assert_eq!(RequiredFields::parse(&["Amount!"]), Err(RequiredFieldsError::Unknown("Amount!".into())));
        let many: Vec<String> = (0..21).map(|i| format!("f{i}")).collect();
        assert_eq!(RequiredFields::parse(&many), Err(RequiredFieldsError::TooMany));
        assert_eq!(fields.without_custom("fleet_size").names(), ["amount", "contact_id"]);
    }
}
