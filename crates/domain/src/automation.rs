//! Automation rules: when a trigger fires for a record and every condition holds on it, the
//! rule's actions run. A rule is parsed whole from its raw form, each problem named by the path of
//! the part it concerns (`conditions[1].value`), so a stored rule is always runnable.
//!
//! Conditions read the record as the API shows it (the JSON of `GET /deals/{id}` for a deal),
//! by a field name or `custom_fields.<key>`. Cascades are bounded: an action's change may fire
//! rules again, to a depth of [`MAX_DEPTH`], and never the rules already in its chain.

use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::ids::{PipelineId, StageId, UserId};
use crate::tags::Tag;
use crate::text::bounded_text;
use crate::user::Email;
use crate::vocabulary::vocabulary;

/// How many rules may follow one another in a chain of changes: a rule's action may fire a rule
/// whose action fires a third, and no further.
pub const MAX_DEPTH: usize = 3;
pub const MAX_CONDITIONS: usize = 20;
pub const MAX_ACTIONS: usize = 10;
/// Users an `assign_owner` or `notify` action may name.
pub const MAX_USERS: usize = 50;

vocabulary!(
    /// What starts a rule.
    TriggerKind {
        DealStageChanged => "deal.stage_changed",
        DealCreated => "deal.created",
        DealWon => "deal.won",
        DealLost => "deal.lost",
        DealRotting => "deal.rotting",
        LeadCreated => "lead.created",
        LeadQualified => "lead.qualified",
        ActivityOverdue => "activity.overdue",
        ImportantDateUpcoming => "important_date.upcoming",
    }
);

vocabulary!(
    /// How a condition compares a record's field with its value.
    Operator {
        Eq => "eq",
        Neq => "neq",
        Gt => "gt",
        Gte => "gte",
        Lt => "lt",
        Lte => "lte",
        Contains => "contains",
        In => "in",
    }
);

vocabulary!(
    /// The kind of record a trigger is about, and so what conditions read and actions change.
    Subject {
        Deal => "deal",
        Lead => "lead",
        Activity => "activity",
        Contact => "contact",
    }
);

impl TriggerKind {
    pub fn subject(self) -> Subject {
        match self {
            TriggerKind::DealStageChanged
            | TriggerKind::DealCreated
            | TriggerKind::DealWon
            | TriggerKind::DealLost
            | TriggerKind::DealRotting => Subject::Deal,
            TriggerKind::LeadCreated | TriggerKind::LeadQualified => Subject::Lead,
            TriggerKind::ActivityOverdue => Subject::Activity,
            TriggerKind::ImportantDateUpcoming => Subject::Contact,
        }
    }

    /// Whether the trigger fires on an outbox event (the others fire from the scheduled pass).
    pub fn is_event(self) -> bool {
        !matches!(self, TriggerKind::DealRotting | TriggerKind::ActivityOverdue | TriggerKind::ImportantDateUpcoming)
    }
}

impl Subject {
    /// The record's fields a condition may read (besides `custom_fields.<key>`).
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            Subject::Deal => &[
                "title",
                "amount_minor",
                "currency",
                "probability",
                "weighted_amount_minor",
                "expected_close_date",
                "owner_id",
                "pipeline_id",
                "stage_id",
                "status",
                "contact_id",
                "organization_id",
                "tags",
            ],
            Subject::Lead => {
                &["name", "email", "phone", "company", "job_title", "source", "campaign", "medium", "owner_id", "status", "score", "tags"]
            }
            Subject::Activity => &["kind", "subject", "owner_id", "priority", "due_at", "deal_id", "lead_id", "contact_id"],
            Subject::Contact => &["first_name", "last_name", "email", "phone", "owner_id", "organization_id", "tags"],
        }
    }

    fn has_custom_fields(self) -> bool {
        matches!(self, Subject::Deal | Subject::Lead | Subject::Contact)
    }
}

bounded_text!(
    /// A rule's name, as the automation list shows it.
    RuleName,
    120
);

bounded_text!(
    /// The title of a task an action creates.
    TaskTitle,
    200
);

