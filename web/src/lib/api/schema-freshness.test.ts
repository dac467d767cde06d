// The generated client must follow openapi/openapi.json: `npm run check:api` (part of `npm test`)
// fails when the document changes and the client is not regenerated. This proves the check bites.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without type declarations
import { isUpToDate, outputPath, renderSchema, specPath } from '../../../scripts/api-client.mjs';

describe('the generated API client', () => {
  it('matches the committed OpenAPI document', async () => {
    expect(await isUpToDate()).toBe(true);
  });

  it('no longer matches once the document changes', async () => {
    const document = JSON.parse(await readFile(specPath, 'utf8'));
    document.components.schemas.DealResponse.properties.organization_name = { type: ['string', 'null'] };
    const committed = await readFile(outputPath, 'utf8');
    const regenerated: string = await renderSchema(document);
    expect(regenerated).not.toBe(committed);
    expect(regenerated).toContain('organization_name');
  }, 20_000);
});
