//! Notifications: what a user is told about, in which time zone their days fall, who a note
//! mentions, and when a time-based reminder or the daily digest is due.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeZone as _, Timelike, Utc};
use uuid::Uuid;

use crate::ids::UserId;

/// An IANA time zone (`Asia/Tehran`, `Europe/Berlin`, `UTC`): a user's days and hours are
/// counted in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeZone(chrono_tz::Tz);

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown time zone; use an IANA name such as Asia/Tehran or UTC")]
pub struct UnknownTimeZone;

impl TimeZone {
    pub const UTC: TimeZone = TimeZone(chrono_tz::Tz::UTC);

    /// Parses an IANA name exactly as the time-zone database spells it.
    pub fn parse(raw: &str) -> Result<TimeZone, UnknownTimeZone> {
        raw.trim().parse::<chrono_tz::Tz>().map(TimeZone).map_err(|_| UnknownTimeZone)
    }

    pub fn as_str(self) -> &'static str {
        self.0.name()
    }

    /// The local day at `instant`.
    pub fn date_at(self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.0).date_naive()
    }

    /// The local date and time at `instant`.
    pub fn local_at(self, instant: DateTime<Utc>) -> chrono::NaiveDateTime {
        instant.with_timezone(&self.0).naive_local()
    }

    /// The local hour (0–23) at `instant`.
    pub fn hour_at(self, instant: DateTime<Utc>) -> u32 {
        instant.with_timezone(&self.0).hour()
    }

    /// The instant `day` begins here (the earliest, should a change of offset repeat midnight; the
    /// first instant after a skipped one).
    pub fn start_of(self, day: NaiveDate) -> DateTime<Utc> {
        let mut time = day.and_time(NaiveTime::MIN);
        for _ in 0..4 {
            if let Some(start) = self.0.from_local_datetime(&time).earliest() {
                return start.with_timezone(&Utc);
            }
            time += chrono::Duration::minutes(30);
        }
        day.and_time(NaiveTime::MIN).and_utc()
    }

    /// The instants `day` spans here: from its start to the next day's.
    pub fn day_span(self, day: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
        let next = day.checked_add_days(Days::new(1)).unwrap_or(day);
        (self.start_of(day), self.start_of(next))
    }
}

/// What a notification is about. Each kind has its own `data` (see the contract's
/// `NotificationResponse`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NotificationKind {
    /// Someone else made you the owner of a task.
    TaskAssigned,
    /// Someone mentioned you in an activity's subject or body.
    Mention,
    /// One of your open tasks is due now.
    TaskDue,
    /// One of your open tasks was due on a day that has passed (in your time zone).
    TaskOverdue,
    /// One of your open deals has stayed in its stage past the stage's rotting days.
    DealRotting,
    /// A customer of yours has an important date coming.
    ImportantDate,
    /// An automation rule's `notify` action.
    Automation,
}

/// Every kind's name, in the order the API documents them.
pub const NOTIFICATION_KINDS: [&str; 7] =
    ["task_assigned", "mention", "task_due", "task_overdue", "deal_rotting", "important_date", "automation"];

impl NotificationKind {
    const ALL: [NotificationKind; 7] = [
        NotificationKind::TaskAssigned,
        NotificationKind::Mention,
        NotificationKind::TaskDue,
        NotificationKind::TaskOverdue,
        NotificationKind::DealRotting,
        NotificationKind::ImportantDate,
        NotificationKind::Automation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::TaskAssigned => "task_assigned",
            NotificationKind::Mention => "mention",
            NotificationKind::TaskDue => "task_due",
            NotificationKind::TaskOverdue => "task_overdue",
            NotificationKind::DealRotting => "deal_rotting",
            NotificationKind::ImportantDate => "important_date",
            NotificationKind::Automation => "automation",
        }
    }

    pub fn parse(raw: &str) -> Option<NotificationKind> {
        NotificationKind::ALL.into_iter().find(|kind| kind.as_str() == raw)
    }
}

/// A user's choices of how they are told. Until they choose, [`Default`]: in the app, no email,
/// no daily digest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotificationPreferences {
    /// Notifications are created for the user (the bell). Off: none are created.
    pub in_app: bool,
    /// Each notification is also emailed.
    pub email: bool,
    /// A digest of the unread notifications and the day's tasks at 08:00 local time.
    pub daily_digest: bool,
}

impl Default for NotificationPreferences {
    fn default() -> Self {
        NotificationPreferences { in_app: true, email: false, daily_digest: false }
    }
}

/// The local hour at which a user's daily digest is due.
pub const DIGEST_HOUR: u32 = 8;

/// How many days ahead a customer's important date is announced to their owner.
pub const IMPORTANT_DATE_NOTICE_DAYS: u32 = 3;

/// How far back the scheduled pass looks for tasks that fell due or overdue: a server stopped
/// for longer does not flood its users with reminders of old tasks when it starts again.
pub const REMINDER_LOOKBACK_DAYS: u64 = 7;

/// The local day whose digest is due at `now` in `zone`: today once it is 08:00 or later there.
pub fn digest_day(zone: TimeZone, now: DateTime<Utc>) -> Option<NaiveDate> {
    (zone.hour_at(now) >= DIGEST_HOUR).then(|| zone.date_at(now))
}

