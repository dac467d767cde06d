//! Where rate limits and the sign-in throttle count when several replicas serve one database:
//! in that database (PostgreSQL), or in Redis when `KARIZ_REDIS_URL` is set. Each operation is
//! atomic where it counts (one SQL statement, one Lua script), so concurrent requests on
//! different replicas add up. A failing shared store never stops the service: the call is logged
//! and counted in this process instead.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;
use kariz_persistence::Store;
use kariz_persistence::shared_limits::{FailureCount, Gcra, WindowFrom};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};
use tokio::sync::OnceCell;

/// Where limits count, as configured.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum LimitsSharing {
    /// In this process only (SQLite, a single server).
    #[default]
    Process,
    /// In the database, for every replica on it (PostgreSQL).
    Database,
    /// In Redis at this URL (`redis://[:password@]host:port[/db]`).
    Redis(String),
}

impl fmt::Debug for LimitsSharing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The URL may carry a password.
        match self {
            LimitsSharing::Process => f.write_str("Process"),
            LimitsSharing::Database => f.write_str("Database"),
            LimitsSharing::Redis(_) => f.write_str("Redis(…)"),
        }
    }
}

impl LimitsSharing {
    /// Counting in the Redis at `url`, once it parses as a Redis URL.
    pub fn redis(url: &str) -> anyhow::Result<LimitsSharing> {
        redis::Client::open(url).context("not a Redis URL like redis://host:6379")?;
        Ok(LimitsSharing::Redis(url.to_owned()))
    }
}

/// The shared store of counters.
#[derive(Clone)]
pub enum SharedCounters {
    Database(Store),
    Redis(RedisCounters),
}

impl SharedCounters {
    /// The counters `sharing` names; `None` to count in process.
    pub fn new(sharing: &LimitsSharing, store: &Store) -> anyhow::Result<Option<SharedCounters>> {
        Ok(match sharing {
            LimitsSharing::Process => None,
            LimitsSharing::Database => Some(SharedCounters::Database(store.clone())),
            LimitsSharing::Redis(url) => Some(SharedCounters::Redis(RedisCounters::new(url)?)),
        })
    }

    /// One request against a GCRA key (see `Store::take_shared_rate_limit`).
    pub async fn take(&self, key: &str, interval_us: i64, burst_us: i64, now_us: i64) -> anyhow::Result<Gcra> {
        match self {
            SharedCounters::Database(store) => Ok(store.take_shared_rate_limit(key, interval_us, burst_us, now_us).await?),
            SharedCounters::Redis(redis) => redis.call(redis.take(key, interval_us, burst_us, now_us)).await,
        }
    }

    pub async fn failures(&self, keys: &[&str]) -> anyhow::Result<HashMap<String, FailureCount>> {
        match self {
            SharedCounters::Database(store) => Ok(store.shared_failures(keys).await?),
            SharedCounters::Redis(redis) => redis.call(redis.failures(keys)).await,
        }
    }

    pub async fn count_failure(&self, key: &str, now_us: i64, window_us: i64, from: WindowFrom) -> anyhow::Result<FailureCount> {
        match self {
            SharedCounters::Database(store) => Ok(store.count_shared_failure(key, now_us, window_us, from).await?),
            SharedCounters::Redis(redis) => redis.call(redis.count_failure(key, now_us, window_us, from)).await,
        }
    }

    pub async fn set_failure_wait(&self, key: &str, count: i64, wait_until_us: i64) -> anyhow::Result<()> {
        match self {
            SharedCounters::Database(store) => Ok(store.set_shared_failure_wait(key, count, wait_until_us).await?),
            SharedCounters::Redis(redis) => redis.call(redis.set_failure_wait(key, count, wait_until_us)).await,
        }
    }

    pub async fn forget_failures(&self, key: &str) -> anyhow::Result<()> {
        match self {
            SharedCounters::Database(store) => Ok(store.forget_shared_failures(key).await?),
            SharedCounters::Redis(redis) => redis.call(redis.forget_failures(key)).await,
        }
    }
}

/// Counters in Redis, connected on first use (and reconnected by the connection manager).
#[derive(Clone)]
pub struct RedisCounters {
    client: redis::Client,
    connection: Arc<OnceCell<ConnectionManager>>,
    /// After a failure, Redis is not asked again until then: requests meanwhile count in process
    /// at once instead of each waiting for a timeout.
    resting_until: Arc<Mutex<Option<Instant>>>,
}

/// The longest a limit check waits for Redis.
const REDIS_TIMEOUT: Duration = Duration::from_millis(500);
/// How long Redis rests after a failure.
const REDIS_REST: Duration = Duration::from_secs(5);

/// Keys live under this prefix, so that one Redis can serve other applications too.
const PREFIX: &str = "kariz:";

/// GCRA: ARGV now, interval, burst (µs). Answers {allowed (1/0), theoretical arrival time}.
static TAKE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or ARGV[1])
if tat < now then tat = now end
local after = tat + interval
if after - now > burst then return {0, tat} end
redis.call('SET', KEYS[1], string.format('%.0f', after), 'PX', math.floor((after - now) / 1000) + 1)
return {1, after}
",
    )
});

