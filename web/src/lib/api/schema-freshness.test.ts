// The generated client must follow openapi/openapi.json: `npm run check:api` (part of `npm test`)
// fails when the document changes and the client is not regenerated. This proves the check bites,
// for the types (schema.d.ts) and for the vocabularies' values (vocabularies.ts).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  isUpToDate,
  outputPath,
  renderSchema,
  renderVocabularies,
  specPath,
  vocabulariesOf,
  vocabulariesPath,
  // @ts-expect-error: a plain ES module script without type declarations
} from '../../../scripts/api-client.mjs';
import { errorCodes, eventTypes, leadSources } from './vocabularies';

const readDocument = async () => JSON.parse(await readFile(specPath, 'utf8'));

describe('the generated API client', () => {
  it('matches the committed OpenAPI document', async () => {
    expect(await isUpToDate()).toBe(true);
  });

  it('no longer matches once the document changes', async () => {
    const document = await readDocument();
    document.components.schemas.DealResponse.properties.organization_name = { type: ['string', 'null'] };
    const committed = await readFile(outputPath, 'utf8');
    const regenerated: string = await renderSchema(document);
    expect(regenerated).not.toBe(committed);
    expect(regenerated).toContain('organization_name');
  }, 20_000);
});

describe('the generated vocabularies', () => {
  it('hold every value of the named and inline enums, in the document’s order', async () => {
    const document = await readDocument();
    expect([...eventTypes]).toEqual(document.components.schemas.EventType.enum);
    expect([...errorCodes]).toEqual(document.components.schemas.ErrorCode.enum);
    expect([...leadSources]).toEqual(document.components.schemas.LeadInput.properties.source.enum);
    const named = Object.entries(document.components.schemas).filter(([, schema]) => Array.isArray((schema as { enum?: unknown }).enum));
    const sources = (vocabulariesOf(document) as { source: string }[]).map((vocabulary) => vocabulary.source);
    for (const [name] of named) expect(sources).toContain(`components.schemas.${name}`);
  });

  it('no longer match once a value is added to the document', async () => {
    const document = await readDocument();
    document.components.schemas.EventType.enum.push('invoice.paid');
    document.components.schemas.LeadInput.properties.source.enum.push('podcast');
    const committed = await readFile(vocabulariesPath, 'utf8');
    const regenerated: string = await renderVocabularies(document);
    expect(regenerated).not.toBe(committed);
    expect(regenerated).toContain("'invoice.paid'");
    expect(regenerated).toContain("'podcast'");
  });

  it('name the inline enum that moved instead of generating an empty list', async () => {
    const document = await readDocument();
    delete document.components.schemas.DeliveryResponse.properties.status.enum;
    expect(() => vocabulariesOf(document)).toThrow(/no enum at \/components\/schemas\/DeliveryResponse\/properties\/status/);
  });
});
