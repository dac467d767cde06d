//! Dates and timestamps in requests (query strings and JSON bodies) are refused outside years
//! 1–9999 (`kariz_domain::dates::supported_day`): the parser would accept `+99999-01-01` or
//! `-9999-01-01`, which PostgreSQL then refuses with an error. Each date field of a request names
//! one of these functions in `#[serde(deserialize_with = …)]`; a query's refusal is a 400, a
//! body's a 422 on the field.

use chrono::{DateTime, NaiveDate, Utc};
use kariz_domain::dates::{supported_day, supported_instant};
use serde::{Deserialize, Deserializer};

fn day<E: serde::de::Error>(day: NaiveDate) -> Result<NaiveDate, E> {
    supported_day(day).map_err(E::custom)
}

fn instant<E: serde::de::Error>(instant: DateTime<Utc>) -> Result<DateTime<Utc>, E> {
    supported_instant(instant).map_err(E::custom)
}

pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
    NaiveDate::deserialize(d).and_then(day)
}

pub fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<NaiveDate>::deserialize(d)?.map(day).transpose()
}

/// A nullable date of a partial update: absent (`None`, with `#[serde(default)]`), `null` or a day.
pub fn nullable_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<NaiveDate>>, D::Error> {
    optional_date(d).map(Some)
}

pub fn optional_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    Option::<DateTime<Utc>>::deserialize(d)?.map(instant).transpose()
}

/// A nullable timestamp of a partial update, like [`nullable_date`].
pub fn nullable_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<DateTime<Utc>>>, D::Error> {
    optional_timestamp(d).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    struct Probe {
        #[serde(default, deserialize_with = "super::optional_date")]
        on: Option<chrono::NaiveDate>,
        #[serde(default, deserialize_with = "super::optional_timestamp")]
        at: Option<chrono::DateTime<chrono::Utc>>,
    }

    #[test]
    fn years_outside_1_to_9999_are_refused() {
        for refused in
            [r#"{"on":"+99999-01-01"}"#, r#"{"on":"-9999-01-01"}"#, r#"{"on":"0000-12-31"}"#, r#"{"at":"+99999-01-01T00:00:00Z"}"#]
        {
            let err = serde_json::from_str::<Probe>(refused).unwrap_err();
            assert!(err.to_string().contains("0001-01-01 and 9999-12-31"), "{refused}: {err}");
        }
        let probe: Probe = serde_json::from_str(r#"{"on":"9999-12-31","at":"0001-01-01T00:00:00Z"}"#).unwrap();
        assert!(probe.on.is_some() && probe.at.is_some());
        assert!(serde_json::from_str::<Probe>(r#"{"on":null}"#).unwrap().on.is_none());
    }
}
