use kariz_migrations::{Migrator, MigratorTrait};
use kariz_persistence::Store;
use sea_orm::{ConnectionTrait, DbErr, Statement};
use serde_json::{Value, json};

use crate::helpers::{Engine, TestDatabase, id, spawn_app, stage_id};
use crate::on_both_engines;

on_both_engines!(
    migrations_run_from_empty_and_are_idempotent,
    duplicate_card_positions_are_repaired_and_then_refused,
    accounts_per_workspace_keep_every_row_that_refers_to_a_user,
    search_keys_are_computed_for_existing_records,
    stored_idempotent_answers_of_before_are_dropped,
    deals_of_before_tags_start_without_any,
    events_of_before_are_numbered_per_workspace_in_id_order,
);

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

/// Columns whose cards share a position (left by concurrent creates and moves before positions
/// were chosen with the column held) are renumbered in their order, and the index then refuses
/// a duplicate: the card between two former twins can be placed again.
async fn duplicate_card_positions_are_repaired_and_then_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let mut cards = Vec::new();
    for title in ["One", "Two", "Three", "Four", "Five", "Six"] {
        cards.push(app.create_deal(&admin, json!({"title": title, "pipeline_id": id(&pipeline)})).await);
    }
    let elsewhere =
        app.create_deal(&admin, json!({"title": "Elsewhere", "pipeline_id": id(&pipeline), "stage_id": stage_id(&pipeline, 1)})).await;
    let uuid = |card: &Value| uuid::Uuid::parse_str(&id(card)).unwrap();
    // The schema and data before the migration: the plain index, and twins in the column.
    app.execute("DROP INDEX ix_deals_card_position", vec![]).await;
    app.execute("CREATE INDEX ix_deals_stage_position ON deals (stage_id, position)", vec![]).await;
    app.execute("UPDATE deals SET position = ? WHERE id = ?", vec![cards[0]["position"].as_str().into(), uuid(&cards[1]).into()]).await;
    app.execute("UPDATE deals SET position = ? WHERE id = ?", vec![cards[3]["position"].as_str().into(), uuid(&cards[4]).into()]).await;
    app.execute("UPDATE deals SET position = ? WHERE id = ?", vec![cards[3]["position"].as_str().into(), uuid(&cards[5]).into()]).await;

    app.execute("DELETE FROM seaql_migrations WHERE version = ?", vec!["m20261205_000015_unique_card_positions".into()]).await;
    app.store.migrate().await.unwrap();

    let column = format!("/api/v1/deals?stage_id={}&sort=position&limit=50", stage_id(&pipeline, 0));
    let listed = app.get(&column).token(&admin.token).send().await.ok(200).clone();
    let listed = listed["data"].as_array().unwrap().clone();
    let order: Vec<String> = listed.iter().map(id).collect();
    assert_eq!(order, cards.iter().map(id).collect::<Vec<_>>(), "the column keeps its order (position, then id)");
    let positions: Vec<&str> = listed.iter().map(|card| card["position"].as_str().unwrap()).collect();
    for pair in positions.windows(2) {
        assert!(pair[0] < pair[1], "positions strictly ascending: {positions:?}");
    }
    assert!(positions.iter().all(|p| kariz_domain::Position::parse(p).is_ok()), "valid keys: {positions:?}");
    let untouched = app.deal(&admin, &id(&elsewhere)).await;
    assert_eq!(untouched["position"], elsewhere["position"], "a column without twins is left alone");

    let twin = app.try_execute("UPDATE deals SET position = ? WHERE id = ?", vec![positions[0].into(), uuid(&cards[1]).into()]).await;
    assert!(twin.is_err(), "the index refuses a second card at a taken position");
    let current = app.deal(&admin, &id(&cards[5])).await;
    let between = json!({"stage_id": stage_id(&pipeline, 0), "before_id": id(&cards[0]), "after_id": id(&cards[1])});
    let moved = app.move_deal(&admin, &current, between).await.ok(200).clone();
    assert!(positions[0] < moved["position"].as_str().unwrap() && moved["position"].as_str().unwrap() < positions[1]);
}

