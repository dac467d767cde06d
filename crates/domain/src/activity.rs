//! Activities: calls, meetings, emails and notes logged against the funnel, and tasks with a due
//! time, an assignee and a priority. Anything with a due time is something to do until it is
//! marked done; the agenda sorts what is left into overdue, today and upcoming.

use chrono::{DateTime, Days, Duration, Utc};
use thiserror::Error;

use crate::ids::{ContactId, DealId, LeadId, OrganizationId, UserId};
use crate::notification::TimeZone;
use crate::text::bounded_text;
use crate::vocabulary::vocabulary;

bounded_text!(
    /// What an activity is about, in one line ("Call back about the fleet quote").
    ActivitySubject,
    200
);
bounded_text!(
    /// The details: call notes, meeting minutes, the text of a note.
    ActivityBody,
    10_000
);

vocabulary!(
    /// What kind of activity it is; scoring rules can count each kind.
    ActivityKind {
        Call => "call",
        Meeting => "meeting",
        Email => "email",
        Note => "note",
        Task => "task",
    }
);

vocabulary!(
    /// How urgent something to do is.
    Priority {
        Low => "low",
        Normal => "normal",
        High => "high",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ActivityError {
    #[error("link the activity to at least one of lead_id, contact_id, organization_id or deal_id")]
    NoLink,
    #[error("a note is not something to do: it has no due time and is never done")]
    NoteIsNotATask,
    #[error("the activity is already done")]
    AlreadyDone,
    #[error("the activity is not done")]
    NotDone,
    #[error("due_in_hours must be between 0 and {max}", max = TaskTemplate::MAX_DUE_IN_HOURS)]
    DueInHoursOutOfRange,
}

/// What an activity is about: any of a lead, a contact, an organization and a deal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActivityLinks {
    pub lead_id: Option<LeadId>,
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    pub deal_id: Option<DealId>,
}

impl ActivityLinks {
    pub fn is_empty(&self) -> bool {
        self.lead_id.is_none() && self.contact_id.is_none() && self.organization_id.is_none() && self.deal_id.is_none()
    }
}

/// What an activity is made of, as given or as stored; [`Activity::new`] checks it.
#[derive(Clone, Debug, PartialEq)]
pub struct ActivityFields {
    pub kind: ActivityKind,
    pub subject: ActivitySubject,
    pub body: Option<ActivityBody>,
    pub links: ActivityLinks,
    /// Whose it is to do, or who logged it.
    pub owner_id: UserId,
    pub priority: Priority,
    pub due_at: Option<DateTime<Utc>>,
    pub done_at: Option<DateTime<Utc>>,
}

/// A change to an activity: `None` leaves a field alone; `Some(None)` clears a clearable one.
/// Done and undone have their own transitions.
#[derive(Clone, Debug, Default)]
pub struct ActivityPatch {
    pub kind: Option<ActivityKind>,
    pub subject: Option<ActivitySubject>,
    pub body: Option<Option<ActivityBody>>,
    pub lead_id: Option<Option<LeadId>>,
    pub contact_id: Option<Option<ContactId>>,
    pub organization_id: Option<Option<OrganizationId>>,
    pub deal_id: Option<Option<DealId>>,
    pub owner_id: Option<UserId>,
    pub priority: Option<Priority>,
    pub due_at: Option<Option<DateTime<Utc>>>,
}

/// A call, meeting, email or note logged against the funnel, or a task. An activity is about
/// something (a lone activity would be found by nobody), and a note is never scheduled nor done.
#[derive(Clone, Debug, PartialEq)]
pub struct Activity(ActivityFields);

impl Activity {
    /// An activity made of `fields`, if they fit together.
    pub fn new(fields: ActivityFields) -> Result<Activity, ActivityError> {
        let activity = Activity(fields);
        activity.check()?;
        Ok(activity)
    }

    /// An activity as it was stored.
    pub fn restore(fields: ActivityFields) -> Activity {
        Activity(fields)
    }

    fn check(&self) -> Result<(), ActivityError> {
        if self.0.links.is_empty() {
            return Err(ActivityError::NoLink);
        }
        if self.0.kind == ActivityKind::Note && (self.0.due_at.is_some() || self.0.done_at.is_some()) {
            return Err(ActivityError::NoteIsNotATask);
        }
        Ok(())
    }

    pub fn kind(&self) -> ActivityKind {
        self.0.kind
    }

    pub fn subject(&self) -> &ActivitySubject {
        &self.0.subject
    }

    pub fn body(&self) -> Option<&ActivityBody> {
        self.0.body.as_ref()
    }

    pub fn links(&self) -> &ActivityLinks {
        &self.0.links
    }

    pub fn owner_id(&self) -> UserId {
        self.0.owner_id
    }

    pub fn priority(&self) -> Priority {
        self.0.priority
    }

    pub fn due_at(&self) -> Option<DateTime<Utc>> {
        self.0.due_at
    }

    pub fn done_at(&self) -> Option<DateTime<Utc>> {
        self.0.done_at
    }

    pub fn is_done(&self) -> bool {
        self.0.done_at.is_some()
    }

    /// Applies `patch`, if the result still fits together; says whether anything changed.
    pub fn update(&mut self, patch: ActivityPatch) -> Result<bool, ActivityError> {
        let mut next = self.0.clone();
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { next.$field = value; })* };
        }
        apply!(kind, subject, body, owner_id, priority, due_at);
        macro_rules! link {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { next.links.$field = value; })* };
        }
        link!(lead_id, contact_id, organization_id, deal_id);
        let next = Activity::new(next)?;
        let changed = next != *self;
        *self = next;
        Ok(changed)
    }

    /// Marks it done at `now`.
    pub fn complete(&mut self, now: DateTime<Utc>) -> Result<(), ActivityError> {
        if self.0.kind == ActivityKind::Note {
            return Err(ActivityError::NoteIsNotATask);
        }
        if self.is_done() {
            return Err(ActivityError::AlreadyDone);
        }
        self.0.done_at = Some(now);
        Ok(())
    }

    /// Makes a done activity something to do again.
    pub fn reopen(&mut self) -> Result<(), ActivityError> {
        if !self.is_done() {
            return Err(ActivityError::NotDone);
        }
        self.0.done_at = None;
        Ok(())
    }
}

