// @vitest-environment jsdom
// The files section: an upload the server refuses for want of room (or for its size) is said in
// words naming the file, and a file over 25 MB is not sent at all.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { localeStore } from '../../../lib/i18n/locale-store';
import { AttachmentsSection } from './attachments-section';

const problem = (status: number, code: string) =>
  new Response(JSON.stringify({ type: 'about:blank', title: 'Refused', status, code, detail: 'refused' }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });

describe('AttachmentsSection', () => {
  let uploads: number;
  let refusal: string;

  beforeEach(() => {
    uploads = 0;
    refusal = 'storage_quota_exceeded';
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: Request) => {
        if (input.method === 'POST') {
          uploads++;
          return problem(413, refusal);
        }
        return new Response(JSON.stringify({ data: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
      }),
    );
  });

  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
    localeStore.setLocale('en');
  });

  function renderSection() {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } })}>
        <AttachmentsSection link={{ contact_id: 'c1' }} />
      </QueryClientProvider>,
    );
    return screen.getByTestId('file-input');
  }

  const pick = (input: HTMLElement, file: File) => fireEvent.change(input, { target: { files: [file] } });

  it('says the workspace has no room left, naming the file', async () => {
    const input = renderSection();
    await screen.findByText('No files yet.');
    pick(input, new File(['quote'], 'quote.pdf', { type: 'application/pdf' }));
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      '“quote.pdf” was not kept: the workspace has no room left for files. Delete some files first.',
    );
    expect(uploads).toBe(1);
  });

  it('says a file is too large when the server refuses its size, in Persian too', async () => {
    refusal = 'payload_too_large';
    localeStore.setLocale('fa');
    const input = renderSection();
    pick(input, new File(['scan'], 'scan.pdf'));
    expect((await screen.findByRole('alert')).textContent).toBe('«scan.pdf» بزرگ‌تر از ۲۵ مگابایت است، بیشترین اندازهٔ یک پرونده.');
  });

  it('does not send a file over 25 MB', async () => {
    const input = renderSection();
    const big = new File(['x'], 'big.zip');
    Object.defineProperty(big, 'size', { value: 25 * 1024 * 1024 + 1 });
    pick(input, big);
    expect((await screen.findByRole('alert')).textContent).toBe('“big.zip” is larger than 25 MB, the most a file may be.');
    expect(uploads).toBe(0);
  });
});
