// @vitest-environment jsdom
// The saved-views picker: personal and shared views in two groups, the one on screen selected,
// choosing one applies it, and "Save view…" sends the current filters.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SavedView } from '../../../lib/api/types';
import { SavedViews } from './saved-views';

const view = (patch: Partial<SavedView>): SavedView => ({
  id: 'v',
  entity: 'leads',
  name: 'v',
  filters: {},
  sort: null,
  shared: false,
  owner_id: 'me',
  version: 1,
  created_at: '2026-12-05T10:00:00Z',
  updated_at: '2026-12-05T10:00:00Z',
  ...patch,
});

const views = [
  view({ id: 'v1', name: 'VIP leads', filters: { status: 'open', tag: 'vip' } }),
  view({ id: 'v2', name: 'Website', filters: { source: 'website' }, shared: true, owner_id: 'other' }),
];

describe('SavedViews', () => {
  let posted: unknown[];

  beforeAll(() => {
    // jsdom has no <dialog> methods.
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
      this.open = true;
    };
    HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
      this.open = false;
    };
  });

  beforeEach(() => {
    posted = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (request: Request) => {
        const path = new URL(request.url).pathname;
        const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
        if (path === '/api/v1/me') return json({ user: { id: 'me', role: 'member' }, workspace: {} });
        if (request.method === 'POST') {
          posted.push(await request.json());
          return json(view({ id: 'v3', name: 'New' }), 201);
        }
        return json({ data: views, next_cursor: null });
      }),
    );
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  function renderViews(current: Record<string, string>, onApply = vi.fn()) {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <SavedViews entity="leads" current={{ filters: current, sort: null }} onApply={onApply} />
      </QueryClientProvider>,
    );
    return onApply;
  }

  it('groups personal and shared views and selects the one on screen', async () => {
    renderViews({ tag: 'vip', status: 'open' });
    const picker = screen.getByRole('combobox', { name: 'Saved view' }) as HTMLSelectElement;
    await waitFor(() => expect(picker.value).toBe('v1'));
    const groups = picker.querySelectorAll('optgroup');
    expect([...groups].map((group) => [group.label, group.textContent])).toEqual([
      ['My views', 'VIP leads'],
      ['Shared views', 'Website'],
    ]);
    // The creator may change it: its actions are offered.
    expect(screen.getByRole('button', { name: 'Saved view actions' })).toBeTruthy();
  });

  it('applies a chosen view', async () => {
    const onApply = renderViews({ status: 'open' });
    const picker = screen.getByRole('combobox', { name: 'Saved view' });
    await within(picker).findByText('Website');
    fireEvent.change(picker, { target: { value: 'v2' } });
    expect(onApply).toHaveBeenCalledWith(views[1]);
  });

  it('saves the current filters under a name, shared when ticked', async () => {
    renderViews({ status: 'open', q: 'pars' });
    fireEvent.click(screen.getByRole('button', { name: 'Save view…' }));
    const form = screen.getByTestId('view-form');
    fireEvent.change(within(form).getByLabelText('Name'), { target: { value: ' Pars ' } });
    fireEvent.click(within(form).getByLabelText('Share with everyone in the workspace'));
    fireEvent.submit(form);
    await waitFor(() => expect(posted).toEqual([{ name: 'Pars', shared: true, filters: { status: 'open', q: 'pars' }, sort: null, entity: 'leads' }]));
  });
});
