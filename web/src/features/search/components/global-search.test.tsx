// @vitest-environment jsdom
// The header's search box: typing asks the API (once the typing pauses), the hits show grouped
// by kind, the arrows move the highlight and Enter opens the highlighted deal.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../../lib/i18n/locale-store';
import { GlobalSearch } from './global-search';

const hits = [
  { type: 'deal', id: 'd1', title: 'Pars ERP', subtitle: 'Proposal', pipeline_id: 'p1' },
  { type: 'contact', id: 'c1', title: 'کریم', subtitle: '+989121234567' },
  { type: 'lead', id: 'l1', title: 'Parsa', subtitle: null },
];

describe('GlobalSearch', () => {
  let queries: string[];

  beforeEach(() => {
    queries = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request | URL) => {
        const request = input instanceof Request ? input : new Request(input);
        queries.push(new URL(request.url).searchParams.get('q') ?? '');
        return new Response(JSON.stringify({ data: hits }), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    localeStore.setLocale('en');
  });

  function renderSearch() {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter initialEntries={['/']}>
          <GlobalSearch />
          <Routes>
            <Route path="/" element={<p>Home</p>} />
            <Route path="/pipelines/:pipelineId/deals/:dealId" element={<p>Deal drawer</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
    return screen.getByRole('combobox');
  }

  it('lists hits grouped by kind and opens the highlighted deal with Enter', async () => {
    localeStore.setLocale('en');
    const box = renderSearch();
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: ' pars ' } });
    const options = await screen.findAllByRole('option');
    expect(queries).toEqual(['pars']);
    expect(options.map((o) => o.textContent)).toEqual(['Pars ERPProposal', 'Parsa', 'کریم+989121234567']);
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(
      screen.getAllByRole('group').map((g) => g.getAttribute('aria-labelledby') && document.getElementById(g.getAttribute('aria-labelledby')!)?.textContent),
    ).toEqual(['Deals', 'Leads', 'Contacts']);
    // A contact opens its page, like the other kinds.
    expect(options[2]!.getAttribute('aria-disabled')).toBeNull();

    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowDown' });
    fireEvent.keyDown(box, { key: 'ArrowUp' });
    expect(box.getAttribute('aria-activedescendant')).toBe(options[0]!.id);
    expect(options[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box, { key: 'Enter' });
    await screen.findByText('Deal drawer');
    expect(box.getAttribute('aria-expanded')).toBe('false');
  });

  it('closes with Escape and shows Persian digits in Persian', async () => {
    localeStore.setLocale('fa');
    const box = renderSearch();
    fireEvent.focus(box);
    fireEvent.change(box, { target: { value: 'كريم' } });
    await screen.findByText('+۹۸۹۱۲۱۲۳۴۵۶۷');
    expect(queries).toEqual(['كريم']);
    fireEvent.keyDown(box, { key: 'Escape' });
    await waitFor(() => expect(box.getAttribute('aria-expanded')).toBe('false'));
  });
});
