import type { ApiKey } from '../api/api-keys';

export type KeyState = 'active' | 'revoked' | 'expired';

/** Whether a key still works: revoked wins over expired, as revoking is what someone did. */
export function keyState(key: Pick<ApiKey, 'revoked_at' | 'expires_at'>, now: Date = new Date()): KeyState {
  if (key.revoked_at) return 'revoked';
  if (key.expires_at && new Date(key.expires_at) <= now) return 'expired';
  return 'active';
}

/** How long a new key lasts: the choices offered, in days (`never` for no end). */
export const lifetimes = ['never', '30', '90', '365'] as const;
export type Lifetime = (typeof lifetimes)[number];

/** The `expires_at` a lifetime asks for, counted from `now`. */
export function expiryOf(lifetime: Lifetime, now: Date = new Date()): string | null {
  if (lifetime === 'never') return null;
  return new Date(now.getTime() + Number(lifetime) * 24 * 60 * 60 * 1000).toISOString();
}
