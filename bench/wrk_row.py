"""Turns wrk's --latency report (stdin) into one Markdown table row:
| name | requests/s | p50 | p90 | p99 | non-2xx | errors |"""
import re
import sys

name = sys.argv[1]
text = sys.stdin.read()


def find(pattern, default="—"):
    match = re.search(pattern, text, re.MULTILINE)
    return match.group(1) if match else default


rate = find(r"^Requests/sec:\s+([\d.]+)")
rate = f"{float(rate):,.0f}" if rate != "—" else rate
percentiles = [find(rf"^\s+{p}%\s+(\S+)") for p in (50, 90, 99)]
non_2xx = find(r"Non-2xx or 3xx responses:\s+(\d+)", "0")
errors = find(r"Socket errors:\s+(.*)$", "none")
print(f"| {name} | {rate} | {' | '.join(percentiles)} | {non_2xx} | {errors} |")