/// How many activities of each kind a lead has: what `activities_at_least` rules count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ActivityCounts([u32; ActivityKind::ALL.len()]);

impl ActivityCounts {
    pub fn add(&mut self, kind: ActivityKind, count: u32) {
        self.0[kind as usize] += count;
    }

    /// Adds another's counts (a lead merged into this one brings its activities).
    pub fn absorb(&mut self, other: ActivityCounts) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine += theirs;
        }
    }

    /// The count of one kind, or of all kinds.
    pub fn of(&self, kind: Option<ActivityKind>) -> u32 {
        match kind {
            Some(kind) => self.0[kind as usize],
            None => self.0.iter().sum(),
        }
    }
}

/// A follow-up a stage gives every deal that enters it: a task for the deal's owner, due
/// `due_in_hours` after the deal entered.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskTemplate {
    pub kind: ActivityKind,
    pub subject: ActivitySubject,
    pub body: Option<ActivityBody>,
    pub priority: Priority,
    pub due_in_hours: u32,
}

impl TaskTemplate {
    /// A year: later follow-ups belong on a calendar, not a stage.
    pub const MAX_DUE_IN_HOURS: u32 = 24 * 366;

    pub fn check(&self) -> Result<(), ActivityError> {
        if self.kind == ActivityKind::Note {
            return Err(ActivityError::NoteIsNotATask);
        }
        if self.due_in_hours > Self::MAX_DUE_IN_HOURS {
            return Err(ActivityError::DueInHoursOutOfRange);
        }
        Ok(())
    }

    /// The activity this template gives a deal that entered its stage at `entered_at`.
    pub fn task_for(&self, links: ActivityLinks, owner_id: UserId, entered_at: DateTime<Utc>) -> Activity {
        Activity(ActivityFields {
            kind: self.kind,
            subject: self.subject.clone(),
            body: self.body.clone(),
            links,
            owner_id,
            priority: self.priority,
            due_at: Some(entered_at + Duration::hours(i64::from(self.due_in_hours))),
            done_at: None,
        })
    }
}

/// Where an open, due activity falls on the agenda.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgendaBucket {
    Overdue,
    Today,
    Upcoming,
}

