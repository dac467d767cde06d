import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importAvailable } from './customer-import';

const spec = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../../openapi/openapi.json', import.meta.url)), 'utf8')) as {
  paths: Record<string, unknown>;
};

describe('import availability', () => {
  it('offers an import exactly where the API has one (flip `importAvailable` when the schema gains it)', () => {
    expect(importAvailable.contact).toBe('/api/v1/contacts/import' in spec.paths);
    expect(importAvailable.organization).toBe('/api/v1/organizations/import' in spec.paths);
  });
});
