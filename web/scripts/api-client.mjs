// Generates the typed API client's types and the API's closed vocabularies from the committed
// OpenAPI document, or (with --check) fails when the committed files no longer match it.
//
//   npm run generate:api   writes src/lib/api/schema.d.ts and src/lib/api/vocabularies.ts
//                          (also `npm run gen:api`, as `make openapi` calls it)
//   npm run check:api      exits 1 when either file is stale (part of `npm test`)
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';

export const specPath = fileURLToPath(new URL('../../openapi/openapi.json', import.meta.url));
export const outputPath = fileURLToPath(new URL('../src/lib/api/schema.d.ts', import.meta.url));
export const vocabulariesPath = fileURLToPath(new URL('../src/lib/api/vocabularies.ts', import.meta.url));

const banner = `${COMMENT_HEADER}// Generated from openapi/openapi.json by \`npm run generate:api\`; do not edit.\n\n`;

/**
 * The generated file's text for an OpenAPI document.
 * @param {object} document the parsed openapi.json
 */
export async function renderSchema(document) {
  const ast = await openapiTS(/** @type {any} */ (document), { alphabetize: false, exportType: false });
  return banner + astToString(ast);
}

/**
 * Vocabularies the document writes inline, in a property rather than as a named schema: the
 * exported name, where the enum is (a JSON pointer) and its type in schema.d.ts. Every named
 * enum schema (`ErrorCode`, `EventType`, `Locale`, …) is exported as well, without being listed.
 * @type {{ name: string, pointer: string, type: string }[]}
 */
export const inlineVocabularies = [
  { name: 'deliveryStatuses', pointer: '/components/schemas/DeliveryResponse/properties/status', type: "Schemas['DeliveryResponse']['status']" },
  { name: 'leadStatuses', pointer: '/components/schemas/LeadResponse/properties/status', type: "Schemas['LeadResponse']['status']" },
  { name: 'leadSources', pointer: '/components/schemas/LeadInput/properties/source', type: "Schemas['LeadResponse']['source']" },
  {
    name: 'disqualifyReasons',
    pointer: '/components/schemas/DisqualifyLeadRequest/properties/reason',
    type: "Schemas['DisqualifyLeadRequest']['reason']",
  },
  { name: 'activityKinds', pointer: '/components/schemas/ActivityResponse/properties/kind', type: "Schemas['ActivityResponse']['kind']" },
  { name: 'activityPriorities', pointer: '/components/schemas/ActivityResponse/properties/priority', type: "Schemas['ActivityResponse']['priority']" },
  { name: 'apiKeyScopes', pointer: '/components/schemas/CreateApiKeyRequest/properties/scopes/items', type: "Schemas['ApiKeyResponse']['scopes'][number]" },
  {
    name: 'fieldEntities',
    pointer: '/components/schemas/CreateFieldDefinitionRequest/properties/entity',
    type: "Schemas['FieldDefinitionResponse']['entity']",
  },
  { name: 'fieldKinds', pointer: '/components/schemas/CreateFieldDefinitionRequest/properties/kind', type: "Schemas['FieldDefinitionResponse']['kind']" },
  { name: 'quoteStatuses', pointer: '/components/schemas/QuoteResponse/properties/status', type: "Schemas['QuoteResponse']['status']" },
  { name: 'invoiceStatuses', pointer: '/components/schemas/InvoiceResponse/properties/status', type: "Schemas['InvoiceResponse']['status']" },
  { name: 'paymentMethods', pointer: '/components/schemas/RecordPaymentRequest/properties/method', type: "Schemas['RecordPaymentRequest']['method']" },
  {
    name: 'rialDisplays',
    pointer: '/components/schemas/DocumentSettingsResponse/properties/rial_display',
    type: "Schemas['DocumentSettingsResponse']['rial_display']",
  },
];

/** Export names of named enum schemas where the plural rule below reads badly. */
const namedOverrides = { ComparisonDto: 'comparisons' };

/** `EventType` → `eventTypes`, `Visibility` → `visibilities`, `DealStatus` → `dealStatuses`. */
function exportName(schemaName) {
  if (schemaName in namedOverrides) return namedOverrides[schemaName];
  const camel = schemaName[0].toLowerCase() + schemaName.slice(1);
  if (/[^aeiou]y$/.test(camel)) return `${camel.slice(0, -1)}ies`;
  if (/(s|x|sh|ch)$/.test(camel)) return `${camel}es`;
  return `${camel}s`;
}

function resolve(document, pointer) {
  return pointer
    .split('/')
    .slice(1)
    .reduce((node, part) => (node === undefined ? undefined : node[part.replaceAll('~1', '/').replaceAll('~0', '~')]), document);
}

