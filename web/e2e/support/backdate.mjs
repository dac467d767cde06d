// Back-dates a deal's arrival in its stage in the e2e server's SQLite database, as if it had sat
// there for days: what the rotting report needs, and no API can write (a stage's clock starts when
// a deal enters it). Uses the sqlite3 command-line tool on the file `kariz serve` writes.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
// The server writes in the background too (event numbering, the board's figures): wait for its
// write lock instead of failing with "database is locked".
const run = (command, [database, sql]) => exec(command, ['-cmd', '.timeout 5000', database, sql]);

/** @param {string} dealId @param {number} days */
export async function backdateStageEntry(dealId, days) {
  const dataDir = process.env.KARIZ_E2E_DATA_DIR;
  if (!dataDir) throw new Error('KARIZ_E2E_DATA_DIR is not set: run the suite through e2e/run.mjs');
  const database = join(dataDir, 'kariz.db');
  const id = dealId.replace(/[^0-9a-f-]/gi, '');
  const { stdout } = await run('sqlite3', [database, `SELECT stage_entered_at FROM deals WHERE id = '${id}' OR hex(id) = upper(replace('${id}', '-', ''));`]);
  const stored = stdout.trim();
  if (!stored) throw new Error(`no deal ${dealId} in ${database}`);
  // Keep the stored format (the date part is what changes).
  const moved = new Date(Date.parse(stored.replace(' ', 'T').replace(/([+-]\d{2}:\d{2}|Z)?$/, (zone) => zone || 'Z')) - days * 86_400_000);
  const text = stored.replace(/^\d{4}-\d{2}-\d{2}/, moved.toISOString().slice(0, 10));
  await run('sqlite3', [database, `UPDATE deals SET stage_entered_at = '${text}' WHERE id = '${id}' OR hex(id) = upper(replace('${id}', '-', ''));`]);
}
