import type { TokenPair } from '../api/types';

/**
 * Where the session lives. The access token stays in memory only. The refresh token is never in
 * the page's reach: the server keeps it in an HttpOnly cookie sent only to its refresh and
 * sign-out routes (the SPA marks its requests with `X-Requested-With` to ask for that). What the
 * page keeps in localStorage is only a marker that a session exists, so that a reload (or a new
 * tab) knows to refresh, and so that tabs follow each other signing in and out.
 */
const sessionKey = 'kariz.session';
/** Where a refresh token used to be kept; read once to move an old session to the cookie. */
const legacyRefreshTokenKey = 'kariz.refresh-token';

export interface Session {
  accessToken: string | null;
  /** Epoch milliseconds after which the access token should be considered expired. */
  accessExpiresAt: number;
}

type Listener = () => void;

const sessionEndedKey = 'kariz.session-ended';

/** Whether the last session ended on its own (an expired or revoked refresh token), read once. */
export const sessionNote = {
  set() {
    try {
      sessionStorage.setItem(sessionEndedKey, '1');
    } catch {
      // No storage: the sign-in screen just won't explain.
    }
  },
  take(): boolean {
    try {
      const ended = sessionStorage.getItem(sessionEndedKey) === '1';
      sessionStorage.removeItem(sessionEndedKey);
      return ended;
    } catch {
      return false;
    }
  },
};

let current: Session | null = readStoredSession();
const listeners = new Set<Listener>();

function readStoredSession(): Session | null {
  const storage = safeStorage();
  const marked = storage?.getItem(sessionKey) === '1' || Boolean(storage?.getItem(legacyRefreshTokenKey));
  return marked ? { accessToken: null, accessExpiresAt: 0 } : null;
}

function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function emit() {
  for (const listener of listeners) listener();
}

export const tokenStore = {
  get(): Session | null {
    return current;
  },

  /**
   * A refresh token left in localStorage by an earlier version, taken (and removed) once so
   * that the next refresh moves it into the cookie.
   */
  takeLegacyRefreshToken(): string | null {
    const storage = safeStorage();
    const token = storage?.getItem(legacyRefreshTokenKey) ?? null;
    if (token) storage?.removeItem(legacyRefreshTokenKey);
    return token;
  },

  /** Adopts a fresh access token from sign-in, sign-up, a password change or a refresh. */
  set(pair: Pick<TokenPair, 'access_token' | 'expires_in'>) {
    current = {
      accessToken: pair.access_token,
      // Treat the token as expired a little early so requests never race its expiry.
      accessExpiresAt: Date.now() + Math.max(0, pair.expires_in - 20) * 1000,
    };
    safeStorage()?.setItem(sessionKey, '1');
    emit();
  },

  /** Forgets the session; `expired` leaves a note for the sign-in screen to explain why. */
  clear(reason: 'signed-out' | 'expired' = 'signed-out') {
    const hadSession = current !== null;
    current = null;
    safeStorage()?.removeItem(sessionKey);
    safeStorage()?.removeItem(legacyRefreshTokenKey);
    if (reason === 'expired' && hadSession) sessionNote.set();
    if (hadSession) emit();
  },

  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

// Another tab signed out (or in): follow it. The cookie is shared, so a new sign-in elsewhere
// is this tab's too; it fetches an access token when it next needs one.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== sessionKey) return;
    if (event.newValue === null) {
      current = null;
      emit();
    } else if (current === null) {
      current = { accessToken: null, accessExpiresAt: 0 };
      emit();
    }
  });
}
