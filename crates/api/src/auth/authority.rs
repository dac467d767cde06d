//! The authority a request needed, as its handler demanded it: recorded while an
//! `Idempotency-Key` request runs, kept with its answer, and demanded again of the caller as they
//! are now before that answer is replayed.
//!
//! Authorization lives in the handlers (`require_admin` and the like run first in each), after
//! the idempotency middleware has decided whether to replay. Rather than copy every route's rule
//! into a table beside the router (which would drift), the checks record what they demanded, so
//! that a replay passes exactly the checks its first request passed, on today's role and scopes: a
//! demoted admin's replay of an admin-only request is refused like the request itself would be.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use kariz_domain::ApiKeyScope;

use super::AuthUser;
use crate::error::ApiError;

/// One check a handler made of its caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Demand {
    Admin,
    Manager,
    PipelineManager,
    SettingsManager,
    Scope(ApiKeyScope),
}

impl Demand {
    fn name(self) -> String {
        match self {
            Demand::Admin => "admin".to_owned(),
            Demand::Manager => "manager".to_owned(),
            Demand::PipelineManager => "pipeline_manager".to_owned(),
            Demand::SettingsManager => "settings_manager".to_owned(),
            Demand::Scope(scope) => format!("scope:{scope}"),
        }
    }

    fn parse(name: &str) -> Option<Demand> {
        Some(match name {
            "admin" => Demand::Admin,
            "manager" => Demand::Manager,
            "pipeline_manager" => Demand::PipelineManager,
            "settings_manager" => Demand::SettingsManager,
            _ => Demand::Scope(ApiKeyScope::parse(name.strip_prefix("scope:")?).ok()?),
        })
    }
}

/// What a request demanded of its caller, in the order asked, each once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Authority(Vec<Demand>);

impl Authority {
    /// As stored: the demands' names, space-separated.
    pub fn encode(&self) -> String {
        self.0.iter().map(|d| d.name()).collect::<Vec<_>>().join(" ")
    }

    /// A stored authority; `None` when a name is unknown, which a replay treats as refused.
    pub fn decode(stored: &str) -> Option<Authority> {
        stored.split_whitespace().map(Demand::parse).collect::<Option<Vec<_>>>().map(Authority)
    }

    /// Makes the same checks of `caller` as they are now.
    pub fn check(&self, caller: &AuthUser) -> Result<(), ApiError> {
        self.0.iter().try_for_each(|demand| match demand {
            Demand::Admin => caller.require_admin(),
            Demand::Manager => caller.require_manager(),
            Demand::PipelineManager => caller.require_pipeline_manager(),
            Demand::SettingsManager => caller.require_settings_manager(),
            Demand::Scope(scope) => caller.require_scope(*scope),
        })
    }
}

tokio::task_local! {
    static DEMANDED: Rc<RefCell<Authority>>;
}

/// Runs `work` (a request's handler) and returns what it demanded of its caller with its output.
pub async fn recording<F: Future>(work: F) -> (F::Output, Authority) {
    let demanded = Rc::new(RefCell::new(Authority::default()));
    let output = DEMANDED.scope(demanded.clone(), work).await;
    let authority = demanded.borrow().clone();
    (output, authority)
}

/// Notes a check being made; outside [`recording`] it does nothing.
pub(super) fn demand(demand: Demand) {
    let _ = DEMANDED.try_with(|demanded| {
        let mut demanded = demanded.borrow_mut();
        if !demanded.0.contains(&demand) {
            demanded.0.push(demand);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authority_reads_back_as_written() {
        let authority = Authority(vec![Demand::Scope(ApiKeyScope::Write), Demand::Admin, Demand::SettingsManager]);
        assert_eq!(Authority::decode(&authority.encode()), Some(authority));
        assert_eq!(Authority::decode(""), Some(Authority::default()));
        assert_eq!(Authority::decode("admin owner"), None, "an unknown demand is never passed");
    }
}