/// One problem with a rule, at the path of the part it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    pub path: String,
    pub message: String,
}

fn problem(path: impl Into<String>, message: impl Into<String>) -> RuleProblem {
    RuleProblem { path: path.into(), message: message.into() }
}

/// When a rule fires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub kind: TriggerKind,
    /// `deal.stage_changed` into this stage only; any stage when `None`.
    pub stage_id: Option<StageId>,
    /// `important_date.upcoming`: this many days before the date.
    pub days_before: Option<u16>,
}

impl Trigger {
    /// Whether an outbox event of `event_type` with `payload` (its `data`) fires this trigger.
    pub fn fires_on(&self, event_type: &str, payload: &Value) -> bool {
        if !self.kind.is_event() || event_type != self.kind.as_str() {
            return false;
        }
        match self.stage_id {
            Some(stage) => payload.get("to_stage_id").and_then(Value::as_str) == Some(stage.as_uuid().to_string().as_str()),
            None => true,
        }
    }
}

/// A test of one field of the record.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub field: String,
    pub op: Operator,
    pub value: Value,
}

impl Condition {
    /// Whether `record` passes. A missing field (or a `null`) passes only `neq`.
    pub fn holds(&self, record: &Value) -> bool {
        let found = lookup(record, &self.field).filter(|v| !v.is_null());
        let Some(actual) = found else { return self.op == Operator::Neq };
        match self.op {
            Operator::Eq => same(actual, &self.value),
            Operator::Neq => !same(actual, &self.value),
            Operator::Gt => order(actual, &self.value).is_some_and(|o| o.is_gt()),
            Operator::Gte => order(actual, &self.value).is_some_and(|o| o.is_ge()),
            Operator::Lt => order(actual, &self.value).is_some_and(|o| o.is_lt()),
            Operator::Lte => order(actual, &self.value).is_some_and(|o| o.is_le()),
            Operator::Contains => match (actual, &self.value) {
                (Value::Array(items), wanted) => items.iter().any(|item| same(item, wanted)),
                (Value::String(text), Value::String(part)) => text.to_lowercase().contains(&part.to_lowercase()),
                _ => false,
            },
            Operator::In => self.value.as_array().is_some_and(|choices| choices.iter().any(|choice| same(actual, choice))),
        }
    }
}

fn lookup<'a>(record: &'a Value, field: &str) -> Option<&'a Value> {
    match field.split_once('.') {
        Some((group, key)) => record.get(group)?.get(key),
        None => record.get(field),
    }
}

/// Equal as JSON, with numbers compared by value and text case-insensitively.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(_), Value::Number(_)) => order(a, b) == Some(std::cmp::Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.to_lowercase() == y.to_lowercase(),
        _ => a == b,
    }
}

/// Numbers by value (integers exactly), text (dates in ISO form) lexically; otherwise none.
fn order(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => x.as_f64()?.partial_cmp(&y.as_f64()?),
        },
        (Value::String(x), Value::String(y)) => Some(x.as_str().cmp(y.as_str())),
        _ => None,
    }
}

/// Who an email action writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    /// The record's contact (a deal's or a lead's own address).
    Contact,
    /// The record's owner.
    Owner,
    Address(Email),
}

/// Who a task an action creates is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskOwner {
    /// The record's owner (or, for a lead without one, nobody can be named: the run fails it).
    RecordOwner,
    User(UserId),
}

/// What a rule does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    SendEmail {
        to: Recipient,
        template_id: Uuid,
    },
    CreateTask {
        title: TaskTitle,
        due_in_days: u16,
        owner: TaskOwner,
    },
    Notify {
        user_ids: Vec<UserId>,
    },
    /// The next of these users in turn (round robin over the rule's runs).
    AssignOwner {
        user_ids: Vec<UserId>,
    },
    MoveToStage {
        stage_id: StageId,
    },
    /// A tag checked by [`Tag::parse`].
    AddTag {
        tag: String,
    },
    /// Qualifies the lead into a deal in this pipeline's first stage.
    QualifyLead {
        pipeline_id: PipelineId,
    },
}