/// Whether a task due at `due_at` is overdue at `now` for an owner in `zone`: its due day has
/// passed there.
pub fn is_overdue(zone: TimeZone, due_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    zone.date_at(now) > zone.date_at(due_at)
}

/// The members a text mentions, in order of first mention, each once. A mention is written
/// `@[Name](user-id)`: the name is what the text shows, the id who is meant (the app inserts it
/// when a member is picked after `@`). Anything else beginning with `@` is plain text.
pub fn mentions(text: &str) -> Vec<UserId> {
    let mut found: Vec<UserId> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("@[") {
        rest = &rest[start + 2..];
        let Some(close) = rest.find("](") else { break };
        let name = &rest[..close];
        if name.contains('[') || name.contains('\n') {
            continue;
        }
        let after = &rest[close + 2..];
        let Some(end) = after.find(')') else { break };
        if let Ok(id) = Uuid::parse_str(&after[..end]) {
            let user = UserId::from(id);
            if !found.contains(&user) {
                found.push(user);
            }
            rest = &after[end + 1..];
        }
    }
    found
}

/// `text` as a reader sees it: each mention written as `@Name`.
pub fn without_mention_markup(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("@[") {
        plain.push_str(&rest[..start]);
        let tail = &rest[start + 2..];
        let parsed = tail.find("](").and_then(|close| {
            let after = &tail[close + 2..];
            let end = after.find(')')?;
            Uuid::parse_str(&after[..end]).ok().map(|_| (&tail[..close], &after[end + 1..]))
        });
        match parsed {
            Some((name, remainder)) if !name.contains('[') && !name.contains('\n') => {
                plain.push('@');
                plain.push_str(name);
                rest = remainder;
            }
            _ => {
                plain.push_str("@[");
                rest = tail;
            }
        }
    }
    plain.push_str(rest);
    plain
}

/// At most `max` characters of `text`, with an ellipsis when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", text[..cut].trim_end()),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str) -> DateTime<Utc> {
        raw.parse().unwrap()
    }

    #[test]
    fn a_tehran_day_starts_at_half_past_eight_utc_the_day_before() {
        let tehran = TimeZone::parse("Asia/Tehran").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(tehran.start_of(day), at("2026-12-05T20:30:00Z"));
        assert_eq!(tehran.date_at(at("2026-12-05T20:29:59Z")), NaiveDate::from_ymd_opt(2026, 12, 5).unwrap());
        assert_eq!(tehran.date_at(at("2026-12-05T20:30:00Z")), day);
        assert!(is_overdue(tehran, at("2026-12-05T20:00:00Z"), at("2026-12-05T20:30:00Z")));
        assert!(!is_overdue(TimeZone::UTC, at("2026-12-05T20:00:00Z"), at("2026-12-05T20:30:00Z")));
    }

    #[test]
    fn a_day_whose_midnight_is_skipped_starts_at_its_first_instant() {
        // Cuba moves its clocks from midnight to 01:00 in March.
        let havana = TimeZone::parse("America/Havana").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 8).unwrap();
        let (start, end) = havana.day_span(day);
        assert_eq!(havana.date_at(start), day);
        assert!(end - start < chrono::Duration::hours(24));
    }

    #[test]
    fn only_iana_names_are_time_zones() {
        assert_eq!(TimeZone::parse("Asia/Tehran").unwrap().as_str(), "Asia/Tehran");
        assert_eq!(TimeZone::parse("UTC").unwrap(), TimeZone::UTC);
        for bad in ["", "Tehran", "+03:30", "asia/tehran/x"] {
            assert_eq!(TimeZone::parse(bad), Err(UnknownTimeZone), "{bad}");
        }
    }

    #[test]
    fn the_digest_is_due_from_eight_local_time() {
        let tehran = TimeZone::parse("Asia/Tehran").unwrap();
        assert_eq!(digest_day(tehran, at("2026-12-06T04:29:00Z")), None);
        assert_eq!(digest_day(tehran, at("2026-12-06T04:30:00Z")), NaiveDate::from_ymd_opt(2026, 12, 6));
    }

    #[test]
    fn mentions_name_members_by_id_once_each() {
        let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
        let text = format!("ask @[Sara Ahmadi]({a}) and @[Reza]({b}), then @[Sara]({a}); not @sara or @[x](nope) or @[y]");
        assert_eq!(mentions(&text), vec![UserId::from(a), UserId::from(b)]);
        assert!(mentions("no one here @ all").is_empty());
        assert_eq!(without_mention_markup(&text), "ask @Sara Ahmadi and @Reza, then @Sara; not @sara or @[x](nope) or @[y]");
        assert_eq!(excerpt("سلام دنیا", 4), "سلام…");
    }

    #[test]
    fn kinds_round_trip_by_name() {
        for name in NOTIFICATION_KINDS {
            assert_eq!(NotificationKind::parse(name).unwrap().as_str(), name);
        }
        assert_eq!(NotificationKind::parse("bogus"), None);
    }
}
