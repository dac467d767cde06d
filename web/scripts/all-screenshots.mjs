// Copies every screen of the screens walk (`<screen>-<en|fa>-<desktop|phone>.png` in
// web/e2e/artifacts/, written by `npm run e2e -- screens`) to docs/screenshots/screens/, each
// reduced to a 256-colour palette with pngquant when it is installed (apt install pngquant), and
// writes docs/screens.md: one row a screen, English and Persian at desktop and phone sizes, so
// that a reader sees every screen without running anything.
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// KARIZ_ARTIFACTS_DIR reads another run's artifacts (a CI checkout's, say).
const artifacts = process.env.KARIZ_ARTIFACTS_DIR
  ? `${process.env.KARIZ_ARTIFACTS_DIR.replace(/\/$/, '')}/`
  : fileURLToPath(new URL('../e2e/artifacts/', import.meta.url));
const docs = fileURLToPath(new URL('../../docs/', import.meta.url));
const target = `${docs}screenshots/screens/`;
const variants = [
  ['en', 'desktop'],
  ['fa', 'desktop'],
  ['en', 'phone'],
  ['fa', 'phone'],
];

const files = new Set(await readdir(artifacts));
const names = [...files]
  .map((file) => /^(.+)-en-desktop\.png$/.exec(file)?.[1])
  .filter((name) => name !== undefined && variants.every(([lang, size]) => files.has(`${name}-${lang}-${size}.png`)))
  .sort();
if (names.length === 0) throw new Error(`no screens in ${artifacts}: run \`npm run e2e -- screens\` first`);

let pngquant = true;
await rm(target, { recursive: true, force: true });
await mkdir(target, { recursive: true });
let total = 0;
for (const name of names) {
  for (const [lang, size] of variants) {
    const file = `${name}-${lang}-${size}.png`;
    if (pngquant) {
      try {
        execFileSync('pngquant', ['--force', '--strip', '--quality=50-85', '--output', `${target}${file}`, `${artifacts}${file}`], { stdio: 'ignore' });
      } catch (error) {
        if (/** @type {{ code?: string }} */ (error).code === 'ENOENT') pngquant = false;
        await copyFile(`${artifacts}${file}`, `${target}${file}`);
      }
    } else {
      await copyFile(`${artifacts}${file}`, `${target}${file}`);
    }
    total += (await stat(`${target}${file}`)).size;
  }
}

const cell = (name, lang, size) => {
  const path = `screenshots/screens/${name}-${lang}-${size}.png`;
  const width = size === 'desktop' ? 240 : 96;
  return `<a href="${path}"><img src="${path}" width="${width}" alt="${name}, ${lang === 'en' ? 'English' : 'Persian'}, ${size}"></a>`;
};
const rows = names.map((name) => `| ${name} | ${variants.map(([lang, size]) => cell(name, lang, size)).join(' | ')} |`);
await writeFile(
  `${docs}screens.md`,
  [
    '# Every screen',
    '',
    `The ${names.length} screens of the SPA as the browser suite's screens walk (\`web/e2e/tests/screens.e2e.mjs\`)`,
    'saw them on its last refresh: English and Persian, at 1440×900 and on a 390×844 phone. The walk checks',
    'each with axe-core and for sideways overflow; `cd web && npm run e2e -- screens && npm run screenshots:all`',
    'refreshes this page. Select a picture to open it at full size.',
    '',
    '| screen | English, desktop | Persian, desktop | English, phone | Persian, phone |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
console.log(
  `${names.length} screens, ${names.length * variants.length} pictures, ${Math.round(total / 1024)} KB${pngquant ? '' : ' (pngquant not installed: not reduced)'}`,
);
