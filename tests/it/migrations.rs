use kariz_persistence::Store;

use crate::helpers::{Engine, TestDatabase};
use crate::on_both_engines;

on_both_engines!(migrations_run_from_empty_and_are_idempotent);

async fn migrations_run_from_empty_and_are_idempotent(engine: Engine) {
    let db = TestDatabase::create(engine).await;
    let store = Store::connect(&db.url).await.unwrap();
    assert!(!store.is_migrated().await.unwrap(), "a new database has pending migrations");
    store.migrate().await.unwrap();
    assert!(store.is_migrated().await.unwrap());
    store.migrate().await.unwrap();
    assert_eq!(
        store.engine(),
        match engine {
            Engine::Sqlite => kariz_persistence::Engine::Sqlite,
            Engine::Postgres => kariz_persistence::Engine::Postgres,
        }
    );
    assert!(store.first_workspace().await.unwrap().is_none());
    assert_eq!(store.outbox_depth().await.unwrap(), (0, 0));
    store.close().await.unwrap();
}