impl Action {
    pub fn kind(&self) -> &'static str {
        match self {
            Action::SendEmail { .. } => "send_email",
            Action::CreateTask { .. } => "create_task",
            Action::Notify { .. } => "notify",
            Action::AssignOwner { .. } => "assign_owner",
            Action::MoveToStage { .. } => "move_to_stage",
            Action::AddTag { .. } => "add_tag",
            Action::QualifyLead { .. } => "qualify_lead",
        }
    }

    /// Whether the action can change a record of `subject`.
    fn applies_to(&self, subject: Subject) -> bool {
        match self {
            Action::SendEmail { to: Recipient::Contact, .. } => matches!(subject, Subject::Deal | Subject::Lead | Subject::Contact),
            Action::SendEmail { .. } | Action::CreateTask { .. } | Action::Notify { .. } => true,
            Action::AssignOwner { .. } | Action::AddTag { .. } => matches!(subject, Subject::Deal | Subject::Lead | Subject::Contact),
            Action::MoveToStage { .. } => subject == Subject::Deal,
            Action::QualifyLead { .. } => subject == Subject::Lead,
        }
    }
}

/// A rule as it is stored and run.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub name: RuleName,
    pub trigger: Trigger,
    pub conditions: Vec<Condition>,
    pub actions: Vec<Action>,
    pub active: bool,
}

impl Rule {
    /// Whether the rule runs for `record`: every condition holds.
    pub fn matches(&self, record: &Value) -> bool {
        self.conditions.iter().all(|condition| condition.holds(record))
    }
}

/// Whether a change made by the rules in `chain` (oldest first) may fire `rule`: within the depth,
/// and not back into a rule of its own chain.
pub fn may_cascade(rule: Uuid, chain: &[Uuid]) -> bool {
    chain.len() < MAX_DEPTH && !chain.contains(&rule)
}

/// The user whose turn it is on a rule's `turn`-th assignment.
pub fn round_robin(users: &[UserId], turn: u64) -> Option<UserId> {
    let count = u64::try_from(users.len()).ok().filter(|n| *n > 0)?;
    users.get(usize::try_from(turn % count).ok()?).copied()
}

