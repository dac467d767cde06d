// Opens many event streams on one server and measures how long each event takes from its change
// (the event's `timestamp`, the change's transaction time) to its arrival on a stream.
//
//   node bench/streams.mjs BASE TOKEN STREAMS SECONDS READY_FILE
//
// Every stream reads everything; latency is taken on every event of every stream. Writes
// READY_FILE once all streams are open, then measures for SECONDS and prints one JSON line.
import http from 'node:http';
import { writeFileSync } from 'node:fs';

const [base, token, streamCount, seconds, readyFile] = process.argv.slice(2);
const url = new URL(base);
const total = Number(streamCount);

function post(path) {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, path, method: 'POST', headers: { authorization: `Bearer ${token}` }, agent: false },
      (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => (response.statusCode === 201 ? resolve(JSON.parse(body)) : reject(new Error(`${response.statusCode} ${body}`))));
      },
    );
    request.on('error', reject);
    request.end();
  });
}

const latencies = [];
let measuring = false;
let events = 0;
let resets = 0;
let closed = 0;

function open(ticket) {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: url.hostname, port: url.port, path: `/api/v1/stream?ticket=${encodeURIComponent(ticket)}`, agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`stream ${response.statusCode}`));
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        buffer += chunk;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (frame.includes('\nevent: reset')) resets += 1;
          const at = frame.indexOf('"timestamp":"');
          if (at < 0 || !measuring) continue;
          const stamp = frame.slice(at + 13, frame.indexOf('"', at + 13));
          latencies.push(Date.now() - Date.parse(stamp));
          events += 1;
        }
      });
      response.on('close', () => (closed += 1));
      resolve();
    });
    request.on('error', reject);
  });
}

for (let n = 0; n < total; n += 1) {
  const { ticket } = await post('/api/v1/stream/tickets');
  await open(ticket);
}
measuring = true;
writeFileSync(readyFile, 'ready\n');
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
measuring = false;
latencies.sort((a, b) => a - b);
const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? null;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ streams: total, events, resets, closed, client_cpu_s: Math.round((cpu.user + cpu.system) / 1e4) / 100, p50_ms: at(0.5), p90_ms: at(0.9), p99_ms: at(0.99), max_ms: latencies.at(-1) ?? null }));
process.exit(0);
