import { describe, expect, it } from 'vitest';
import { suggestPassword } from './suggest-password';

describe('suggestPassword', () => {
  it('gives 16 readable characters, above the policy’s minimum of 10', () => {
    const password = suggestPassword();
    expect(password).toMatch(/^[a-km-zA-HJ-NP-Z2-9]{16}$/);
  });

  it('skips bytes past the last whole round of the alphabet instead of favouring its start', () => {
    const bytes = [255, 254, ...Array.from({ length: 30 }, (_, index) => index)];
    let call = 0;
    const password = suggestPassword((buffer) => {
      buffer.forEach((_, index) => (buffer[index] = bytes[(call * buffer.length + index) % bytes.length]!));
      call += 1;
      return buffer;
    });
    expect(password.startsWith('abcdefghijkmnpqr')).toBe(true);
  });

  it('differs from one call to the next', () => {
    expect(suggestPassword()).not.toBe(suggestPassword());
  });
});