/// Migration 000020 computes the search key of every deal, lead, contact and organization that
/// exists, as the store writes it: with the keys blanked and the migration run again, each is
/// found again, by an Arabic letter form and by phone digits.
async fn search_keys_are_computed_for_existing_records(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    app.create_deal(&admin, json!({"title": "قرارداد کریم", "pipeline_id": id(&pipeline)})).await;
    let lead = json!({"name": "Karim Lead", "phone": "0912 111 2233", "company": "کیان"});
    app.post("/api/v1/leads").token(&admin.token).json(lead).send().await.ok(201);
    app.post("/api/v1/contacts").token(&admin.token).json(json!({"name": "کریم رضایی", "email": "k@x.ir"})).send().await.ok(201);
    app.post("/api/v1/organizations").token(&admin.token).json(json!({"name": "Karimi Co", "domain": "karimi.ir"})).send().await.ok(201);
    let contact_key = || async {
        let row = app.store.connection().query_one_raw(app.statement("SELECT search_text FROM contacts", vec![])).await.unwrap();
        row.unwrap().try_get_by_index::<String>(0).unwrap()
    };
    let before = contact_key().await;
    assert_eq!(before, "| کریم رضایی | k x ir |");
    for table in ["deals", "leads", "contacts", "organizations"] {
        app.execute(&format!("UPDATE {table} SET search_text = ''"), vec![]).await;
    }
    let search = |q: &'static str| {
        let (app, token) = (&app, admin.token.clone());
        async move {
            let found = app.get(&format!("/api/v1/search?q={q}&limit=50")).token(&token).send().await.ok(200).clone();
            found["data"].as_array().unwrap().iter().map(|hit| hit["type"].as_str().unwrap().to_owned()).collect::<Vec<_>>()
        }
    };
    assert!(search("karim").await.is_empty(), "blank keys find nothing");

    app.execute("DELETE FROM seaql_migrations WHERE version = ?", vec!["m20261205_000020_search_keys".into()]).await;
    app.store.migrate().await.unwrap();

    assert_eq!(contact_key().await, before, "the key the store writes");
    assert_eq!(search("%D9%83%D8%B1%D9%8A%D9%85").await, ["deal", "contact"], "كريم, with Arabic letters");
    assert_eq!(search("karim").await, ["lead", "organization"]);
    assert_eq!(search("%DB%B0%DB%B9%DB%B1%DB%B2%DB%B1%DB%B1%DB%B1").await, ["lead"], "۰۹۱۲۱۱۱");
    assert_eq!(search("karimi.ir").await, ["organization"]);
}

/// Runs `sql` (with `?` placeholders, numbered for PostgreSQL) on the store's pool.
async fn run(store: &Store, engine: Engine, sql: &str, values: Vec<sea_orm::Value>) -> Result<u64, DbErr> {
    let mut numbered = String::new();
    for (n, part) in sql.split('?').enumerate() {
        if n > 0 {
            numbered.push_str(&if engine == Engine::Postgres { format!("${n}") } else { "?".to_owned() });
        }
        numbered.push_str(part);
    }
    let conn = store.connection();
    Ok(conn.execute_raw(Statement::from_sql_and_values(conn.get_database_backend(), numbered, values)).await?.rows_affected())
}

