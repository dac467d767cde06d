//! Notifications and digests worded for email, in English or Persian, from the same structured
//! data the app words them from (the SPA's `notifications.kinds` strings say the same).

use serde_json::Value;

use crate::email::{TemplateLocale, persian_digits};
use crate::notification::NotificationKind;

fn text<'a>(data: &'a Value, path: &[&str]) -> &'a str {
    path.iter().try_fold(data, |value, key| value.get(key)).and_then(Value::as_str).unwrap_or_default()
}

fn number(data: &Value, path: &[&str]) -> Option<i64> {
    path.iter().try_fold(data, |value, key| value.get(key)).and_then(Value::as_i64)
}

/// One notification as a sentence.
pub fn describe_notification(kind: NotificationKind, data: &Value, locale: TemplateLocale) -> String {
    let fa = locale == TemplateLocale::Fa;
    let actor = match text(data, &["actor", "name"]) {
        "" if fa => "یک نفر",
        "" => "Someone",
        name => name,
    };
    let subject = text(data, &["activity", "subject"]);
    let sentence = match kind {
        NotificationKind::TaskAssigned if fa => format!("{actor} کاری به شما سپرد: «{subject}»"),
        NotificationKind::TaskAssigned => format!("{actor} gave you a task: “{subject}”"),
        NotificationKind::Mention if fa => format!("{actor} در «{subject}» از شما نام برد"),
        NotificationKind::Mention => format!("{actor} mentioned you in “{subject}”"),
        NotificationKind::TaskDue if fa => format!("موعد «{subject}» رسید"),
        NotificationKind::TaskDue => format!("“{subject}” is due now"),
        NotificationKind::TaskOverdue if fa => format!("موعد «{subject}» گذشته است"),
        NotificationKind::TaskOverdue => format!("“{subject}” is overdue"),
        NotificationKind::DealRotting => {
            let (title, stage) = (text(data, &["deal", "title"]), text(data, &["deal", "stage_name"]));
            let days = number(data, &["deal", "rotting_days"]).unwrap_or(0);
            if fa {
                format!("«{title}» بیش از {days} روز در {stage} راکد مانده است")
            } else {
                format!("“{title}” has been idle in {stage} for over {days} day{}", if days == 1 { "" } else { "s" })
            }
        }
        NotificationKind::ImportantDate => {
            let customer = text(data, &["customer", "name"]);
            let what = match (text(data, &["date", "kind"]), fa) {
                ("birthday", true) => "تولد",
                ("birthday", false) => "birthday",
                ("anniversary", true) => "سالگرد",
                ("anniversary", false) => "anniversary",
                ("founding", true) => "سالگرد تأسیس",
                ("founding", false) => "founding anniversary",
                (_, true) => "مناسبت",
                (_, false) => "important date",
            };
            let when = match (number(data, &["days_left"]).unwrap_or(0), fa) {
                (0, true) => "امروز".to_owned(),
                (0, false) => "today".to_owned(),
                (1, true) => "فردا".to_owned(),
                (1, false) => "tomorrow".to_owned(),
                (n, true) => format!("{n} روز دیگر"),
                (n, false) => format!("in {n} days"),
            };
            format!("{customer}: {what} {when}")
        }
        NotificationKind::Automation => match text(data, &["title"]) {
            "" if fa => "یک اعلان".to_owned(),
            "" => "A notification".to_owned(),
            title => title.to_owned(),
        },
    };
    if fa { persian_digits(&sentence) } else { sentence }
}

/// A notification's email subject (the sentence itself) and body (with where to read it).
pub fn notification_email(kind: NotificationKind, data: &Value, locale: TemplateLocale) -> (String, String) {
    let sentence = describe_notification(kind, data, locale);
    let body = match locale {
        TemplateLocale::Fa => format!("{sentence}\n\nاعلان‌هایتان را در کاریز ببینید."),
        TemplateLocale::En => format!("{sentence}\n\nSee your notifications in Kariz."),
    };
    (sentence, body)
}

/// A daily digest's subject and body: the unread notifications and the day's open activities.
pub fn digest_email(name: &str, unread: &[String], due_today: &[String], locale: TemplateLocale) -> (String, String) {
    let fa = locale == TemplateLocale::Fa;
    let subject = if fa {
        persian_digits(&format!("خلاصهٔ امروز: {} اعلان خوانده‌نشده، {} کار", unread.len(), due_today.len()))
    } else {
        format!("Your day: {} unread notification{}, {} due", unread.len(), if unread.len() == 1 { "" } else { "s" }, due_today.len())
    };
    let mut body = if fa { format!("{name} عزیز،\n") } else { format!("Hello {name},\n") };
    let section = |body: &mut String, title: &str, lines: &[String]| {
        if !lines.is_empty() {
            body.push('\n');
            body.push_str(title);
            body.push('\n');
            for line in lines {
                body.push_str("• ");
                body.push_str(line);
                body.push('\n');
            }
        }
    };
    section(&mut body, if fa { "اعلان‌های خوانده‌نشده:" } else { "Unread notifications:" }, unread);
    section(&mut body, if fa { "کارهای امروز:" } else { "Due today:" }, due_today);
    (subject, body)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn notifications_are_worded_in_both_languages_from_their_data() {
        let assigned = json!({"actor": {"name": "Sara"}, "activity": {"subject": "Call back"}});
        assert_eq!(
            describe_notification(NotificationKind::TaskAssigned, &assigned, TemplateLocale::En),
            "Sara gave you a task: “Call back”"
        );
        assert_eq!(
            describe_notification(NotificationKind::TaskAssigned, &assigned, TemplateLocale::Fa),
            "Sara کاری به شما سپرد: «Call back»"
        );
        let rotting = json!({"deal": {"title": "Fleet", "stage_name": "Proposal", "rotting_days": 14}});
        assert_eq!(
            describe_notification(NotificationKind::DealRotting, &rotting, TemplateLocale::Fa),
            "«Fleet» بیش از ۱۴ روز در Proposal راکد مانده است"
        );
        let date = json!({"customer": {"name": "Reza"}, "date": {"kind": "birthday"}, "days_left": 3});
        assert_eq!(describe_notification(NotificationKind::ImportantDate, &date, TemplateLocale::En), "Reza: birthday in 3 days");
        assert_eq!(describe_notification(NotificationKind::Automation, &json!({"title": "Big deal"}), TemplateLocale::En), "Big deal");
        assert_eq!(describe_notification(NotificationKind::Mention, &json!({}), TemplateLocale::En), "Someone mentioned you in “”");
    }

    #[test]
    fn a_digest_lists_what_is_unread_and_due() {
        let (subject, body) = digest_email("Mia", &["A".into(), "B".into()], &["Call".into()], TemplateLocale::En);
        assert_eq!(subject, "Your day: 2 unread notifications, 1 due");
        assert_eq!(body, "Hello Mia,\n\nUnread notifications:\n• A\n• B\n\nDue today:\n• Call\n");
        let (subject, _) = digest_email("مینا", &[], &["تماس".into()], TemplateLocale::Fa);
        assert_eq!(subject, "خلاصهٔ امروز: ۰ اعلان خوانده‌نشده، ۱ کار");
    }
}
