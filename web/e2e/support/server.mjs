// Starts the real `kariz` binary on a free port with a fresh SQLite data directory, serving the
// built SPA, and stops it again. Shared by the end-to-end suite and bench/spa-board.mjs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = fileURLToPath(new URL('../../', import.meta.url));

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/**
 * @param {{ env?: Record<string, string>, quiet?: boolean }} [options]
 * @returns {Promise<{ baseUrl: string, dataDir: string, stop: () => Promise<void>, logs: () => string }>}
 */
export async function startServer(options = {}) {
  const binary = resolve(webDir, process.env.KARIZ_BIN ?? '../target/debug/kariz');
  if (!existsSync(binary)) throw new Error(`no server binary at ${binary}: build it (cargo build -p kariz) or set KARIZ_BIN`);
  const distDir = join(webDir, 'dist');
  if (!existsSync(join(distDir, 'index.html'))) throw new Error('web/dist is missing: run `npm run build` first');

  const dataDir = await mkdtemp(join(tmpdir(), 'kariz-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      KARIZ_DATA_DIR: dataDir,
      KARIZ_BIND: `127.0.0.1:${port}`,
      KARIZ_WEB_DIR: distDir,
      KARIZ_DEMO: 'false',
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`kariz exited with ${child.exitCode} before it was ready:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`kariz did not answer /healthz within 60 s:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return { baseUrl, dataDir, stop, logs: () => output };
}
