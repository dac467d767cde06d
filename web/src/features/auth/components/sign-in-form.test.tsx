// @vitest-environment jsdom
// Signing in with an email and password that open accounts in two workspaces: the form lists the
// workspaces the server names and signs in to the one chosen.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../../lib/i18n/locale-store';
import { tokenStore } from '../../../lib/session/token-store';
import { SignInForm } from './sign-in-form';

const pars = { id: '0190a0c2-0000-7000-8000-000000000001', name: 'Pars Trading' };
const caspian = { id: '0190a0c2-0000-7000-8000-000000000002', name: 'کاسپین' };

function json(status: number, body: unknown, contentType = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': contentType } });
}

const choiceRequired = () =>
  json(
    409,
    {
      type: 'urn:kariz:problem:conflict',
      code: 'workspace_choice_required',
      title: 'Conflict',
      status: 409,
      detail: 'choose a workspace',
      request_id: 'r1',
      workspaces: [pars, caspian],
    },
    'application/problem+json',
  );

const signedIn = (workspace: { id: string; name: string }) =>
  json(200, {
    access_token: 'access',
    token_type: 'Bearer',
    expires_in: 900,
    refresh_expires_in: 2_592_000,
    user: {
      id: 'u1',
      workspace_id: workspace.id,
      email: 'sara@pars.example',
      name: 'Sara',
      role: 'admin',
      locale: 'en',
      active: true,
      created_at: '2026-01-01T00:00:00Z',
    },
    workspace: {
      ...workspace,
      default_currency: 'IRR',
      locale: 'en',
      deal_visibility: 'everyone',
      lead_visibility: 'everyone',
      created_at: '2026-01-01T00:00:00Z',
    },
  });

describe('SignInForm', () => {
  let bodies: Record<string, unknown>[];
  let answers: (() => Response)[];

  beforeEach(() => {
    localeStore.setLocale('en');
    bodies = [];
    answers = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request | URL) => {
        const request = input instanceof Request ? input : new Request(input);
        bodies.push((await request.json()) as Record<string, unknown>);
        return (answers.shift() ?? (() => json(500, {})))();
      }),
    );
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { mutations: { retry: false } } })}>
        <MemoryRouter initialEntries={['/sign-in']}>
          <Routes>
            <Route path="/sign-in" element={<SignInForm />} />
            <Route path="/" element={<p>Signed in</p>} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>,
    );
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    tokenStore.clear();
  });

  const signInAs = (email: string, password: string) => {
    fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
  };

  it('asks which workspace when the password opens several, and signs in to the one chosen', async () => {
    answers.push(choiceRequired, () => signedIn(caspian));
    signInAs('sara@pars.example', 'correct horse battery');
    await screen.findByRole('heading', { name: 'Choose a workspace' });
    const options = screen.getAllByRole('button', { name: /^Sign in to / }).map((button) => button.textContent);
    expect(options).toEqual(['Pars Trading', 'کاسپین']);

    fireEvent.click(screen.getByRole('button', { name: 'Sign in to کاسپین' }));
    await screen.findByText('Signed in');
    expect(bodies).toEqual([
      { email: 'sara@pars.example', password: 'correct horse battery' },
      { email: 'sara@pars.example', password: 'correct horse battery', workspace_id: caspian.id },
    ]);
    expect(tokenStore.get()?.accessToken).toBe('access');
  });

  it('goes back to the form, keeping the email and not the password', async () => {
    answers.push(choiceRequired);
    signInAs('sara@pars.example', 'correct horse battery');
    await screen.findByRole('heading', { name: 'Choose a workspace' });
    fireEvent.click(screen.getByRole('button', { name: 'Use another email or password' }));
    await screen.findByRole('heading', { name: 'Sign in to Kariz' });
    expect((screen.getByLabelText('Email') as HTMLInputElement).value).toBe('sara@pars.example');
    expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe('');
  });

  it('says so when the chosen workspace refuses, and keeps the choice', async () => {
    const refused = () =>
      json(
        401,
        { type: 'urn:kariz:problem:unauthenticated', code: 'credentials_refused', title: 'x', status: 401, detail: 'no', request_id: 'r2' },
        'application/problem+json',
      );
    answers.push(choiceRequired, refused);
    signInAs('sara@pars.example', 'correct horse battery');
    fireEvent.click(await screen.findByRole('button', { name: 'Sign in to Pars Trading' }));
    await screen.findByRole('alert');
    expect(screen.getByRole('alert').textContent).toContain('don’t match an account');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Sign in to کاسپین' })).toBeTruthy());
  });
});
