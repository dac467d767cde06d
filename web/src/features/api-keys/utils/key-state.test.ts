import { describe, expect, it } from 'vitest';
import { expiryOf, keyState } from './key-state';

const now = new Date('2026-12-05T12:00:00Z');

describe('keyState', () => {
  it('tells a working key from a revoked or expired one', () => {
    expect(keyState({ revoked_at: null, expires_at: null }, now)).toBe('active');
    expect(keyState({ revoked_at: null, expires_at: '2026-12-06T00:00:00Z' }, now)).toBe('active');
    expect(keyState({ revoked_at: null, expires_at: '2026-12-05T12:00:00Z' }, now)).toBe('expired');
    expect(keyState({ revoked_at: '2026-12-01T00:00:00Z', expires_at: '2026-12-02T00:00:00Z' }, now)).toBe('revoked');
  });
});

describe('expiryOf', () => {
  it('counts whole days from now, or none', () => {
    expect(expiryOf('never', now)).toBeNull();
    expect(expiryOf('30', now)).toBe('2027-01-04T12:00:00.000Z');
    expect(expiryOf('365', now)).toBe('2027-12-05T12:00:00.000Z');
  });
});