/**
 * Every closed vocabulary of the document: its named enum schemas, then the inline ones above.
 * @param {any} document the parsed openapi.json
 * @returns {{ name: string, type: string, values: (string | number)[], description: string | undefined, source: string }[]}
 */
export function vocabulariesOf(document) {
  const named = Object.entries(document.components.schemas)
    .filter(([, schema]) => Array.isArray(schema.enum))
    .map(([schemaName, schema]) => ({
      name: exportName(schemaName),
      type: `Schemas['${schemaName}']`,
      values: schema.enum,
      description: schema.description,
      source: `components.schemas.${schemaName}`,
    }));
  const inline = inlineVocabularies.map(({ name, pointer, type }) => {
    const schema = resolve(document, pointer);
    if (!schema || !Array.isArray(schema.enum)) {
      throw new Error(`openapi/openapi.json has no enum at ${pointer} (the vocabulary \`${name}\`): update inlineVocabularies in web/scripts/api-client.mjs`);
    }
    return { name, type, values: schema.enum, description: schema.description, source: pointer.slice(1).replaceAll('/', '.') };
  });
  const names = new Set();
  for (const { name } of [...named, ...inline]) {
    if (names.has(name)) throw new Error(`two vocabularies are named \`${name}\`: rename one in web/scripts/api-client.mjs`);
    names.add(name);
  }
  return [...named, ...inline];
}

/** A value as a TypeScript literal, in single quotes like the rest of the source. */
function literal(value) {
  return typeof value === 'number' ? String(value) : `'${String(value).replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/**
 * The vocabularies module's text: one `const` array per vocabulary, in the document's order,
 * checked at compile time against the type schema.d.ts has for it (no value missing, none extra).
 * Formatted by Prettier with the project's settings, like the hand-written source.
 * @param {object} document the parsed openapi.json
 */
export async function renderVocabularies(document) {
  const lines = [
    '// Generated from openapi/openapi.json by `npm run generate:api`; do not edit.',
    '// The closed vocabularies of the API as values, for lists, pickers and runtime checks; their',
    "// types are schema.d.ts's. A value the API adds appears here when the client is regenerated.",
    "import type { components } from './schema';",
    '',
    "type Schemas = components['schemas'];",
    '',
    '/** Returns `values`, provided they are every member of `T` (a missing one does not compile). */',
    'function every<T extends string | number>() {',
    '  return <const V extends readonly T[]>(values: V & ([T] extends [V[number]] ? unknown : never)): V => values;',
    '}',
    '',
    '/** Whether `value` is one of `values`: for input from URLs, form fields and other servers. */',
    'export function isOneOf<T extends string | number>(values: readonly T[], value: unknown): value is T {',
    '  return (values as readonly unknown[]).includes(value);',
    '}',
  ];
  for (const vocabulary of vocabulariesOf(document)) {
    const about = vocabulary.description?.replace(/\s+/g, ' ').replaceAll('*/', '* /').trim();
    lines.push('', about ? `/** ${about} (\`${vocabulary.source}\`) */` : `/** \`${vocabulary.source}\` */`);
    lines.push(`export const ${vocabulary.name} = every<${vocabulary.type}>()([`);
    for (const value of vocabulary.values) lines.push(`  ${literal(value)},`);
    lines.push(']);');
  }
  const options = await resolveConfig(vocabulariesPath);
  return format(`${lines.join('\n')}\n`, { ...options, filepath: vocabulariesPath });
}

/** The generated files, each with its text for the committed document. */
async function expectedFiles() {
  const document = JSON.parse(await readFile(specPath, 'utf8'));
  return [
    { path: outputPath, relative: 'web/src/lib/api/schema.d.ts', text: await renderSchema(document) },
    { path: vocabulariesPath, relative: 'web/src/lib/api/vocabularies.ts', text: await renderVocabularies(document) },
  ];
}

/** The generated files (repository-relative) that differ from what the committed document generates. */
export async function staleFiles() {
  const stale = [];
  for (const file of await expectedFiles()) {
    const actual = await readFile(file.path, 'utf8').catch(() => '');
    if (actual !== file.text) stale.push(file.relative);
  }
  return stale;
}

/** Whether every committed generated file is what the committed document generates. */
export async function isUpToDate() {
  return (await staleFiles()).length === 0;
}

async function main() {
  if (process.argv.includes('--check')) {
    const stale = await staleFiles();
    if (stale.length > 0) {
      for (const file of stale) {
        console.error(`${file} is not up to date with openapi/openapi.json: run \`npm run generate:api\` in web/ and commit the result`);
      }
      process.exit(1);
    }
    console.log('web/src/lib/api/schema.d.ts and vocabularies.ts are up to date');
    return;
  }
  for (const file of await expectedFiles()) {
    await writeFile(file.path, file.text);
    console.log(`wrote ${file.relative}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