/// A rule as a request spells it.
#[derive(Debug, Clone, Deserialize)]
pub struct RawRule {
    pub name: String,
    pub trigger: RawTrigger,
    #[serde(default)]
    pub conditions: Vec<RawCondition>,
    pub actions: Vec<Value>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
pub struct RawTrigger {
    #[serde(rename = "type")]
    pub kind: String,
    pub stage_id: Option<Uuid>,
    pub days_before: Option<i64>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct RawCondition {
    pub field: String,
    pub op: String,
    pub value: Value,
}

/// Parses a whole rule, or names every problem in it.
pub fn parse_rule(raw: &RawRule) -> Result<Rule, Vec<RuleProblem>> {
    let mut problems = Vec::new();
    let name = RuleName::parse(&raw.name).map_err(|e| problems.push(problem("name", e.to_string()))).ok();
    let trigger = parse_trigger(&raw.trigger).map_err(|p| problems.push(p)).ok();
    let subject = trigger.as_ref().map(|t| t.kind.subject());
    if raw.conditions.len() > MAX_CONDITIONS {
        problems.push(problem("conditions", format!("at most {MAX_CONDITIONS} conditions")));
    }
    let conditions: Vec<Condition> = raw
        .conditions
        .iter()
        .enumerate()
        .filter_map(|(n, c)| parse_condition(c, subject, &format!("conditions[{n}]")).map_err(|p| problems.push(p)).ok())
        .collect();
    if raw.actions.is_empty() || raw.actions.len() > MAX_ACTIONS {
        problems.push(problem("actions", format!("one to {MAX_ACTIONS} actions")));
    }
    let actions: Vec<Action> = raw
        .actions
        .iter()
        .enumerate()
        .filter_map(|(n, a)| parse_action(a, subject, &format!("actions[{n}]")).map_err(|p| problems.push(p)).ok())
        .collect();
    match (name, trigger) {
        (Some(name), Some(trigger)) if problems.is_empty() => Ok(Rule { name, trigger, conditions, actions, active: raw.active }),
        _ => Err(problems),
    }
}

fn parse_trigger(raw: &RawTrigger) -> Result<Trigger, RuleProblem> {
    let kind = TriggerKind::parse(&raw.kind).map_err(|e| problem("trigger.type", e.to_string()))?;
    if raw.stage_id.is_some() && kind != TriggerKind::DealStageChanged {
        return Err(problem("trigger.stage_id", "only `deal.stage_changed` takes a stage"));
    }
    let days_before = match (kind, raw.days_before) {
        (TriggerKind::ImportantDateUpcoming, Some(days)) if (0..=365).contains(&days) => u16::try_from(days).ok(),
        (TriggerKind::ImportantDateUpcoming, Some(_)) => return Err(problem("trigger.days_before", "must be 0 to 365")),
        (TriggerKind::ImportantDateUpcoming, None) => return Err(problem("trigger.days_before", "required for `important_date.upcoming`")),
        (_, Some(_)) => return Err(problem("trigger.days_before", "only `important_date.upcoming` takes days")),
        (_, None) => None,
    };
    Ok(Trigger { kind, stage_id: raw.stage_id.map(StageId::from), days_before })
}

fn parse_condition(raw: &RawCondition, subject: Option<Subject>, path: &str) -> Result<Condition, RuleProblem> {
    let op = Operator::parse(&raw.op).map_err(|e| problem(format!("{path}.op"), e.to_string()))?;
    if let Some(subject) = subject {
        let known = match raw.field.split_once('.') {
            Some(("custom_fields", key)) => subject.has_custom_fields() && !key.is_empty() && key.len() <= 64,
            Some(_) => false,
            None => subject.fields().contains(&raw.field.as_str()),
        };
        if !known {
            let mut names = subject.fields().join(", ");
            if subject.has_custom_fields() {
                names.push_str(", custom_fields.<key>");
            }
            return Err(problem(format!("{path}.field"), format!("a {subject} has no field `{}`; use one of: {names}", raw.field)));
        }
    }
    let fits = match op {
        Operator::In => raw.value.as_array().is_some_and(|values| !values.is_empty() && values.len() <= 100),
        Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte => raw.value.is_number() || raw.value.is_string(),
        Operator::Contains => raw.value.is_string() && raw.value.as_str().is_some_and(|s| !s.is_empty()),
        Operator::Eq | Operator::Neq => !raw.value.is_array() && !raw.value.is_object(),
    };
    if !fits {
        let expected = match op {
            Operator::In => "a list of 1 to 100 values",
            Operator::Gt | Operator::Gte | Operator::Lt | Operator::Lte => "a number or a date",
            Operator::Contains => "some text",
            Operator::Eq | Operator::Neq => "a single value",
        };
        return Err(problem(format!("{path}.value"), format!("`{op}` compares with {expected}")));
    }
    Ok(Condition { field: raw.field.clone(), op, value: raw.value.clone() })
}

fn parse_action(raw: &Value, subject: Option<Subject>, path: &str) -> Result<Action, RuleProblem> {
    let text = |key: &str| raw.get(key).and_then(Value::as_str);
    let id = |key: &str| -> Result<Uuid, RuleProblem> {
        text(key).and_then(|s| Uuid::parse_str(s).ok()).ok_or_else(|| problem(format!("{path}.{key}"), "must be an id"))
    };
    let users = |key: &str| -> Result<Vec<UserId>, RuleProblem> {
        let list = raw.get(key).and_then(Value::as_array).ok_or_else(|| problem(format!("{path}.{key}"), "must be a list of user ids"))?;
        if list.is_empty() || list.len() > MAX_USERS {
            return Err(problem(format!("{path}.{key}"), format!("one to {MAX_USERS} users")));
        }
        list.iter()
            .map(|u| u.as_str().and_then(|s| Uuid::parse_str(s).ok()).map(UserId::from))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| problem(format!("{path}.{key}"), "must be a list of user ids"))
    };
    let kind = text("type").ok_or_else(|| problem(format!("{path}.type"), "required"))?;
    let action = match kind {
        "send_email" => {
            let to = match text("to") {
                Some("contact") => Recipient::Contact,
                Some("owner") => Recipient::Owner,
                Some(address) => Recipient::Address(
                    Email::parse(address).map_err(|_| problem(format!("{path}.to"), "`contact`, `owner` or an email address"))?,
                ),
                None => return Err(problem(format!("{path}.to"), "`contact`, `owner` or an email address")),
            };
            Action::SendEmail { to, template_id: id("template_id")? }
        }
        "create_task" => {
            let title = TaskTitle::parse(text("title").unwrap_or_default()).map_err(|e| problem(format!("{path}.title"), e.to_string()))?;
            let due_in_days = raw
                .get("due_in_days")
                .map_or(Some(0), Value::as_i64)
                .filter(|d| (0..=365).contains(d))
                .and_then(|d| u16::try_from(d).ok())
                .ok_or_else(|| problem(format!("{path}.due_in_days"), "0 to 365 days"))?;
            let owner = match raw.get("owner_id") {
                None | Some(Value::Null) => TaskOwner::RecordOwner,
                Some(_) => TaskOwner::User(UserId::from(id("owner_id")?)),
            };
            Action::CreateTask { title, due_in_days, owner }
        }
        "notify" => Action::Notify { user_ids: users("user_ids")? },
        "assign_owner" => Action::AssignOwner { user_ids: users("user_ids")? },
        "move_to_stage" => Action::MoveToStage { stage_id: StageId::from(id("stage_id")?) },
        "add_tag" => {
            Action::AddTag { tag: Tag::parse(text("tag").unwrap_or_default()).map_err(|e| problem(format!("{path}.tag"), e.to_string()))? }
        }
        "qualify_lead" => Action::QualifyLead { pipeline_id: PipelineId::from(id("pipeline_id")?) },
        other => {
            return Err(problem(
                format!("{path}.type"),
                format!(
                    "`{other}` is not an action; use send_email, create_task, notify, assign_owner, move_to_stage, add_tag or qualify_lead"
                ),
            ));
        }
    };
    if let Some(subject) = subject
        && !action.applies_to(subject)
    {
        return Err(problem(format!("{path}.type"), format!("`{}` cannot act on a {subject}", action.kind())));
    }
    Ok(action)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn raw(value: Value) -> RawRule {
        serde_json::from_value(value).unwrap()
    }

