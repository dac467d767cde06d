//! Lead scoring: workspace rules, each a condition on a lead and the points it is worth.
//! A lead's score is the sum of the points of the rules that fire, and is always explainable.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use thiserror::Error;

use crate::activity::{ActivityCounts, ActivityKind};
use crate::lead::LeadSource;
use crate::text::bounded_text;
use crate::vocabulary::vocabulary;

bounded_text!(
    /// A scoring rule's name, shown in score explanations.
    RuleName,
    100
);

vocabulary!(
    /// The lead fields a condition can look at.
    LeadField {
        Name => "name",
        Email => "email",
        Phone => "phone",
        Company => "company",
        JobTitle => "job_title",
        Campaign => "campaign",
        Medium => "medium",
        Notes => "notes",
    }
);

/// How a custom-field condition compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Equals,
    AtLeast,
    AtMost,
    Present,
}

/// What must hold of a lead for a rule to fire. Text comparisons ignore case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Condition {
    /// The field has a non-blank value.
    FieldPresent { field: LeadField },
    /// The field equals `value`.
    FieldEquals { field: LeadField, value: String },
    /// The field contains `value`.
    FieldContains { field: LeadField, value: String },
    /// The lead's source is one of `sources`.
    SourceIn { sources: Vec<LeadSource> },
    /// The lead carries `tag`.
    HasTag { tag: String },
    /// A custom field compares to `value` (numbers for at_least/at_most).
    CustomField {
        key: String,
        comparison: Comparison,
        #[serde(default)]
        value: Value,
    },
    /// The lead has been submitted (through intake or import) at least `min` times.
    SubmissionsAtLeast { min: u32 },
    /// At least `min` activities are logged on the lead: of `activity_kind`, or of any kind.
    /// (Not `kind`: that is the tag of every condition.)
    ActivitiesAtLeast {
        min: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        activity_kind: Option<ActivityKind>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum RuleError {
    #[error("points must be between -1000 and 1000")]
    PointsOutOfRange,
    #[error("a condition's value must not be blank")]
    BlankValue,
    #[error("at_least and at_most compare with a number")]
    NotANumber,
    #[error("source_in needs at least one source")]
    NoSources,
    #[error("min must be at least 1: a count of at least 0 holds for every lead")]
    ZeroMinimum,
}

/// A checked rule: a name, a condition and its points (−1000…1000).
#[derive(Clone, Debug, PartialEq)]
pub struct ScoringRule {
    pub name: RuleName,
    pub condition: Condition,
    pub points: i32,
}

impl ScoringRule {
    pub fn new(name: RuleName, condition: Condition, points: i32) -> Result<ScoringRule, RuleError> {
        if !(-1000..=1000).contains(&points) {
            return Err(RuleError::PointsOutOfRange);
        }
        match &condition {
            Condition::FieldEquals { value, .. } | Condition::FieldContains { value, .. } | Condition::HasTag { tag: value }
                if value.trim().is_empty() =>
            {
                return Err(RuleError::BlankValue);
            }
            Condition::SourceIn { sources } if sources.is_empty() => return Err(RuleError::NoSources),
            Condition::SubmissionsAtLeast { min: 0 } | Condition::ActivitiesAtLeast { min: 0, .. } => {
                return Err(RuleError::ZeroMinimum);
            }
            Condition::CustomField { comparison: Comparison::AtLeast | Comparison::AtMost, value, .. } if !value.is_number() => {
                return Err(RuleError::NotANumber);
            }
            _ => {}
        }
        Ok(ScoringRule { name, condition, points })
    }
}

/// What scoring can see of a lead.
#[derive(Clone, Debug, Default)]
pub struct LeadFacts<'a> {
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub company: Option<&'a str>,
    pub job_title: Option<&'a str>,
    pub campaign: Option<&'a str>,
    pub medium: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub source: Option<LeadSource>,
    pub tags: &'a [String],
    pub custom_fields: Option<&'a Map<String, Value>>,
    pub submissions: u32,
    pub activities: ActivityCounts,
}

