// @vitest-environment jsdom
// The bulk bar: pick an action and its choice, confirm a delete, send it, read the summary.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../../locales/en';
import type { BulkResult } from '../api/bulk';
import { BulkBar, type BulkContext } from './bulk-bar';

const context: BulkContext = {
  actions: ['assign', 'tag', 'untag', 'disqualify', 'delete'],
  members: [{ id: 'u1', name: 'Sara Ahmadi' }],
  reasons: [{ value: 'no_budget', label: 'No budget' }],
  nameOf: (id) => ({ l1: 'Reza Karimi', l2: 'Mina Rahimi' })[id] ?? id,
};

describe('BulkBar', () => {
  let requests: { url: string; body: unknown }[];
  let answer: { results: BulkResult[] };

  beforeEach(() => {
    requests = [];
    answer = { results: [] };
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request) => {
        requests.push({ url: new URL(input.url).pathname, body: await input.json() });
        return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  function renderBar(onDone = vi.fn(), selectedIds = ['l1', 'l2'], entity: 'leads' | 'deals' = 'leads') {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    render(
      <QueryClientProvider client={queryClient}>
        <BulkBar entity={entity} selectedIds={selectedIds} onClear={() => {}} onDone={onDone} context={context} />
      </QueryClientProvider>,
    );
    return { invalidate };
  }

  it('shows nothing without a selection', () => {
    renderBar(vi.fn(), []);
    expect(screen.queryByRole('region')).toBeNull();
  });

  it('asks for a tag, sends it for every selected lead and sums up, refetching the inbox', async () => {
    answer = {
      results: [
        { id: 'l1', status: 'ok', version: 3 },
        { id: 'l2', status: 'ok', version: 2 },
      ],
    };
    const onDone = vi.fn();
    const { invalidate } = renderBar(onDone);
    expect(screen.getByText('2 selected')).toBeTruthy();
    const apply = screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(true);
    fireEvent.change(screen.getByRole('combobox', { name: 'Action' }), { target: { value: 'tag' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Tag' }), { target: { value: ' vip ' } });
    fireEvent.click(apply);
    await screen.findByText('2 done');
    expect(requests).toEqual([{ url: '/api/v1/leads/bulk', body: { ids: ['l1', 'l2'], action: { type: 'tag', tag: 'vip' } } }]);
    expect(onDone).toHaveBeenCalledWith(answer.results);
    await waitFor(() => expect(invalidate).toHaveBeenCalledWith({ queryKey: ['leads'] }));
  });

  it('untags the selected deals on the board, refetching it', async () => {
    answer = { results: [{ id: 'd1', status: 'ok', version: 4 }] };
    const { invalidate } = renderBar(vi.fn(), ['d1'], 'deals');
    fireEvent.change(screen.getByRole('combobox', { name: 'Action' }), { target: { value: 'untag' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'Tag' }), { target: { value: 'vip' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText('1 done');
    expect(requests).toEqual([{ url: '/api/v1/deals/bulk', body: { ids: ['d1'], action: { type: 'untag', tag: 'vip' } } }]);
    await waitFor(() => expect(invalidate).toHaveBeenCalledWith({ queryKey: ['board'] }));
  });

  it('confirms a delete first, then names each failure with its reason', async () => {
    answer = {
      results: [
        { id: 'l1', status: 'ok' },
        { id: 'l2', status: 'forbidden', code: 'forbidden' },
      ],
    };
    renderBar();
    fireEvent.change(screen.getByRole('combobox', { name: 'Action' }), { target: { value: 'delete' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert').textContent).toBe('Delete 2 leads? This can’t be undone.');
    expect(requests).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Delete 2 leads' }));
    await screen.findByText('1 done, 1 failed');
    expect(requests[0]?.body).toEqual({ ids: ['l1', 'l2'], action: { type: 'delete' } });
    expect(screen.getByRole('listitem').textContent).toBe(`Mina Rahimi: ${en.errors.codes.forbidden}`);
  });

  it('says what went wrong when the whole request is refused', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ type: 'about:blank', title: 'Forbidden', status: 403, code: 'forbidden', detail: 'no' }), {
            status: 403,
            headers: { 'content-type': 'application/problem+json' },
          }),
      ),
    );
    renderBar();
    fireEvent.change(screen.getByRole('combobox', { name: 'Action' }), { target: { value: 'disqualify' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Reason' }), { target: { value: 'no_budget' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    await screen.findByText(`Nothing was changed: ${en.errors.codes.forbidden}`);
  });
});