/// A failure: ARGV now, window (µs), `last` or `first`. Answers {count, since, last, wait}.
static COUNT_FAILURE: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local h = redis.call('HMGET', KEYS[1], 'count', 'since', 'last', 'wait')
local count, since, last, wait = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), tonumber(h[4])
if count ~= nil then
  local reference = since
  if ARGV[3] == 'last' then reference = last end
  if reference + window <= now then count = nil end
end
if count == nil then count, since, wait = 0, now, now end
count = count + 1
redis.call('HSET', KEYS[1], 'count', count, 'since', string.format('%.0f', since), 'last', string.format('%.0f', now), 'wait', string.format('%.0f', wait))
local until_us = now + window
if ARGV[3] ~= 'last' then until_us = since + window end
redis.call('PEXPIRE', KEYS[1], math.floor((until_us - now) / 1000) + 1)
return {count, since, now, wait}
",
    )
});

/// ARGV count, wait: sets the wait unless a later failure was counted meanwhile.
static SET_WAIT: LazyLock<redis::Script> = LazyLock::new(|| {
    redis::Script::new(
        r"
if redis.call('HGET', KEYS[1], 'count') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'wait', ARGV[2])
end
return 1
",
    )
});

impl RedisCounters {
    fn new(url: &str) -> anyhow::Result<RedisCounters> {
        let client = redis::Client::open(url).context("KARIZ_REDIS_URL is not a Redis URL")?;
        Ok(RedisCounters { client, connection: Default::default(), resting_until: Default::default() })
    }

    async fn connection(&self) -> anyhow::Result<ConnectionManager> {
        let config = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(REDIS_TIMEOUT))
            .set_response_timeout(Some(REDIS_TIMEOUT))
            .set_number_of_retries(1);
        let manager = self
            .connection
            .get_or_try_init(|| ConnectionManager::new_with_config(self.client.clone(), config))
            .await
            .context("cannot reach Redis")?;
        Ok(manager.clone())
    }

    /// Runs `operation` unless Redis is resting, within [`REDIS_TIMEOUT`]; a failure rests it.
    async fn call<T>(&self, operation: impl Future<Output = anyhow::Result<T>>) -> anyhow::Result<T> {
        let resting = || self.resting_until.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if resting().is_some_and(|until| Instant::now() < until) {
            anyhow::bail!("Redis failed moments ago");
        }
        let outcome = match tokio::time::timeout(REDIS_TIMEOUT * 2, operation).await {
            Ok(outcome) => outcome,
            Err(_) => Err(anyhow::anyhow!("Redis did not answer in time")),
        };
        if outcome.is_err() {
            *resting() = Some(Instant::now() + REDIS_REST);
        }
        outcome
    }

    async fn take(&self, key: &str, interval_us: i64, burst_us: i64, now_us: i64) -> anyhow::Result<Gcra> {
        let mut connection = self.connection().await?;
        let (allowed, tat_us): (i64, i64) =
            TAKE.key(format!("{PREFIX}rl:{key}")).arg(now_us).arg(interval_us).arg(burst_us).invoke_async(&mut connection).await?;
        Ok(if allowed == 1 { Gcra::Allowed { tat_us } } else { Gcra::Refused { tat_us } })
    }

    async fn failures(&self, keys: &[&str]) -> anyhow::Result<HashMap<String, FailureCount>> {
        let mut connection = self.connection().await?;
        let mut found = HashMap::new();
        for key in keys {
            let fields: Vec<Option<i64>> = redis::cmd("HMGET")
                .arg(format!("{PREFIX}fail:{key}"))
                .arg(&["count", "since", "last", "wait"])
                .query_async(&mut connection)
                .await?;
            if let [Some(count), Some(since_us), Some(last_us), Some(wait_until_us)] = fields[..] {
                found.insert((*key).to_owned(), FailureCount { count, since_us, last_us, wait_until_us });
            }
        }
        Ok(found)
    }

    async fn count_failure(&self, key: &str, now_us: i64, window_us: i64, from: WindowFrom) -> anyhow::Result<FailureCount> {
        let mut connection = self.connection().await?;
        let from = match from {
            WindowFrom::Last => "last",
            WindowFrom::First => "first",
        };
        let (count, since_us, last_us, wait_until_us): (i64, i64, i64, i64) =
            COUNT_FAILURE.key(format!("{PREFIX}fail:{key}")).arg(now_us).arg(window_us).arg(from).invoke_async(&mut connection).await?;
        Ok(FailureCount { count, since_us, last_us, wait_until_us })
    }

    async fn set_failure_wait(&self, key: &str, count: i64, wait_until_us: i64) -> anyhow::Result<()> {
        let mut connection = self.connection().await?;
        let _: i64 = SET_WAIT.key(format!("{PREFIX}fail:{key}")).arg(count).arg(wait_until_us).invoke_async(&mut connection).await?;
        Ok(())
    }

    async fn forget_failures(&self, key: &str) -> anyhow::Result<()> {
        let mut connection = self.connection().await?;
        let _: i64 = redis::cmd("DEL").arg(format!("{PREFIX}fail:{key}")).query_async(&mut connection).await?;
        Ok(())
    }
}