impl<'a> LeadFacts<'a> {
    /// What the rules read of `lead`, with the activities it has.
    pub fn of(lead: &'a crate::lead::Lead, activities: ActivityCounts) -> LeadFacts<'a> {
        let f = lead.fields();
        LeadFacts {
            name: f.name.as_str(),
            email: f.email.as_ref().map(|e| e.as_str()),
            phone: f.phone.as_ref().map(|p| p.as_str()),
            company: f.company.as_deref(),
            job_title: f.job_title.as_deref(),
            campaign: f.campaign.as_deref(),
            medium: f.medium.as_deref(),
            notes: f.notes.as_deref(),
            source: Some(f.source),
            tags: f.tags.as_slice(),
            custom_fields: Some(&f.custom_fields),
            submissions: u32::try_from(lead.submissions()).unwrap_or(0),
            activities,
        }
    }
}

impl LeadFacts<'_> {
    fn field(&self, field: LeadField) -> Option<&str> {
        let value = match field {
            LeadField::Name => Some(self.name),
            LeadField::Email => self.email,
            LeadField::Phone => self.phone,
            LeadField::Company => self.company,
            LeadField::JobTitle => self.job_title,
            LeadField::Campaign => self.campaign,
            LeadField::Medium => self.medium,
            LeadField::Notes => self.notes,
        };
        value.map(str::trim).filter(|v| !v.is_empty())
    }
}

impl Condition {
    pub fn holds(&self, lead: &LeadFacts<'_>) -> bool {
        let folded = |s: &str| s.trim().to_lowercase();
        match self {
            Condition::FieldPresent { field } => lead.field(*field).is_some(),
            Condition::FieldEquals { field, value } => lead.field(*field).is_some_and(|v| folded(v) == folded(value)),
            Condition::FieldContains { field, value } => lead.field(*field).is_some_and(|v| folded(v).contains(&folded(value))),
            Condition::SourceIn { sources } => lead.source.is_some_and(|s| sources.contains(&s)),
            Condition::HasTag { tag } => lead.tags.iter().any(|t| folded(t) == folded(tag)),
            Condition::CustomField { key, comparison, value } => {
                let Some(actual) = lead.custom_fields.and_then(|fields| fields.get(key)).filter(|v| !v.is_null()) else {
                    return false;
                };
                match comparison {
                    Comparison::Present => true,
                    Comparison::Equals => match (actual, value) {
                        (Value::String(a), Value::String(b)) => folded(a) == folded(b),
                        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
                        (a, b) => a == b,
                    },
                    Comparison::AtLeast => actual.as_f64().zip(value.as_f64()).is_some_and(|(a, b)| a >= b),
                    Comparison::AtMost => actual.as_f64().zip(value.as_f64()).is_some_and(|(a, b)| a <= b),
                }
            }
            Condition::SubmissionsAtLeast { min } => lead.submissions >= *min,
            Condition::ActivitiesAtLeast { min, activity_kind } => lead.activities.of(*activity_kind) >= *min,
        }
    }
}

/// One rule that fired, by its index in the rule list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FiredRule {
    pub index: usize,
    pub points: i32,
}

/// A score and the rules it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Score {
    pub total: i32,
    pub fired: Vec<FiredRule>,
}

