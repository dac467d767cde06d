//! What customers are worth and how they buy: recency, frequency and monetary (RFM) scores,
//! named segments, lifetime value and churn risk, from each customer's purchases.
//!
//! Scores are quintiles by rank among the customers scored together: 5 is the best fifth (the
//! most recent, most frequent, highest spending), 1 the worst; ties share the better score, so
//! that two customers who bought on the same day never differ in recency.

use chrono::NaiveDate;

use crate::vocabulary::vocabulary;

vocabulary!(
    /// What a customer's recency and frequency scores make them.
    Segment {
        Champions => "champions",
        Loyal => "loyal",
        New => "new",
        AtRisk => "at_risk",
        Lost => "lost",
        NeedsAttention => "needs_attention",
    }
);

/// One customer's purchases, summed: what RFM is scored from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurchaseHistory {
    pub first: NaiveDate,
    pub last: NaiveDate,
    /// How many purchases.
    pub count: i64,
    /// What they spent, in one currency (the workspace's, converted).
    pub monetary_minor: i128,
}

impl PurchaseHistory {
    /// Days since the last purchase, as of `today`.
    pub fn recency_days(&self, today: NaiveDate) -> i64 {
        (today - self.last).num_days().max(0)
    }

    /// The average days between purchases; `None` with fewer than two.
    pub fn usual_interval_days(&self) -> Option<i64> {
        (self.count >= 2).then(|| (self.last - self.first).num_days() / (self.count - 1))
    }

    /// At risk of churning: no purchase for longer than one and a half usual intervals (and at
    /// least a week, so that customers who bought twice in a day are not flagged the next one).
    pub fn churn_risk(&self, today: NaiveDate) -> bool {
        self.usual_interval_days().is_some_and(|usual| self.recency_days(today) * 2 > (usual * 3).max(14))
    }
}

/// A customer's three scores, each 1 to 5.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RfmScores {
    pub recency: u8,
    pub frequency: u8,
    pub monetary: u8,
}

impl RfmScores {
    /// The segment of the classic recency × frequency grid.
    pub fn segment(self) -> Segment {
        let (r, f) = (self.recency, self.frequency);
        match (r, f) {
            (4.., 4..) => Segment::Champions,
            (3.., 3..) => Segment::Loyal,
            (4.., _) => Segment::New,
            (..=2, 3..) => Segment::AtRisk,
            (1, _) => Segment::Lost,
            _ => Segment::NeedsAttention,
        }
    }
}

/// The quintile score of each value: 5 for the top fifth, with equal values scored alike (by the
/// best rank among them). `higher_is_better` orders the values.
fn quintiles<T: Ord + Copy>(values: &[T], higher_is_better: bool) -> Vec<u8> {
    let n = values.len();
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    values
        .iter()
        .map(|value| {
            // How many are strictly better: the rank of the first of the tied group.
            let better = if higher_is_better {
                n - sorted.partition_point(|other| other <= value)
            } else {
                sorted.partition_point(|other| other < value)
            };
            // Rank 0 (the best) scores 5; each fifth of the customers below scores one less.
            (5 - (better * 5 / n)) as u8
        })
        .collect()
}

/// Scores every customer's history among the others, as of `today`, in the order given.
pub fn score_customers(histories: &[PurchaseHistory], today: NaiveDate) -> Vec<RfmScores> {
    let recency: Vec<i64> = histories.iter().map(|h| h.recency_days(today)).collect();
    let frequency: Vec<i64> = histories.iter().map(|h| h.count).collect();
    let monetary: Vec<i128> = histories.iter().map(|h| h.monetary_minor).collect();
    let (r, f, m) = (quintiles(&recency, false), quintiles(&frequency, true), quintiles(&monetary, true));
    (0..histories.len()).map(|i| RfmScores { recency: r[i], frequency: f[i], monetary: m[i] }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn history(last: NaiveDate, count: i64, monetary_minor: i128) -> PurchaseHistory {
        PurchaseHistory { first: day(2025, 1, 1), last, count, monetary_minor }
    }

    #[test]
    fn scores_are_quintiles_with_ties_scored_alike() {
        let today = day(2027, 1, 1);
        let histories: Vec<PurchaseHistory> = (0..10).map(|i| history(day(2026, 12, 1 + i), i as i64 + 1, (i as i128 + 1) * 100)).collect();
        let scores = score_customers(&histories, today);
        // The most recent, most frequent, highest spending is 5, 5, 5; the least 1, 1, 1.
        assert_eq!(scores[9], RfmScores { recency: 5, frequency: 5, monetary: 5 });
        assert_eq!(scores[0], RfmScores { recency: 1, frequency: 1, monetary: 1 });
        assert_eq!(scores.iter().filter(|s| s.recency == 3).count(), 2, "two in each fifth");
        // Two customers who bought on the same day share their recency score.
        let tied = [history(day(2026, 12, 31), 1, 1), history(day(2026, 12, 31), 2, 2), history(day(2026, 1, 1), 3, 3)];
        let scores = score_customers(&tied, today);
        assert_eq!((scores[0].recency, scores[1].recency, scores[2].recency), (5, 5, 2));
        assert!(score_customers(&[], today).is_empty());
        assert_eq!(score_customers(&tied[..1], today)[0], RfmScores { recency: 5, frequency: 5, monetary: 5 });
    }

    #[test]
    fn segments_follow_the_recency_frequency_grid() {
        let segment = |recency, frequency| RfmScores { recency, frequency, monetary: 3 }.segment();
        assert_eq!(segment(5, 5), Segment::Champions);
        assert_eq!(segment(3, 4), Segment::Loyal);
        assert_eq!(segment(5, 1), Segment::New);
        assert_eq!(segment(2, 5), Segment::AtRisk);
        assert_eq!(segment(1, 2), Segment::Lost);
        assert_eq!(segment(2, 2), Segment::NeedsAttention);
        assert_eq!(segment(3, 1), Segment::NeedsAttention);
    }

    #[test]
    fn churn_risk_is_a_silence_past_the_usual_interval() {
        // Four purchases 30 days apart: usual 30 days; at risk after 45 days of silence.
        let buyer = PurchaseHistory { first: day(2026, 1, 1), last: day(2026, 3, 2), count: 3, monetary_minor: 1 };
        assert_eq!(buyer.usual_interval_days(), Some(30));
        assert!(!buyer.churn_risk(day(2026, 4, 16)));
        assert!(buyer.churn_risk(day(2026, 4, 17)));
        let once = PurchaseHistory { first: day(2026, 1, 1), last: day(2026, 1, 1), count: 1, monetary_minor: 1 };
        assert!(!once.churn_risk(day(2030, 1, 1)), "one purchase shows no usual interval");
    }
}
