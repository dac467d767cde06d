// @vitest-environment jsdom
// The contact form against a stubbed API: a stale save says so and keeps the user's edits, the
// server's field errors show under their fields; and an organization's people link to them.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../../lib/i18n/locale-store';
import type { Contact } from '../utils/customer-form';
import { ContactForm } from './contact-form';
import { OrganizationPeople } from './organization-people';

const contact: Contact = {
  id: 'c1',
  name: 'Sara Ahmadi',
  email: 'sara@example.com',
  organization_id: 'o1',
  tags: [],
  custom_fields: {} as Contact['custom_fields'],
  important_dates: [],
  version: 3,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': status < 300 ? 'application/json' : 'application/problem+json' } });

type Handler = (request: Request, url: URL) => Response | undefined;

describe('customer components', () => {
  let requests: { method: string; path: string; body: string; ifMatch: string | null }[];
  let handler: Handler;

  beforeEach(() => {
    requests = [];
    handler = () => undefined;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request) => {
        const url = new URL(input.url);
        requests.push({ method: input.method, path: `${url.pathname}${url.search}`, body: await input.clone().text(), ifMatch: input.headers.get('if-match') });
        const answer = handler(input, url);
        if (answer) return answer;
        if (url.pathname === '/api/v1/custom-fields') {
          return json({
            data: [
              {
                id: 'f1',
                entity: 'contact',
                key: 'fleet_size',
                label: 'Fleet size',
                kind: 'number',
                options: [],
                required: false,
                created_at: contact.created_at,
              },
            ],
          });
        }
        if (url.pathname === '/api/v1/users') return json({ data: [] });
        if (url.pathname === '/api/v1/organizations') return json({ data: [], next_cursor: null });
        return json({ status: 404, title: 'Not found', code: 'not_found', detail: 'no' }, 404);
      }),
    );
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    localeStore.setLocale('en');
  });

  function renderWithProviders(children: ReactNode) {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>{children}</MemoryRouter>
      </QueryClientProvider>,
    );
  }

  it('sends only the change with the version read, and says so when someone else saved first', async () => {
    handler = (request) =>
      request.method === 'PATCH'
        ? json({ status: 412, title: 'Stale version', code: 'version_mismatch', detail: 'stale', current_version: 4 }, 412)
        : undefined;
    renderWithProviders(<ContactForm contact={contact} onCancel={() => undefined} onSaved={() => undefined} />);
    fireEvent.change(await screen.findByLabelText('Job title'), { target: { value: 'CEO' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await screen.findByText(/Someone else changed this while you were editing/);
    const patch = requests.find((request) => request.method === 'PATCH')!;
    expect(patch.path).toBe('/api/v1/contacts/c1');
    expect(patch.ifMatch).toBe('"3"');
    expect(JSON.parse(patch.body)).toEqual({ job_title: 'CEO' });
    expect((screen.getByLabelText('Job title') as HTMLInputElement).value).toBe('CEO');
  });

  it('shows the server’s field errors under their fields, custom fields included', async () => {
    handler = (request) =>
      request.method === 'PATCH'
        ? json(
            {
              status: 422,
              title: 'Validation failed',
              code: 'validation_failed',
              detail: 'invalid',
              errors: [
                { field: 'email', code: 'invalid', message: 'not a valid email address' },
                { field: 'custom_fields.fleet_size', code: 'invalid', message: 'must be at most 1000' },
              ],
            },
            422,
          )
        : undefined;
    renderWithProviders(<ContactForm contact={contact} onCancel={() => undefined} onSaved={() => undefined} />);
    fireEvent.change(await screen.findByLabelText('Email'), { target: { value: 'sara@' } });
    fireEvent.change(screen.getByLabelText(/Fleet size/), { target: { value: '۱۲۰۰' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    // Each field's problem in the user's language, by its field and code.
    await screen.findByText('Enter an email address such as name@example.com.');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('This value is not valid here.')).toBeTruthy();
    const patch = requests.find((request) => request.method === 'PATCH')!;
    expect(JSON.parse(patch.body)).toEqual({ email: 'sara@', custom_fields: { fleet_size: 1200 } });
  });

  it('lists an organization’s people, linked to each, in Persian too', async () => {
    localeStore.setLocale('fa');
    handler = (_, url) =>
      url.pathname === '/api/v1/contacts' ? json({ data: [{ ...contact, name: 'سارا احمدی', job_title: 'مدیرعامل' }], next_cursor: null }) : undefined;
    renderWithProviders(<OrganizationPeople organizationId="o1" />);
    const people = await screen.findByTestId('organization-people');
    const link = await within(people).findByRole('link', { name: 'سارا احمدی' });
    expect(link.getAttribute('href')).toBe('/contacts/c1');
    expect(within(people).getByRole('heading').textContent).toBe('افراد');
    await waitFor(() => expect(requests.some((request) => request.path === '/api/v1/contacts?limit=50&organization_id=o1&sort=name')).toBe(true));
  });
});
