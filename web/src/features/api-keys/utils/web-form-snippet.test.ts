import { describe, expect, it } from 'vitest';
import { keyPlaceholder, webFormSnippet } from './web-form-snippet';

describe('webFormSnippet', () => {
  it('posts to the intake endpoint of this server with the key', () => {
    const snippet = webFormSnippet({ origin: 'https://crm.example.com', key: 'kz_abc_def', language: 'en' });
    expect(snippet).toContain('fetch("https://crm.example.com/api/v1/intake/leads"');
    expect(snippet).toContain('authorization: "Bearer kz_abc_def"');
    expect(snippet).toContain('<input name="email" type="email"');
    expect(snippet).not.toContain('dir="rtl"');
  });

  it('stands in a placeholder for a key not yet made, and speaks Persian right to left', () => {
    const snippet = webFormSnippet({ origin: 'https://crm.example.com', key: '', language: 'fa' });
    expect(snippet).toContain(`Bearer ${keyPlaceholder}`);
    expect(snippet).toContain('<form id="kariz-lead-form" dir="rtl">');
    expect(snippet).toContain('<button type="submit">ارسال</button>');
  });

  it('keeps a key with quotes from breaking out of its string', () => {
    const snippet = webFormSnippet({ origin: 'https://crm.example.com', key: 'kz_"</script>', language: 'en' });
    expect(snippet).toContain('"Bearer kz_\\"\\u003c/script>"');
    expect(snippet.match(/<\/script>/g)).toHaveLength(1);
  });
});
