#!/usr/bin/env python3
"""Where the cores went during one load: CPU time of the server, of PostgreSQL and of the load
generator, per request.

  cpu_split.py snap SERVER_PID > before.json      # before the load
  cpu_split.py snap SERVER_PID > after.json       # after it
  cpu_split.py report before.json after.json REQUESTS WRK_CPU_SECONDS

The server and PostgreSQL are read from /proc (every process named postgres, long-lived pool
connections included, and the backends that exited, from the postmaster's children's times);
the load generator has exited by then, so its CPU time comes from
`/usr/bin/time` around it. "Other" is what the machine spent beyond the three (kernel threads,
the sampler, short-lived processes), from /proc/stat; "idle" is what it did not spend.
"""
import json
import os
import sys

TICK = os.sysconf("SC_CLK_TCK")


def process_ticks(pid, children=False):
    with open(f"/proc/{pid}/stat") as f:
        rest = f.read().rsplit(")", 1)[1].split()
    # Fields 14–17 of stat(5), counted after the command name: utime and stime, then cutime and
    # cstime (the children it has reaped; PostgreSQL's postmaster reaps every backend that
    # exits, pgbench's among them).
    return sum(int(v) for v in rest[11 : 15 if children else 13])


def snap(server_pid):
    server = process_ticks(server_pid)
    postgres = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "postgres":
                    continue
            postgres += process_ticks(pid, children=True)
        except (FileNotFoundError, ProcessLookupError):
            continue  # exited while we looked
    with open("/proc/stat") as f:
        cpu = [int(v) for v in f.readline().split()[1:]]
    idle = cpu[3] + cpu[4]  # idle + iowait
    return {"server": server, "postgres": postgres, "busy": sum(cpu[:8]) - idle, "idle": idle}


def report(before, after, requests, wrk_seconds):
    d = {k: (after[k] - before[k]) / TICK for k in before}
    wrk = float(wrk_seconds)
    other = max(0.0, d["busy"] - d["server"] - d["postgres"] - wrk)
    total = d["busy"] + d["idle"]
    per = lambda seconds: f"{seconds * 1000 / requests:.3f}"
    share = lambda seconds: f"{100 * seconds / total:.0f}%"
    print(
        f"| {per(d['server'])} ({share(d['server'])}) | {per(d['postgres'])} ({share(d['postgres'])}) "
        f"| {per(wrk)} ({share(wrk)}) | {per(other)} ({share(other)}) | {share(d['idle'])} |"
    )


if __name__ == "__main__":
    if sys.argv[1] == "snap":
        json.dump(snap(sys.argv[2]), sys.stdout)
    else:
        with open(sys.argv[2]) as a, open(sys.argv[3]) as b:
            report(json.load(a), json.load(b), int(sys.argv[4]), sys.argv[5])
