//! Exchange rates, kept by admins: one rate per currency and day, in units of the workspace
//! currency. Reports convert with them; nothing converted is ever stored.

use chrono::{DateTime, NaiveDate, Utc};
use kariz_domain::{Currency, ExchangeRate, ExchangeRateId, UserId, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

use crate::audit;
use crate::entities::exchange_rates;
use crate::error::{StoreError, StoreResult};
use crate::pagination::{self, Page};
use crate::store::Store;

const SORT: &str = "-rate_date";

#[derive(Clone, Debug)]
pub struct ExchangeRateRecord {
    pub id: ExchangeRateId,
    pub currency: Currency,
    pub rate_date: NaiveDate,
    pub rate: ExchangeRate,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// Whether a rate was new or replaced the day's earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateWrite {
    Created,
    Replaced,
}

fn rate_record(row: exchange_rates::Model) -> StoreResult<ExchangeRateRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("exchange_rates", e);
    Ok(ExchangeRateRecord {
        id: row.id.into(),
        currency: Currency::from_stored(&row.currency).map_err(|e| corrupt(&e))?,
        rate_date: row.rate_date,
        rate: ExchangeRate::parse(&row.rate).map_err(|e| corrupt(&e))?,
        created_by: row.created_by.map(Into::into),
        created_at: row.created_at,
    })
}

impl Store {
    /// Stores the rate of `currency` on `rate_date`, replacing that day's rate if there is one.
    pub async fn put_exchange_rate(
        &self,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        currency: Currency,
        rate_date: NaiveDate,
        rate: ExchangeRate,
    ) -> StoreResult<(ExchangeRateRecord, RateWrite)> {
        if currency == self.workspace(workspace_id).await?.default_currency {
            return Err(StoreError::invalid("currency", "the workspace currency needs no rate: it is always 1"));
        }
        let mut work = self.begin().await?;
        let existing = exchange_rates::Entity::find()
            .filter(exchange_rates::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(exchange_rates::Column::Currency.eq(currency.as_str()))
            .filter(exchange_rates::Column::RateDate.eq(rate_date))
            .one(work.conn())
            .await?;
        let (row, write) = match existing {
            Some(before) => {
                // A replaced rate is recorded anew: by whom and when it was given are the new ones.
                let row = exchange_rates::Model {
                    rate: rate.to_string(),
                    created_by: Some(actor_id.as_uuid()),
                    created_at: work.now(),
                    ..before.clone()
                };
                exchange_rates::Entity::update(exchange_rates::ActiveModel::from(row.clone()).reset_all()).exec(work.conn()).await?;
                if let Some(changes) = audit::changed_entry(&before, &row) {
                    work.audit(workspace_id, "exchange_rate.replaced", Some(row.id), changes).await?;
                }
                (row, RateWrite::Replaced)
            }
            None => {
                let row = exchange_rates::Model {
                    id: ExchangeRateId::new().as_uuid(),
                    workspace_id: workspace_id.as_uuid(),
                    currency: currency.as_str().to_owned(),
                    rate_date,
                    rate: rate.to_string(),
                    created_by: Some(actor_id.as_uuid()),
                    created_at: work.now(),
                };
                (work.insert("exchange_rate.created", row).await?, RateWrite::Created)
            }
        };
        work.commit().await?;
        Ok((rate_record(row)?, write))
    }

    /// The workspace's rates, latest day first, optionally of one currency.
    pub async fn exchange_rates(
        &self,
        workspace_id: WorkspaceId,
        currency: Option<Currency>,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<ExchangeRateRecord>> {
        let limit = pagination::clamp_limit(limit);
        let mut query = exchange_rates::Entity::find().filter(exchange_rates::Column::WorkspaceId.eq(workspace_id.as_uuid()));
        if let Some(currency) = currency {
            query = query.filter(exchange_rates::Column::Currency.eq(currency.as_str()));
        }
        if let Some(cursor) = cursor {
            let (value, last_id) = pagination::decode(cursor, SORT)?;
            let day = pagination::day_of(&value)?;
            let (date, id) = (exchange_rates::Column::RateDate, exchange_rates::Column::Id);
            query = query.filter(Condition::any().add(date.lt(day)).add(Condition::all().add(date.eq(day)).add(id.lt(last_id))));
        }
        let rows = query
            .order_by_desc(exchange_rates::Column::RateDate)
            .order_by_desc(exchange_rates::Column::Id)
            .limit(limit + 1)
            .all(&self.db)
            .await?;
        let items = rows.into_iter().map(rate_record).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::of(items, limit, |last| pagination::encode(SORT, Value::from(last.rate_date.to_string()), last.id.as_uuid())))
    }

    pub async fn delete_exchange_rate(&self, workspace_id: WorkspaceId, id: ExchangeRateId) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let row = exchange_rates::Entity::find_by_id(id.as_uuid())
            .filter(exchange_rates::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("exchange rate"))?;
        work.remove("exchange_rate.deleted", &row).await?;
        work.commit().await
    }
}
