// Generates the typed API client's types from the committed OpenAPI document, or (with --check)
// fails when the committed file no longer matches it.
//
//   npm run generate:api   writes src/lib/api/schema.d.ts (also `npm run gen:api`, as `make openapi` calls it)
//   npm run check:api      exits 1 when src/lib/api/schema.d.ts is stale (part of `npm test`)
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

export const specPath = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
export const outputPath = fileURLToPath(new URL('../src/lib/api/schema.d.ts', import.meta.url));
const relativeOutput = 'web/src/lib/api/schema.d.ts';

const banner = `${COMMENT_HEADER}// Generated from openapi/openapi.json by \`npm run generate:api\`; do not edit.\n\n`;

/**
 * The generated file's text for an OpenAPI document.
 * @param {object} document the parsed openapi.json
 */
export async function renderSchema(document) {
  const ast = await openapiTS(/** @type {any} */ (document), { alphabetize: false, exportType: false });
  return banner + astToString(ast);
}

/** Whether the committed file is what the committed document generates. */
export async function isUpToDate() {
  const document = JSON.parse(await readFile(specPath, 'utf8'));
  const actual = await readFile(outputPath, 'utf8').catch(() => '');
  return actual === (await renderSchema(document));
}

async function main() {
  if (process.argv.includes('--check')) {
    if (!(await isUpToDate())) {
      console.error(`${relativeOutput} is not up to date with openapi/openapi.json: run \`npm run generate:api\` in web/ and commit the result`);
      process.exit(1);
    }
    console.log(`${relativeOutput} is up to date`);
    return;
  }
  const document = JSON.parse(await readFile(specPath, 'utf8'));
  await writeFile(outputPath, await renderSchema(document));
  console.log(`wrote ${relativeOutput}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
