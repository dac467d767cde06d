"""Asks the running server for every documented sort and filter of the five lists, a first page
and the page after it, and reads PostgreSQL's own plan of each query (auto_explain, with
ANALYZE, written to the server's log) to count the rows each page read from its table (and from
`record_tags`, for a tag filter).

A page served by an index that matches its sort and filter reads about the rows it returns; one
that scans, or sorts what it found, reads many more. Every request over LIMIT rows read is
named, and the exit status is 1 when there is one.

    python3 bench/plans.py BASE TOKEN PG_LOG DATABASE_URL
"""
import json
import os
import subprocess
import sys
import time
import urllib.parse
import urllib.request

BASE, TOKEN, PG_LOG, DATABASE_URL = sys.argv[1:5]
LIMIT = int(os.environ.get("ROWS_READ_LIMIT", "1000"))
PAGE = 50
MARKERS = 0
SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan"}


def sql(query):
    out = subprocess.run(["psql", DATABASE_URL, "-Atc", query], check=True, capture_output=True, text=True).stdout
    return out.strip().splitlines()


def get(path, params):
    url = f"{BASE}/api/v1{path}?{urllib.parse.urlencode(params)}"
    request = urllib.request.Request(url, headers={"authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def plans_since(offset):
    """The JSON plans auto_explain logged after `offset` bytes of the log: up to a marker query
    run after the request, whose own entry is written after every entry of the request's."""
    global MARKERS
    MARKERS += 1
    # A query's plan is logged as its portal closes, which may wait for the connection's next
    # statement: the server runs on one working connection (see plans.sh), so one more request
    # that reads the database closes it.
    get("/me", {})
    marker = f"plans-marker-{os.getpid()}-{MARKERS}"
    sql(f"SELECT '{marker}'")
    deadline = time.time() + 30
    while True:
        with open(PG_LOG, encoding="utf-8", errors="replace") as log:
            log.seek(offset)
            text = log.read()
        if marker in text or time.time() > deadline:
            break
        time.sleep(0.05)
    lines = text.splitlines()
    plans, current = [], None
    for line in lines:
        if line.endswith("plan:"):
            if current:
                plans.append(current)
            current = []
        elif current is not None and line.startswith("\t"):
            current.append(line[1:])
        elif current is not None:
            plans.append(current)
            current = None
    if current:
        plans.append(current)
    parsed = []
    for body in plans:
        try:
            parsed.append(json.loads("\n".join(body)))
        except json.JSONDecodeError:
            pass
    return parsed


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def reading(plan, table):
    """Rows read from `table` and from the tag rows that pick its records (`record_tags`), the
    scans that read them, and the rows sorted (0: no sort)."""
    read, scans, sorted_rows = 0, [], 0
    for node in nodes(plan["Plan"]):
        kind = node["Node Type"]
        if kind in SCANS and node.get("Relation Name") in (table, "record_tags"):
            loops = node.get("Actual Loops", 1)
            read += (node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
                     + node.get("Rows Removed by Index Recheck", 0)) * loops
            scans.append(f"{kind} {node.get('Index Name', '')}".strip())
        if kind in ("Sort", "Incremental Sort"):
            sorted_rows = max(sorted_rows, sum(child.get("Actual Rows", 0) for child in node.get("Plans", [])))
    return read, scans, sorted_rows


def check(table, path, params):
    """Both pages of one list request: (rows read, scans, rows sorted) per page."""
    results = []
    cursor = None
    for _ in range(2):
        query = dict(params, limit=PAGE)
        if cursor:
            query["cursor"] = cursor
        offset = os.path.getsize(PG_LOG)
        body = get(path, query)
        logged = plans_since(offset)
        if os.environ.get("PLANS_DEBUG"):
            print([p.get("Query Text", "")[:80] for p in logged], file=sys.stderr)
        plans = [p for p in logged if f"FROM \"{table}\"" in p.get("Query Text", "")]
        if not plans:
            results.append(None)
        else:
            worst = max((reading(p, table) for p in plans), key=lambda r: r[0])
            results.append(worst)
        cursor = body.get("next_cursor")
        if not cursor:
            break
    return results


def first(query):
    rows = sql(query)
    return rows[0] if rows else None


ws = first("SELECT id FROM workspaces ORDER BY created_at LIMIT 1")
pipeline = first(f"SELECT id FROM pipelines WHERE workspace_id = '{ws}' LIMIT 1")
stage = first(f"SELECT id FROM stages WHERE pipeline_id = '{pipeline}' ORDER BY position LIMIT 1")
owner = first(f"SELECT owner_id FROM deals WHERE workspace_id = '{ws}' GROUP BY owner_id ORDER BY COUNT(*) DESC LIMIT 1")
contact = first(f"SELECT contact_id FROM deals WHERE contact_id IS NOT NULL GROUP BY contact_id ORDER BY COUNT(*) DESC LIMIT 1")
organization = first(f"SELECT organization_id FROM deals WHERE organization_id IS NOT NULL GROUP BY organization_id ORDER BY COUNT(*) DESC LIMIT 1")
some_deal = first("SELECT deal_id FROM activities WHERE deal_id IS NOT NULL LIMIT 1")
some_contact = first("SELECT contact_id FROM activities WHERE contact_id IS NOT NULL LIMIT 1")

DEAL_SORTS = ["-created_at", "created_at", "amount_minor", "-amount_minor"]
deal_filters = [
    {},
    {"pipeline_id": pipeline},
    {"stage_id": stage},
    {"owner_id": owner},
    {"status": "open"},
    {"status": "won"},
    {"stage_id": stage, "status": "open"},
    {"contact_id": contact},
    {"organization_id": organization},
    {"tag": "vip"},
    {"q": "deal 4242"},
    {"expected_close_from": "2027-01-01", "expected_close_to": "2027-01-31"},
]
LEAD_SORTS = ["-score", "score", "-created_at", "created_at"]
lead_filters = [{}, {"status": "open"}, {"status": "disqualified"}, {"owner_id": owner}, {"source": "website"},
                {"tag": "vip"}, {"q": "lead 4242"}, {"score_min": 50}]
LIST_SORTS = ["-created_at", "created_at", "name"]
contact_filters = [{}, {"owner_id": owner}, {"organization_id": organization}, {"city": "Tehran"}, {"country": "IR"},
                   {"tag": "vip"}, {"q": "customer 4242"}]
organization_filters = [{}, {"owner_id": owner}, {"industry": "Retail"}, {"city": "Tehran"}, {"country": "IR"},
                        {"tag": "vip"}, {"q": "company 4242"}]
activity_filters = [{}, {"owner_id": owner}, {"done": "false"}, {"done": "true"}, {"kind": "call"},
                    {"deal_id": some_deal}, {"contact_id": some_contact},
                    {"due_from": "2027-01-01T00:00:00Z", "due_to": "2027-01-31T00:00:00Z"}]

matrix = []
for sort in DEAL_SORTS:
    matrix += [("deals", "/deals", dict(f, sort=sort)) for f in deal_filters]
matrix.append(("deals", "/deals", {"stage_id": stage, "status": "open", "sort": "position"}))
for sort in LEAD_SORTS:
    matrix += [("leads", "/leads", dict(f, sort=sort)) for f in lead_filters]
for sort in LIST_SORTS:
    matrix += [("contacts", "/contacts", dict(f, sort=sort)) for f in contact_filters]
    matrix += [("organizations", "/organizations", dict(f, sort=sort)) for f in organization_filters]
matrix += [("activities", "/activities", f) for f in activity_filters]


def label(params):
    shown = {k: ("…" if len(str(v)) == 36 else v) for k, v in params.items()}
    return " ".join(f"{k}={v}" for k, v in shown.items()) or "(none)"


print("| list | parameters | page 1: rows read / sorted | page 2: rows read / sorted | scans |")
print("| --- | --- | --- | --- | --- |")
failures = 0
for table, path, params in matrix:
    pages = check(table, path, params)
    cells, scans = [], set()
    over = False
    for page in pages:
        if page is None:
            cells.append("no plan")
            continue
        read, page_scans, sorted_rows = page
        scans.update(page_scans)
        over |= read > LIMIT
        cells.append(f"{read:,} / {sorted_rows:,}" if sorted_rows else f"{read:,}")
    while len(cells) < 2:
        cells.append("—")
    failures += over
    mark = " **over**" if over else ""
    print(f"| {path} | {label(params)} | {cells[0]}{mark} | {cells[1]} | {', '.join(sorted(scans))} |", flush=True)
print(f"\n{len(matrix)} requests, {failures} read more than {LIMIT:,} rows for a page of {PAGE}")
sys.exit(1 if failures else 0)
