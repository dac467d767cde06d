//! Small builders shared by the migrations, so each migration reads as a list of tables.

use sea_orm_migration::prelude::*;

/// A foreign key named `fk_<table>_<column>` to `<target>.id`.
pub fn fk(table: &'static str, column: &'static str, target: &'static str, on_delete: ForeignKeyAction) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(format!("fk_{table}_{column}")).from(table, column).to(target, "id").on_delete(on_delete).to_owned()
}

/// An index named `ix_<table>_<name>` on `columns`, in order.
pub fn index(table: &'static str, name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(format!("ix_{table}_{name}")).table(table);
    for column in columns {
        statement.col(*column);
    }
    statement.to_owned()
}
