// Prints the gzip size of the built JavaScript: the main bundle (what index.html loads up front,
// including its static imports) and every lazy chunk. Fails when the main bundle is over budget.
//
//   npm run build && npm run size
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const budgetBytes = 300 * 1024;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const html = await readFile(`${dist}index.html`, 'utf8').catch(() => {
  console.error('web/dist/index.html is missing: run `npm run build` first');
  process.exit(1);
});

const entry = [...html.matchAll(/<script[^>]+src="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
const preloaded = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]);
const initial = new Set([...entry, ...preloaded]);
const files = (await readdir(`${dist}assets`)).filter((name) => name.endsWith('.js')).map((name) => `assets/${name}`);

const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
let initialRaw = 0;
let initialGzip = 0;
for (const file of files) {
  const content = await readFile(`${dist}${file}`);
  const gzip = gzipSync(content, { level: 9 }).length;
  const isInitial = initial.has(file);
  if (isInitial) {
    initialRaw += content.length;
    initialGzip += gzip;
  }
  console.log(`${isInitial ? 'main' : 'lazy'}  ${file.padEnd(44)} ${kib(content.length).padStart(11)} raw ${kib(gzip).padStart(10)} gzip`);
}
console.log(`main bundle: ${kib(initialRaw)} raw, ${kib(initialGzip)} gzip (budget ${kib(budgetBytes)} gzip)`);
if (initialGzip > budgetBytes) {
  console.error('the main bundle is over its 300 KiB gzip budget');
  process.exit(1);
}
