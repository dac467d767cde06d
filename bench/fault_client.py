"""Write load for the fault runs, and the check that follows them.

    python3 bench/fault_client.py load BASE TOKEN API_KEY PIPELINE STAGES_FILE OUT SECONDS THREADS
    python3 bench/fault_client.py check OUT FAULT_AT DATABASE_URL

`load`: THREADS threads, each on its own keep-alive connection, cycle through creating a deal,
moving one of their own deals to another stage (with the version they last saw, so a move that
was acknowledged is known exactly) and pushing an intake lead with a new email, for SECONDS.
Every request's outcome is recorded as one JSON line in OUT: the time, the kind, the status (or
the connection error) and, for every 2xx, what was acknowledged (ids and versions). A failed
request is not retried: the next one in the cycle goes on, after a short pause when the server
did not answer at all. Python threads are enough here: the point is a steady stream of
acknowledged writes to check afterwards, not the most requests per second, and the standard
library needs nothing built or installed.

`check`: reads the acknowledgements back and looks each one up in the database (with psql):
every acknowledged deal exists with its `deal.created` event, every acknowledged move left its
`deal.stage_changed` event carrying that version and stage (and the deal is at that version or
later), every acknowledged intake lead exists with its `lead.created` event. Prints the counts,
the failures around the fault and the recovery time; exits non-zero if an acknowledged write is
missing.
"""

import http.client
import json
import subprocess
import sys
import threading
import time
from urllib.parse import urlparse


def load(base, token, api_key, pipeline, stages_file, out, seconds, threads):
    stages = [line.strip() for line in open(stages_file) if line.strip()]
    url = urlparse(base)
    deadline = time.time() + seconds
    lock = threading.Lock()
    sink = open(out, "w")

    def record(entry):
        line = json.dumps(entry)
        with lock:
            sink.write(line + "\n")

    def worker(n):
        conn = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
        own = []  # [deal id, version, stage] of this thread's acknowledged deals
        step = 0
        while time.time() < deadline:
            step += 1
            kind = ("deal", "move", "lead")[step % 3]
            if kind == "move" and not own:
                continue
            headers = {"content-type": "application/json", "authorization": f"Bearer {token}"}
            if kind == "deal":
                path, body = "/api/v1/deals", {"title": f"Fault {n}-{step}", "pipeline_id": pipeline, "amount_minor": step}
            elif kind == "move":
                deal = own[step % len(own)]
                target = next(s for s in stages[(step % len(stages)) :] + stages if s != deal[2])
                path, body = f"/api/v1/deals/{deal[0]}/move", {"stage_id": target}
                headers["if-match"] = f'"{deal[1]}"'
            else:
                path = "/api/v1/intake/leads"
                body = {"name": f"Fault {n}-{step}", "email": f"fault-{n}-{step}@bench.test", "source": "website"}
                headers["authorization"] = f"Bearer {api_key}"
            started = time.time()
            try:
                conn.request("POST", path, json.dumps(body), headers)
                response = conn.getresponse()
                status, reply = response.status, response.read()
            except (OSError, http.client.HTTPException) as error:
                conn.close()
                record({"at": started, "kind": kind, "error": type(error).__name__})
                time.sleep(0.05)
                continue
            entry = {"at": started, "kind": kind, "status": status}
            if 200 <= status < 300:
                answer = json.loads(reply)
                if kind == "deal":
                    own.append([answer["id"], answer["version"], answer["stage_id"]])
                    entry.update(id=answer["id"], version=answer["version"])
                elif kind == "move":
                    deal[1], deal[2] = answer["version"], answer["stage_id"]
                    entry.update(id=answer["id"], version=answer["version"], stage_id=answer["stage_id"])
                else:
                    entry.update(id=answer["lead_id"], outcome=answer["outcome"])
            elif kind == "move" and status == 412:
                # A move this thread sent earlier committed but its answer was lost: go on from there.
                deal[1] = json.loads(reply).get("current_version", deal[1])
            record(entry)

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    sink.close()


def psql(database_url, sql):
    out = subprocess.run(["psql", database_url, "-Atc", sql], check=True, capture_output=True, text=True).stdout
    return [line.split("|") for line in out.splitlines() if line]


def check(out, fault_at, database_url):
    entries = [json.loads(line) for line in open(out)]
    acked = [e for e in entries if 200 <= e.get("status", 0) < 300]
    failed = [e for e in entries if not 200 <= e.get("status", 0) < 300]

    deals = {row[0]: int(row[1]) for row in psql(database_url, "SELECT id, version FROM deals WHERE title LIKE 'Fault %'")}
    deal_events = {
        (row[0], row[1], int(row[2]), row[3])
        for row in psql(
            database_url,
            "SELECT aggregate_id, event_type, payload::jsonb->'deal'->>'version', payload::jsonb->'deal'->>'stage_id' "
            "FROM events WHERE aggregate_type = 'deal' AND aggregate_id IN (SELECT id FROM deals WHERE title LIKE 'Fault %')",
        )
    }
    created_events = {(deal, version) for deal, kind, version, _ in deal_events if kind == "deal.created"}
    move_events = {(deal, version, stage) for deal, kind, version, stage in deal_events if kind == "deal.stage_changed"}
    leads = {row[0] for row in psql(database_url, "SELECT id FROM leads WHERE email LIKE 'fault-%'")}
    lead_events = {
        row[0] for row in psql(database_url, "SELECT aggregate_id FROM events WHERE event_type = 'lead.created' AND aggregate_type = 'lead'")
    }

    missing = []
    for e in acked:
        if e["kind"] == "deal" and (e["id"] not in deals or (e["id"], 1) not in created_events):
            missing.append(e)
        elif e["kind"] == "move" and (deals.get(e["id"], 0) < e["version"] or (e["id"], e["version"], e["stage_id"]) not in move_events):
            missing.append(e)
        elif e["kind"] == "lead" and (e["id"] not in leads or e["id"] not in lead_events):
            missing.append(e)

    counts = {kind: sum(1 for e in acked if e["kind"] == kind) for kind in ("deal", "move", "lead")}
    print(f"acknowledged: {len(acked)} ({counts['deal']} deals created, {counts['move']} moves, {counts['lead']} intake leads)")
    after = [e for e in failed if e["at"] >= fault_at - 1]
    kinds = {}
    for e in failed:
        key = e.get("error") or str(e["status"])
        kinds[key] = kinds.get(key, 0) + 1
    print(f"failed: {len(failed)} ({', '.join(f'{k}: {v}' for k, v in sorted(kinds.items())) or 'none'})")
    if after:
        last_failure = max(e["at"] for e in after)
        back = min((e["at"] for e in acked if e["at"] > last_failure), default=None)
        print(f"failures from {min(e['at'] for e in after) - fault_at:+.2f} s to {last_failure - fault_at:+.2f} s after the fault")
        if back is not None:
            print(f"first acknowledged write after the last failure: {back - fault_at:.2f} s after the fault")
    print(f"acknowledged writes missing from the database: {len(missing)}")
    for e in missing[:10]:
        print(f"  missing: {json.dumps(e)}")
    sys.exit(1 if missing else 0)


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "load":
        base, token, api_key, pipeline, stages_file, out, seconds, threads = args
        load(base, token, api_key, pipeline, stages_file, out, float(seconds), int(threads))
    elif command == "check":
        out, fault_at, database_url = args
        check(out, float(fault_at), database_url)
    else:
        sys.exit(__doc__)
