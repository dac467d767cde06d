// @vitest-environment jsdom
// The summary a bulk action ends with: how many records changed, and why each other one did not.
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../../locales/en';
import { fa } from '../../../locales/fa';
import { translate } from '../../../lib/i18n/translate';
import type { Translate } from '../../../lib/i18n/use-i18n';
import type { BulkResult } from '../api/bulk';
import { BulkSummary } from './bulk-summary';

const english: Translate = (key, params) => translate(en, 'en', key, params);
const persian: Translate = (key, params) => translate(fa, 'fa', key, params);

const results: BulkResult[] = [
  ...Array.from({ length: 12 }, (_, index) => ({ id: `ok-${index}`, status: 'ok' as const })),
  { id: 'l1', status: 'conflict', code: 'lead_qualified' },
  { id: 'l2', status: 'not_found' },
];
const names: Record<string, string> = { l1: 'Sara Ahmadi', l2: 'Reza Karimi' };

describe('BulkSummary', () => {
  afterEach(cleanup);

  it('says how many were done and failed, with each failure’s reason', () => {
    render(<BulkSummary results={results} nameOf={(id) => names[id] ?? id} t={english} onDismiss={() => {}} />);
    expect(screen.getByRole('status').querySelector('.bulk-summary__counts')?.textContent).toBe('12 done, 2 failed');
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      `Sara Ahmadi: ${en.errors.codes.lead_qualified}`,
      `Reza Karimi: ${en.bulk.status.notFound}`,
    ]);
  });

  it('lists no failures when everything was done, and names a record by its id without a name', () => {
    const { rerender } = render(<BulkSummary results={results.slice(0, 3)} t={english} onDismiss={() => {}} />);
    expect(screen.getByRole('status').textContent).toContain('3 done');
    expect(screen.queryAllByRole('listitem')).toEqual([]);
    rerender(<BulkSummary results={[{ id: 'l9', status: 'invalid' }]} t={english} onDismiss={() => {}} />);
    expect(screen.getByRole('listitem').textContent).toBe(`l9: ${en.bulk.status.invalid}`);
  });

  it('counts in Persian digits', () => {
    render(<BulkSummary results={results} t={persian} onDismiss={() => {}} />);
    expect(screen.getByRole('status').querySelector('.bulk-summary__counts')?.textContent).toBe('۱۲ مورد انجام شد، ۲ مورد نشد');
  });

  it('is dismissed by its button', () => {
    const onDismiss = vi.fn();
    render(<BulkSummary results={results} t={english} onDismiss={onDismiss} />);
    fireEvent.click(screen.getByRole('button', { name: en.common.dismiss }));
    expect(onDismiss).toHaveBeenCalledOnce();
  });
});