/// Scores a lead against the rules, in order.
pub fn score(rules: &[ScoringRule], lead: &LeadFacts<'_>) -> Score {
    let fired: Vec<FiredRule> = rules
        .iter()
        .enumerate()
        .filter(|(_, rule)| rule.condition.holds(lead))
        .map(|(index, rule)| FiredRule { index, points: rule.points })
        .collect();
    Score { total: fired.iter().map(|f| f.points).sum(), fired }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rule(name: &str, condition: Condition, points: i32) -> ScoringRule {
        ScoringRule::new(RuleName::parse(name).unwrap(), condition, points).unwrap()
    }

    #[test]
    fn sums_the_rules_that_fire_and_names_them() {
        let rules = vec![
            rule("Has email", Condition::FieldPresent { field: LeadField::Email }, 10),
            rule("Decision maker", Condition::FieldContains { field: LeadField::JobTitle, value: "ceo".into() }, 25),
            rule("Met at a fair", Condition::SourceIn { sources: vec![LeadSource::Exhibition, LeadSource::Event] }, 15),
            rule("Student", Condition::HasTag { tag: "student".into() }, -30),
            rule("Big fleet", Condition::CustomField { key: "fleet".into(), comparison: Comparison::AtLeast, value: json!(50) }, 20),
            rule("Came back", Condition::SubmissionsAtLeast { min: 2 }, 5),
        ];
        let fields = json!({"fleet": 80});
        let tags = vec!["VIP".to_owned()];
        let lead = LeadFacts {
            name: "Sara",
            email: Some("sara@pars.example"),
            job_title: Some("Co-founder & CEO"),
            source: Some(LeadSource::Exhibition),
            tags: &tags,
            custom_fields: fields.as_object(),
            submissions: 1,
            ..LeadFacts::default()
        };
        let score = score(&rules, &lead);
        assert_eq!(score.total, 70);
        assert_eq!(score.fired.iter().map(|f| f.index).collect::<Vec<_>>(), [0, 1, 2, 4]);
    }

    #[test]
    fn negative_rules_subtract_and_blank_fields_do_not_count() {
        let rules = vec![
            rule("Student", Condition::HasTag { tag: "Student".into() }, -30),
            rule("Has company", Condition::FieldPresent { field: LeadField::Company }, 10),
        ];
        let tags = vec!["student".to_owned()];
        let lead = LeadFacts { name: "Ali", company: Some("  "), tags: &tags, ..LeadFacts::default() };
        assert_eq!(score(&rules, &lead).total, -30);
    }

    #[test]
    fn rules_are_checked() {
        let name = RuleName::parse("x").unwrap();
        assert_eq!(ScoringRule::new(name.clone(), Condition::HasTag { tag: "a".into() }, 5000), Err(RuleError::PointsOutOfRange));
        assert_eq!(ScoringRule::new(name.clone(), Condition::SourceIn { sources: vec![] }, 1), Err(RuleError::NoSources));
        let never_counted = Condition::ActivitiesAtLeast { min: 0, activity_kind: None };
        assert_eq!(ScoringRule::new(name.clone(), never_counted, 1), Err(RuleError::ZeroMinimum));
        assert_eq!(ScoringRule::new(name.clone(), Condition::SubmissionsAtLeast { min: 0 }, 1), Err(RuleError::ZeroMinimum));
        let compare = Condition::CustomField { key: "k".into(), comparison: Comparison::AtMost, value: json!("many") };
        assert_eq!(ScoringRule::new(name, compare, 1), Err(RuleError::NotANumber));
    }

    #[test]
    fn activity_rules_count_one_kind_or_all() {
        let rules = vec![
            rule("Talked twice", Condition::ActivitiesAtLeast { min: 2, activity_kind: Some(ActivityKind::Call) }, 10),
            rule("Engaged", Condition::ActivitiesAtLeast { min: 3, activity_kind: None }, 5),
        ];
        let mut activities = ActivityCounts::default();
        activities.add(ActivityKind::Call, 1);
        activities.add(ActivityKind::Note, 2);
        let lead = LeadFacts { name: "Sara", activities, ..LeadFacts::default() };
        assert_eq!(score(&rules, &lead).total, 5);
        activities.add(ActivityKind::Call, 1);
        assert_eq!(score(&rules, &LeadFacts { activities, ..lead }).total, 15);
        let stored = serde_json::to_value(&rules[1].condition).unwrap();
        assert_eq!(stored, json!({"kind": "activities_at_least", "min": 3}), "no activity_kind: every kind");
        let stored = json!({"kind": "activities_at_least", "min": 2, "activity_kind": "call"});
        assert_eq!(serde_json::from_value::<Condition>(stored).unwrap(), rules[0].condition);
    }

    #[test]
    fn conditions_are_stored_as_tagged_json() {
        let condition = Condition::SourceIn { sources: vec![LeadSource::Website] };
        let stored = serde_json::to_value(&condition).unwrap();
        assert_eq!(stored, json!({"kind": "source_in", "sources": ["website"]}));
        assert_eq!(serde_json::from_value::<Condition>(stored).unwrap(), condition);
    }
}