/// Migration 000012 makes emails unique per workspace. On SQLite it rebuilds the users table:
/// every row that refers to a user (refresh tokens, API keys) survives, and the foreign keys to
/// the new table are enforced afterwards.
async fn accounts_per_workspace_keep_every_row_that_refers_to_a_user(engine: Engine) {
    let db = TestDatabase::create(engine).await;
    let store = Store::connect(&db.url).await.unwrap();
    Migrator::up(store.connection(), Some(11)).await.unwrap();

    let now = chrono::Utc::now();
    let (one, two, sara, token, key) =
        (uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    for workspace in [one, two] {
        let sql = "INSERT INTO workspaces (id, name, default_currency, locale, created_at, updated_at) VALUES (?, 'W', 'USD', 'en', ?, ?)";
        run(&store, engine, sql, vec![workspace.into(), now.into(), now.into()]).await.unwrap();
    }
    let user = "INSERT INTO users (id, workspace_id, email, name, role, locale, password_hash, active, created_at, updated_at) \
                VALUES (?, ?, 'sara@pars.example', 'Sara', 'admin', 'en', 'hash', ?, ?, ?)";
    run(&store, engine, user, vec![sara.into(), one.into(), true.into(), now.into(), now.into()]).await.unwrap();
    // Before: one account per email in the whole database.
    let again = vec![uuid::Uuid::now_v7().into(), two.into(), true.into(), now.into(), now.into()];
    assert!(run(&store, engine, user, again).await.is_err());
    let refresh = "INSERT INTO refresh_tokens (id, workspace_id, user_id, family_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    let values = |id: uuid::Uuid, user: uuid::Uuid, hash: &str| -> Vec<sea_orm::Value> {
        vec![id.into(), one.into(), user.into(), id.into(), hash.into(), now.into(), now.into()]
    };
    run(&store, engine, refresh, values(token, sara, "h1")).await.unwrap();
    let api_key = "INSERT INTO api_keys (id, workspace_id, name, prefix, key_hash, scopes, created_by, created_at) VALUES (?, ?, 'k', 'kz_1', 'kh', 'read', ?, ?)";
    run(&store, engine, api_key, vec![key.into(), one.into(), sara.into(), now.into()]).await.unwrap();

    store.migrate().await.unwrap();
    assert!(store.is_migrated().await.unwrap());

    let count = |sql: &'static str| {
        let store = &store;
        async move {
            let row = store.connection().query_one_raw(Statement::from_string(store.connection().get_database_backend(), sql)).await;
            row.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap()
        }
    };
    assert_eq!(count("SELECT COUNT(*) FROM refresh_tokens").await, 1, "refresh tokens survive the rebuild");
    assert_eq!(count("SELECT COUNT(*) FROM api_keys WHERE created_by IS NOT NULL").await, 1, "and API keys keep their maker");
    assert_eq!(count("SELECT COUNT(*) FROM users WHERE session_generation = 0 AND last_signed_in_at IS NULL").await, 1);

    // After: the same email in another workspace is another account; twice in one is refused.
    let user = "INSERT INTO users (id, workspace_id, email, name, role, locale, password_hash, active, created_at, updated_at) \
                VALUES (?, ?, 'sara@pars.example', 'Sara', 'admin', 'en', 'hash', ?, ?, ?)";
    run(&store, engine, user, vec![uuid::Uuid::now_v7().into(), two.into(), true.into(), now.into(), now.into()]).await.unwrap();
    assert!(run(&store, engine, user, vec![uuid::Uuid::now_v7().into(), one.into(), true.into(), now.into(), now.into()]).await.is_err());
    // The foreign keys to users hold on every connection of the pool: a token of no user is refused,
    // and removing a user removes its tokens and unsets its keys' maker.
    for n in 0..4 {
        let orphan = run(&store, engine, refresh, values(uuid::Uuid::now_v7(), uuid::Uuid::now_v7(), &format!("orphan{n}"))).await;
        assert!(orphan.is_err(), "a refresh token of no user was stored");
    }
    run(&store, engine, "DELETE FROM users WHERE id = ?", vec![sara.into()]).await.unwrap();
    assert_eq!(count("SELECT COUNT(*) FROM refresh_tokens").await, 0);
    assert_eq!(count("SELECT COUNT(*) FROM api_keys WHERE created_by IS NULL").await, 1);
    store.close().await.unwrap();
}

/// Migration 000013 scopes idempotency keys to the caller and drops the answers stored before:
/// they may hold secrets (a new API key's) and carry no authorization to check again.
async fn stored_idempotent_answers_of_before_are_dropped(engine: Engine) {
    let db = TestDatabase::create(engine).await;
    let store = Store::connect(&db.url).await.unwrap();
    Migrator::up(store.connection(), Some(12)).await.unwrap();
    let now = chrono::Utc::now();
    let insert = "INSERT INTO idempotency_keys (id, workspace_id, user_id, key, fingerprint, status_code, response_body, created_at) \
                  VALUES (?, ?, ?, 'key-1', 'f', 201, '{\"key\": \"kz_secret\"}', ?)";
    let values = vec![uuid::Uuid::now_v7().into(), uuid::Uuid::now_v7().into(), uuid::Uuid::now_v7().into(), now.into()];
    run(&store, engine, insert, values).await.unwrap();

    store.migrate().await.unwrap();
    let conn = store.connection();
    let row = conn.query_one_raw(Statement::from_string(conn.get_database_backend(), "SELECT COUNT(*) FROM idempotency_keys")).await;
    assert_eq!(row.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap(), 0);
}

