// Refreshes README's screenshots (docs/screenshots/) from the screens walk's artifacts: run
// `npm run e2e -- screens` first, then `npm run screenshots`. Each picture is reduced to a
// 256-colour palette with pngquant (apt install pngquant) and must stay under 250 KB.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const artifacts = fileURLToPath(new URL('../e2e/artifacts/', import.meta.url));
const target = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const limit = 250 * 1024;

/** The artifacts README shows, by the name the walk gives them. */
const pictures = ['board-en-desktop', 'board-fa-desktop', 'reports-fa-desktop', 'board-fa-phone', 'leads-en-desktop'];

await mkdir(target, { recursive: true });
const tooLarge = [];
for (const name of pictures) {
  const source = `${artifacts}${name}.png`;
  const output = `${target}${name}.png`;
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality=60-90', '--output', output, source], { stdio: 'inherit' });
  } catch (error) {
    // pngquant's "could not reach the quality" or "not smaller": the original will do if small enough.
    if (/** @type {{ code?: string }} */ (error).code === 'ENOENT') throw new Error('pngquant is not installed (apt install pngquant)');
    await copyFile(source, output);
  }
  const { size } = await stat(output);
  console.log(`${name}.png ${Math.round(size / 1024)} KB`);
  if (size > limit) tooLarge.push(name);
}
if (tooLarge.length > 0) {
  console.error(`over 250 KB: ${tooLarge.join(', ')}`);
  process.exit(1);
}