    fn deal() -> Value {
        json!({"title": "Fleet renewal", "amount_minor": 150_000, "currency": "IRR", "stage_id": "s", "tags": ["vip", "north"],
               "expected_close_date": "2027-01-10", "custom_fields": {"region": "Tehran", "seats": 12}, "contact_id": null})
    }

    fn condition(field: &str, op: &str, value: Value) -> Condition {
        parse_condition(&RawCondition { field: field.into(), op: op.into(), value }, Some(Subject::Deal), "c").unwrap()
    }

    #[test]
    fn conditions_compare_fields_custom_fields_lists_and_missing_values() {
        let deal = deal();
        let cases = [
            ("amount_minor", "gte", json!(100_000), true),
            ("amount_minor", "gte", json!(150_001), false),
            ("amount_minor", "lt", json!(150_001), true),
            ("amount_minor", "eq", json!(150_000), true),
            ("currency", "eq", json!("irr"), true),
            ("currency", "in", json!(["USD", "IRR"]), true),
            ("currency", "in", json!(["USD"]), false),
            ("title", "contains", json!("RENEW"), true),
            ("tags", "contains", json!("vip"), true),
            ("tags", "contains", json!("south"), false),
            ("custom_fields.region", "eq", json!("tehran"), true),
            ("custom_fields.seats", "gt", json!(10), true),
            ("custom_fields.absent", "eq", json!("x"), false),
            ("custom_fields.absent", "neq", json!("x"), true),
            ("contact_id", "eq", json!("c"), false),
            ("contact_id", "neq", json!("c"), true),
            ("expected_close_date", "lt", json!("2027-02-01"), true),
        ];
        for (field, op, value, expected) in cases {
            assert_eq!(condition(field, op, value.clone()).holds(&deal), expected, "{field} {op} {value}");
        }
    }