/// Migration 000023 gives every deal that exists an empty tag list: with the column dropped and
/// the migration run again, the deals load, list and take tags like new ones.
async fn deals_of_before_tags_start_without_any(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let deal = app.create_deal(&admin, json!({"title": "Older", "pipeline_id": id(&pipeline), "tags": ["gone"]})).await;
    // Before the column there were no tag rows either: migration 000049 (and those after it) undone.
    let migrations: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_owned()).collect();
    let tag_rows = migrations.iter().position(|name| name == "m20261206_000049_record_tags").unwrap();
    Migrator::down(app.store.connection(), Some((migrations.len() - tag_rows) as u32)).await.unwrap();
    app.execute("ALTER TABLE deals DROP COLUMN tags", vec![]).await;
    app.execute("DELETE FROM seaql_migrations WHERE version = ?", vec!["m20261205_000023_deal_tags".into()]).await;
    app.store.migrate().await.unwrap();

    let older = app.deal(&admin, &id(&deal)).await;
    assert_eq!((older["tags"].clone(), older["version"].as_i64()), (json!([]), Some(1)));
    let tagged =
        app.patch(&format!("/api/v1/deals/{}", id(&deal))).token(&admin.token).if_match(1).json(json!({"tags": ["new"]})).send().await;
    assert_eq!(tagged.ok(200)["tags"], json!(["new"]));
    let listed = app.get("/api/v1/deals?tag=new").token(&admin.token).send().await.ok(200).clone();
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    let created = app.create_deal(&admin, json!({"title": "Newer", "pipeline_id": id(&pipeline)})).await;
    assert_eq!(created["tags"], json!([]));
}

/// Migration 000024 numbers the outbox events of before 1, 2, 3, … per workspace in the order of
/// their (time-ordered) ids, and records each workspace's last number, so that streams resume
/// from them and new events go on after them.
async fn events_of_before_are_numbered_per_workspace_in_id_order(engine: Engine) {
    let db = TestDatabase::create(engine).await;
    let store = Store::connect(&db.url).await.unwrap();
    Migrator::up(store.connection(), Some(22)).await.unwrap();
    let now = chrono::Utc::now();
    let (one, two) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    for workspace in [one, two] {
        let sql = "INSERT INTO workspaces (id, name, default_currency, locale, created_at, updated_at) VALUES (?, 'W', 'USD', 'en', ?, ?)";
        run(&store, engine, sql, vec![workspace.into(), now.into(), now.into()]).await.unwrap();
    }
    let ids: Vec<uuid::Uuid> = (0..5).map(|_| uuid::Uuid::now_v7()).collect();
    // Inserted out of order: the numbers follow the ids, not the insertion.
    for (n, workspace) in [(4, one), (0, one), (1, two), (3, two), (2, one)] {
        let sql = "INSERT INTO events (id, workspace_id, event_type, aggregate_type, aggregate_id, payload, occurred_at) \
                   VALUES (?, ?, 'deal.created', 'deal', ?, '{}', ?)";
        run(&store, engine, sql, vec![ids[n].into(), workspace.into(), ids[n].into(), now.into()]).await.unwrap();
    }
    store.migrate().await.unwrap();

    let conn = store.connection();
    let backend = conn.get_database_backend();
    let rows = conn.query_all_raw(Statement::from_string(backend, "SELECT id, sequence FROM events")).await.unwrap();
    let mut numbered: Vec<(uuid::Uuid, i64)> =
        rows.iter().map(|r| (r.try_get_by_index::<uuid::Uuid>(0).unwrap(), r.try_get_by_index::<i64>(1).unwrap())).collect();
    numbered.sort();
    assert_eq!(numbered, [(ids[0], 1), (ids[1], 1), (ids[2], 2), (ids[3], 2), (ids[4], 3)]);
    let last = |workspace: uuid::Uuid| {
        let sql = match engine {
            Engine::Postgres => "SELECT last_sequence FROM event_sequences WHERE workspace_id = $1",
            Engine::Sqlite => "SELECT last_sequence FROM event_sequences WHERE workspace_id = ?",
        };
        let statement = Statement::from_sql_and_values(backend, sql, vec![workspace.into()]);
        async move { conn.query_one_raw(statement).await.unwrap().unwrap().try_get_by_index::<i64>(0).unwrap() }
    };
    assert_eq!((last(one).await, last(two).await), (3, 2));
}
