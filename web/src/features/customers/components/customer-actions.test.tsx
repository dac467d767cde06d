// @vitest-environment jsdom
// A customer page's actions against a stubbed API: Edit saves into the cached record the page
// reads, Delete asks first and then leaves for the list; and the contacts table's checkboxes
// pick rows (with shift for a range) without opening the contact.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { useI18n } from '../../../lib/i18n/use-i18n';
import type { Contact, Organization } from '../utils/customer-form';
import { ContactsTable, type RowSelection } from './contacts-table';
import { CustomerRecordActions } from './customer-actions';

const contact: Contact = {
  id: 'c1',
  name: 'Sara Ahmadi',
  phone: '+98 912 000 0000',
  tags: [],
  custom_fields: {} as Contact['custom_fields'],
  important_dates: [],
  version: 3,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function Location() {
  return <p data-testid="location">{useLocation().pathname}</p>;
}

function Table({ selection }: { selection: RowSelection }) {
  const i18n = useI18n();
  return <ContactsTable contacts={[contact, { ...contact, id: 'c2', name: 'Reza Karimi' }]} i18n={i18n} onTag={() => undefined} selection={selection} />;
}

describe('customer record actions', () => {
  let requests: { method: string; path: string; body: string; ifMatch: string | null }[];
  let queryClient: QueryClient;

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
    requests = [];
    queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request) => {
        const url = new URL(input.url);
        const body = await input.clone().text();
        requests.push({ method: input.method, path: url.pathname, body, ifMatch: input.headers.get('if-match') });
        if (input.method === 'PATCH') return json({ ...contact, ...(JSON.parse(body) as object), version: 4 });
        if (input.method === 'DELETE') return new Response(null, { status: 204 });
        if (url.pathname === '/api/v1/custom-fields') return json({ data: [] });
        if (url.pathname === '/api/v1/users') return json({ data: [] });
        if (url.pathname === '/api/v1/me') return json({ workspace: { calendar: 'gregorian' } });
        return json({ data: [], next_cursor: null });
      }),
    );
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  /** `children` at `path`; any other place shows where the app went. */
  function renderAt(path: string, children: ReactNode) {
    render(
      <QueryClientProvider client={queryClient}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={path} element={children} />
            <Route path="*" element={<Location />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
  }

  it('edits the contact into the cached record the page reads', async () => {
    queryClient.setQueryData(['contact', 'c1'], contact);
    renderAt('/contacts/c1', <CustomerRecordActions customer={{ kind: 'contact', record: contact }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    fireEvent.change(await screen.findByLabelText('Phone'), { target: { value: '+98 912 555 1234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(queryClient.getQueryData<Contact>(['contact', 'c1'])?.phone).toBe('+98 912 555 1234'));
    const patch = requests.find((request) => request.method === 'PATCH')!;
    expect([patch.path, patch.ifMatch, JSON.parse(patch.body)]).toEqual(['/api/v1/contacts/c1', '"3"', { phone: '+98 912 555 1234' }]);
    await waitFor(() => expect(screen.queryByTestId('contact-form')).toBeNull());
  });

  it('edits an organization whose page has already read the custom fields (one cached answer for both)', async () => {
    const organization = {
      id: 'o1',
      name: 'Pars Logistics',
      tags: [],
      custom_fields: { size: 'big' },
      important_dates: [],
      contacts_count: 2,
      version: 5,
      created_at: contact.created_at,
      updated_at: contact.updated_at,
    } as unknown as Organization;
    const field = { id: 'f1', entity: 'organization', key: 'size', label: 'Size', kind: 'text', options: [], required: false, created_at: contact.created_at };
    // The customer page caches the API's whole answer under the same key.
    queryClient.setQueryData(['custom-fields', 'organization'], { data: [field] });
    renderAt('/organizations/o1', <CustomerRecordActions customer={{ kind: 'organization', record: organization }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const form = await screen.findByTestId('organization-form');
    expect((within(form).getByLabelText('Name') as HTMLInputElement).value).toBe('Pars Logistics');
    expect((within(form).getByLabelText(/Size/) as HTMLInputElement).value).toBe('big');
  });

  it('deletes only once confirmed, with the version read, then shows the list', async () => {
    renderAt('/contacts/c1', <CustomerRecordActions customer={{ kind: 'contact', record: contact }} />);
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = await screen.findByTestId('delete-customer');
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect((await screen.findByTestId('location')).textContent).toBe('/contacts');
    const remove = requests.find((request) => request.method === 'DELETE')!;
    expect([remove.path, remove.ifMatch]).toEqual(['/api/v1/contacts/c1', '"3"']);
  });

  it('picks rows by their checkboxes, shift for a range, without opening the contact', () => {
    const selection: RowSelection = { isSelected: (id) => id === 'c2', toggle: vi.fn(), toggleAll: vi.fn(), allSelected: false, someSelected: true };
    renderAt('/contacts', <Table selection={selection} />);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select “Sara Ahmadi”' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select “Reza Karimi”' }), { shiftKey: true });
    expect(vi.mocked(selection.toggle).mock.calls).toEqual([
      ['c1', false],
      ['c2', true],
    ]);
    // A click beside the box, in its cell, picks the row too and stays on the list.
    const cell = screen.getByRole('checkbox', { name: 'Select “Sara Ahmadi”' }).closest('label')!;
    fireEvent.click(cell);
    expect(vi.mocked(selection.toggle)).toHaveBeenCalledTimes(3);
    expect(screen.queryByTestId('location')).toBeNull();
    const all = screen.getByRole('checkbox', { name: 'Select all shown' }) as HTMLInputElement;
    expect(all.indeterminate).toBe(true);
    fireEvent.click(all);
    expect(selection.toggleAll).toHaveBeenCalledOnce();
    expect(screen.getAllByTestId('contact-row').map((row) => row.dataset.selected ?? null)).toEqual([null, 'true']);
    // A click elsewhere on the row opens the contact.
    fireEvent.click(screen.getAllByTestId('contact-row')[0]!.querySelector('td:last-child')!);
    expect(screen.getByTestId('location').textContent).toBe('/contacts/c1');
  });
});
