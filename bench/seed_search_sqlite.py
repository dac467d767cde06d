"""Seeds a Kariz SQLite database for bench/search.sh with ENGINE=sqlite: the same records per
kind, names, emails, phones and search keys as the PostgreSQL seeding in that script, written in
the encodings the store uses on SQLite (UUIDs as 16 bytes, times as RFC 3339 text).

    python3 bench/seed_search_sqlite.py DATABASE_FILE ROWS
"""

import random
import sqlite3
import sys
import uuid
from datetime import datetime, timedelta, timezone

FIRST = ["ali", "sara", "reza", "maryam", "karim", "کریم", "نیما", "سارا", "مریم", "علی"]
LAST = ["ahmadi", "karimi", "rezaei", "mohammadi", "hosseini", "کریمی", "احمدی", "نیکو", "رضایی", "حسینی", "tehrani"]
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def main(path: str, rows: int) -> None:
    db = sqlite3.connect(path)
    ws, admin, pipeline = db.execute(
        "SELECT w.id, u.id, p.id FROM workspaces w JOIN users u ON u.workspace_id = w.id "
        "JOIN pipelines p ON p.workspace_id = w.id LIMIT 1"
    ).fetchone()
    (stage,) = db.execute("SELECT id FROM stages WHERE pipeline_id = ? ORDER BY position LIMIT 1", (pipeline,)).fetchone()
    now = datetime.now(timezone.utc)
    rng = random.Random(7)
    deals, leads, contacts, organizations = [], [], [], []
    for i in range(1, rows + 1):
        name = f"{FIRST[i % 10]} {LAST[i % 11]} {i}"
        mailbox, line = f"user{i}", f"{i:07d}"
        at = (now - timedelta(days=730 * rng.random())).isoformat(timespec="microseconds")
        position = "c" + DIGITS[i // 3844 % 62] + DIGITS[i // 62 % 62] + DIGITS[i % 62] + str(i)
        deals.append((uuid.uuid4().bytes, ws, pipeline, stage, f"Deal {name}", 1000, "IRR", admin, "open", position, at, 1, at, at,
                      f"| deal {name} |"))
        leads.append((uuid.uuid4().bytes, ws, name, f"{mailbox}@example.com", f"+98912{line}", "website", admin, "new", 0, "[]", "{}",
                      1, 1, at, at, f"| {name} | {mailbox} example com | 0912{line} | 98912{line} |"))
        contacts.append((uuid.uuid4().bytes, ws, name, f"{mailbox}@example.org", f"+98935{line}", "[]", "{}", admin, 1, at, at,
                         f"| {name} | {mailbox} example org | 0935{line} | 98935{line} |"))
        organizations.append((uuid.uuid4().bytes, ws, f"Org {name}", f"org {name}", f"org{i}.ir", "[]", "{}", admin, 1, at, at,
                              f"| org {name} | org{i} ir |"))
    with db:
        db.executemany(
            "INSERT INTO deals (id, workspace_id, pipeline_id, stage_id, title, amount_minor, currency, owner_id, status, position, "
            "stage_entered_at, version, created_at, updated_at, search_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", deals)
        db.executemany(
            "INSERT INTO leads (id, workspace_id, name, email, phone, source, owner_id, status, score, tags, custom_fields, submissions, "
            "version, created_at, updated_at, search_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", leads)
        db.executemany(
            "INSERT INTO contacts (id, workspace_id, name, email, phone, tags, custom_fields, owner_id, version, created_at, updated_at, "
            "search_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", contacts)
        db.executemany(
            "INSERT INTO organizations (id, workspace_id, name, name_key, domain, tags, custom_fields, owner_id, version, created_at, "
            "updated_at, search_text) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", organizations)
    db.execute("ANALYZE")
    db.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