    #[test]
    fn a_rule_is_parsed_whole_or_every_problem_is_named_by_its_path() {
        let stage = Uuid::now_v7();
        let rule = parse_rule(&raw(json!({
            "name": "Big deals into proposal",
            "trigger": {"type": "deal.stage_changed", "stage_id": stage},
            "conditions": [{"field": "amount_minor", "op": "gte", "value": 1000}],
            "actions": [
                {"type": "send_email", "to": "contact", "template_id": Uuid::now_v7()},
                {"type": "create_task", "title": "Call them", "due_in_days": 2},
            ],
        })))
        .unwrap();
        assert_eq!(rule.trigger.stage_id, Some(StageId::from(stage)));
        assert!(rule.active);
        assert!(rule.matches(&json!({"amount_minor": 1000})));
        assert!(!rule.matches(&json!({"amount_minor": 999})));
        assert!(rule.trigger.fires_on("deal.stage_changed", &json!({"to_stage_id": stage.to_string()})));
        assert!(!rule.trigger.fires_on("deal.stage_changed", &json!({"to_stage_id": Uuid::now_v7().to_string()})));
        assert!(!rule.trigger.fires_on("deal.won", &json!({})));

        let problems = parse_rule(&raw(json!({
            "name": " ",
            "trigger": {"type": "deal.created", "days_before": 3},
            "conditions": [{"field": "score", "op": "gt", "value": 1}, {"field": "title", "op": "in", "value": "x"}],
            "actions": [{"type": "qualify_lead", "pipeline_id": Uuid::now_v7()}, {"type": "explode"}],
        })))
        .unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        // Without a valid trigger there is no subject to judge fields and actions by.
        assert_eq!(paths, ["name", "trigger.days_before", "conditions[1].value", "actions[1].type"], "{problems:?}");
        // With a valid trigger, conditions and actions are judged against its subject.
        let problems = parse_rule(&raw(json!({
            "name": "x",
            "trigger": {"type": "deal.created"},
            "conditions": [{"field": "score", "op": "gt", "value": 1}, {"field": "title", "op": "in", "value": "x"}],
            "actions": [{"type": "qualify_lead", "pipeline_id": Uuid::now_v7()}, {"type": "send_email", "to": "not-an-address", "template_id": Uuid::now_v7()}],
        })))
        .unwrap_err();
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["conditions[0].field", "conditions[1].value", "actions[0].type", "actions[1].to"], "{problems:?}");
        let none = parse_rule(&raw(json!({"name": "x", "trigger": {"type": "lead.created"}, "actions": []}))).unwrap_err();
        assert_eq!(none[0].path, "actions");
        let days = parse_rule(&raw(
            json!({"name": "x", "trigger": {"type": "important_date.upcoming"}, "actions": [{"type": "notify", "user_ids": [Uuid::now_v7()]}]}),
        ));
        assert_eq!(days.unwrap_err()[0].path, "trigger.days_before");
    }

    #[test]
    fn cascades_stop_at_the_depth_and_never_loop_back() {
        let (a, b, c, d) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        assert!(may_cascade(a, &[]));
        assert!(may_cascade(b, &[a]));
        assert!(!may_cascade(a, &[a]), "a rule's change does not fire the rule again");
        assert!(!may_cascade(a, &[b, a]));
        assert!(may_cascade(c, &[a, b]));
        assert!(!may_cascade(d, &[a, b, c]), "three rules deep is the end");
    }

    #[test]
    fn assignments_take_turns() {
        let users: Vec<UserId> = (0..3).map(|_| UserId::new()).collect();
        let picks: Vec<UserId> = (0..6).map(|turn| round_robin(&users, turn).unwrap()).collect();
        assert_eq!(picks, [users[0], users[1], users[2], users[0], users[1], users[2]]);
        assert_eq!(round_robin(&[], 4), None);
    }
}
