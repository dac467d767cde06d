// Generates the typed API client's types from the committed OpenAPI document, or (with --check)
// fails when the committed file no longer matches it.
//
//   npm run generate:api   writes src/lib/api/schema.d.ts
//   npm run check:api      exits 1 when src/lib/api/schema.d.ts is stale
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';

const specPath = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
const outputPath = fileURLToPath(new URL('../src/lib/api/schema.d.ts', import.meta.url));
const relativeOutput = 'web/src/lib/api/schema.d.ts';

const banner = `${COMMENT_HEADER}// Generated from openapi/openapi.json by \`npm run generate:api\`; do not edit.\n\n`;

/** The file's expected text for the current OpenAPI document. */
export async function renderSchema() {
  const document = JSON.parse(await readFile(specPath, 'utf8'));
  const ast = await openapiTS(document, { alphabetize: false, exportType: false });
  return banner + astToString(ast);
}

const expected = await renderSchema();
if (process.argv.includes('--check')) {
  const actual = await readFile(outputPath, 'utf8').catch(() => '');
  if (actual !== expected) {
    console.error(`${relativeOutput} is not up to date with openapi/openapi.json: run \`npm run generate:api\` in web/ and commit the result`);
    process.exit(1);
  }
  console.log(`${relativeOutput} is up to date`);
} else {
  await writeFile(outputPath, expected);
  console.log(`wrote ${relativeOutput}`);
}