/// The agenda's day boundaries. Days are UTC days: "today" runs from midnight UTC before `now`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgendaWindow {
    pub today_start: DateTime<Utc>,
    pub tomorrow_start: DateTime<Utc>,
    /// The end (exclusive) of the upcoming days.
    pub upcoming_end: DateTime<Utc>,
}

impl AgendaWindow {
    /// The longest look ahead, in days.
    pub const MAX_DAYS: u32 = 90;

    /// Today in `zone`, and the `days` days after it (at most [`Self::MAX_DAYS`]): local days,
    /// so a Tehran user's today begins at 20:30 UTC the day before, and a day of a change of
    /// offset is 23 or 25 hours long.
    pub fn new(now: DateTime<Utc>, days: u32, zone: TimeZone) -> AgendaWindow {
        let today = zone.date_at(now);
        let day_after = |n: u32| today.checked_add_days(Days::new(u64::from(n))).unwrap_or(today);
        AgendaWindow {
            today_start: zone.start_of(today),
            tomorrow_start: zone.start_of(day_after(1)),
            upcoming_end: zone.start_of(day_after(1 + days.min(Self::MAX_DAYS))),
        }
    }

    /// The bucket of something due at `due_at` and not done; `None` past the upcoming days.
    pub fn bucket(&self, due_at: DateTime<Utc>) -> Option<AgendaBucket> {
        if due_at < self.today_start {
            Some(AgendaBucket::Overdue)
        } else if due_at < self.tomorrow_start {
            Some(AgendaBucket::Today)
        } else if due_at < self.upcoming_end {
            Some(AgendaBucket::Upcoming)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn fields(kind: ActivityKind) -> ActivityFields {
        ActivityFields {
            kind,
            subject: ActivitySubject::parse("Call back").unwrap(),
            body: None,
            links: ActivityLinks { lead_id: Some(LeadId::new()), ..ActivityLinks::default() },
            owner_id: UserId::new(),
            priority: Priority::Normal,
            due_at: None,
            done_at: None,
        }
    }

    fn task(kind: ActivityKind) -> Activity {
        Activity::new(fields(kind)).unwrap()
    }

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
    }

    #[test]
    fn an_activity_needs_a_link_and_a_note_is_never_scheduled() {
        let mut lone = fields(ActivityKind::Call);
        lone.links = ActivityLinks::default();
        assert_eq!(Activity::new(lone.clone()), Err(ActivityError::NoLink));
        let mut on_a_deal = lone;
        on_a_deal.links.deal_id = Some(DealId::new());
        assert!(Activity::new(on_a_deal).is_ok());
        let mut note = fields(ActivityKind::Note);
        assert!(Activity::new(note.clone()).is_ok());
        note.due_at = Some(at(24, 9));
        assert_eq!(Activity::new(note), Err(ActivityError::NoteIsNotATask));
    }

    #[test]
    fn an_update_keeps_the_rules_and_says_whether_it_changed_anything() {
        let mut call = task(ActivityKind::Call);
        assert_eq!(call.update(ActivityPatch { priority: Some(Priority::Normal), ..Default::default() }), Ok(false));
        assert_eq!(call.update(ActivityPatch { priority: Some(Priority::High), ..Default::default() }), Ok(true));
        assert_eq!(call.priority(), Priority::High);
        let unlinked = ActivityPatch { lead_id: Some(None), ..Default::default() };
        assert_eq!(call.update(unlinked), Err(ActivityError::NoLink));
        assert!(call.links().lead_id.is_some(), "a refused update changes nothing");
    }

    #[test]
    fn done_and_undone() {
        let mut call = task(ActivityKind::Call);
        assert!(!call.is_done());
        call.complete(at(24, 10)).unwrap();
        assert_eq!(call.done_at(), Some(at(24, 10)));
        assert_eq!(call.complete(at(24, 11)), Err(ActivityError::AlreadyDone));
        call.reopen().unwrap();
        assert!(!call.is_done());
        assert_eq!(call.reopen(), Err(ActivityError::NotDone));
        assert_eq!(task(ActivityKind::Note).complete(at(24, 10)), Err(ActivityError::NoteIsNotATask));
    }

    #[test]
    fn counts_by_kind_and_in_all() {
        let mut counts = ActivityCounts::default();
        counts.add(ActivityKind::Call, 2);
        counts.add(ActivityKind::Meeting, 1);
        counts.add(ActivityKind::Call, 1);
        assert_eq!(counts.of(Some(ActivityKind::Call)), 3);
        assert_eq!(counts.of(Some(ActivityKind::Email)), 0);
        assert_eq!(counts.of(None), 4);
        let mut merged = ActivityCounts::default();
        merged.add(ActivityKind::Email, 2);
        merged.absorb(counts);
        assert_eq!((merged.of(Some(ActivityKind::Call)), merged.of(None)), (3, 6));
    }

    #[test]
    fn a_template_schedules_its_task_from_the_stage_entry() {
        let template = TaskTemplate {
            kind: ActivityKind::Call,
            subject: ActivitySubject::parse("Send the proposal").unwrap(),
            body: None,
            priority: Priority::High,
            due_in_hours: 48,
        };
        assert_eq!(template.check(), Ok(()));
        let links = ActivityLinks { deal_id: Some(DealId::new()), ..ActivityLinks::default() };
        let owner = UserId::new();
        let activity = template.task_for(links, owner, at(24, 9));
        assert_eq!((activity.due_at(), activity.owner_id(), activity.priority()), (Some(at(26, 9)), owner, Priority::High));
        let note = TaskTemplate { kind: ActivityKind::Note, ..template.clone() };
        assert_eq!(note.check(), Err(ActivityError::NoteIsNotATask));
        let late = TaskTemplate { due_in_hours: TaskTemplate::MAX_DUE_IN_HOURS + 1, ..template };
        assert_eq!(late.check(), Err(ActivityError::DueInHoursOutOfRange));
    }

    #[test]
    fn the_agenda_buckets_by_utc_day() {
        let window = AgendaWindow::new(at(24, 15), 7, TimeZone::UTC);
        assert_eq!(window.today_start, at(24, 0));
        assert_eq!(window.tomorrow_start, at(25, 0));
        assert_eq!(window.upcoming_end, Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap());
        assert_eq!(window.bucket(at(23, 23)), Some(AgendaBucket::Overdue));
        assert_eq!(window.bucket(at(24, 0)), Some(AgendaBucket::Today), "midnight starts today");
        assert_eq!(window.bucket(at(24, 9)), Some(AgendaBucket::Today), "earlier today is not overdue yet");
        assert_eq!(window.bucket(at(24, 23)), Some(AgendaBucket::Today));
        assert_eq!(window.bucket(at(25, 0)), Some(AgendaBucket::Upcoming));
        assert_eq!(window.bucket(at(27, 12)), Some(AgendaBucket::Upcoming));
        assert_eq!(window.bucket(Utc.with_ymd_and_hms(2026, 12, 1, 23, 59, 59).unwrap()), Some(AgendaBucket::Upcoming));
        assert_eq!(window.bucket(Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap()), None);
        assert_eq!(AgendaWindow::new(at(24, 15), 0, TimeZone::UTC).bucket(at(25, 1)), None, "no upcoming days");
        assert_eq!(AgendaWindow::new(at(24, 15), 10_000, TimeZone::UTC).upcoming_end, at(25, 0) + Duration::days(90), "bounded");
    }

    #[test]
    fn the_agenda_follows_the_users_local_days() {
        let tehran = TimeZone::parse("Asia/Tehran").unwrap();
        // 21:00 UTC on the 23rd is 00:30 on the 24th in Tehran (UTC+03:30).
        let window = AgendaWindow::new(at(23, 21), 1, tehran);
        let half_past_eight = |day| Utc.with_ymd_and_hms(2026, 11, day, 20, 30, 0).unwrap();
        assert_eq!(window.today_start, half_past_eight(23));
        assert_eq!(window.tomorrow_start, half_past_eight(24));
        assert_eq!(window.upcoming_end, half_past_eight(25));
        assert_eq!(window.bucket(at(23, 20)), Some(AgendaBucket::Overdue), "23:30 yesterday there");
        assert_eq!(window.bucket(at(24, 20)), Some(AgendaBucket::Today), "23:30 today there");
    }
}
