"""A minimal webhook endpoint for the latency benchmark.

Answers every POST with 204 and records, per message, the time from the stage change
(`data.changed_at` in the payload, stamped when the move was written) to its arrival.
Run: python3 bench/webhook_receiver.py PORT OUT_FILE [SLOW_SECONDS]; it writes latencies in ms,
one per line, and the webhook-id, on SIGTERM. With SLOW_SECONDS, requests to paths under
`/slow` are answered only after that many seconds and are not recorded (a slow endpoint).
"""

import asyncio
import datetime
import json
import signal
import sys

latencies: list[tuple[str, float]] = []
slow_seconds = 0.0


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            path = head.split(b" ", 2)[1] if head.count(b" ") >= 2 else b"/"
            headers = {}
            for line in head.decode("latin-1").split("\r\n")[1:]:
                if ":" in line:
                    name, value = line.split(":", 1)
                    headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            if slow_seconds and path.startswith(b"/slow"):
                await asyncio.sleep(slow_seconds)
                writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
                await writer.drain()
                continue
            arrived = datetime.datetime.now(datetime.timezone.utc)
            message = json.loads(body)
            changed = message["data"].get("changed_at")
            if changed:
                sent = datetime.datetime.fromisoformat(changed.replace("Z", "+00:00"))
                latencies.append((headers.get("webhook-id", ""), (arrived - sent).total_seconds() * 1000))
            writer.write(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n")
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.CancelledError, ConnectionError):
        pass
    finally:
        writer.close()


async def main(port: int, out: str) -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=1024)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with server:
        await stop.wait()
    with open(out, "w") as f:
        for webhook_id, latency in latencies:
            f.write(f"{webhook_id} {latency:.3f}\n")


if __name__ == "__main__":
    if len(sys.argv) > 3:
        slow_seconds = float(sys.argv[3])
    asyncio.run(main(int(sys.argv[1]), sys.argv[2]))
