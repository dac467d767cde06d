//! Hand-written SQL for the few queries the query builder cannot express well (window functions,
//! grouped aggregates), written once with `?` placeholders and adapted per engine.

use sea_orm::{DatabaseBackend, Statement, Value};

/// Builds a statement from SQL with `?` placeholders, numbering them `$1, $2, …` on PostgreSQL.
pub fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    numbered.push('$');
                    numbered.push_str(&n.to_string());
                } else {
                    numbered.push(c);
                }
            }
            numbered
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_for_postgres_only() {
        let pg = statement(DatabaseBackend::Postgres, "a = ? AND b = ?", vec![1.into(), 2.into()]);
        assert_eq!(pg.sql, "a = $1 AND b = $2");
        let lite = statement(DatabaseBackend::Sqlite, "a = ? AND b = ?", vec![1.into(), 2.into()]);
        assert_eq!(lite.sql, "a = ? AND b = ?");
    }
}
