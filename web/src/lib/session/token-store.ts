import type { TokenPair } from '../api/types';

/**
 * Where the session's tokens live. The access token stays in memory only; the refresh token is
 * kept in localStorage so a reload (or a new tab) can resume the session. Every refresh token
 * works once (the server rotates them), so all tabs share the newest one through storage.
 */
const refreshTokenKey = 'kariz.refresh-token';

export interface Session {
  accessToken: string | null;
  /** Epoch milliseconds after which the access token should be considered expired. */
  accessExpiresAt: number;
  refreshToken: string;
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
  const refreshToken = safeStorage()?.getItem(refreshTokenKey);
  return refreshToken ? { accessToken: null, accessExpiresAt: 0, refreshToken } : null;
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

  /** The refresh token other tabs may have rotated since this tab last read it. */
  storedRefreshToken(): string | null {
    return safeStorage()?.getItem(refreshTokenKey) ?? null;
  },

  /** Adopts a fresh token pair from sign-in, sign-up or refresh. */
  set(pair: Pick<TokenPair, 'access_token' | 'expires_in' | 'refresh_token'>) {
    current = {
      accessToken: pair.access_token,
      // Treat the token as expired a little early so requests never race its expiry.
      accessExpiresAt: Date.now() + Math.max(0, pair.expires_in - 20) * 1000,
      refreshToken: pair.refresh_token,
    };
    safeStorage()?.setItem(refreshTokenKey, pair.refresh_token);
    emit();
  },

  /** Forgets the session; `expired` leaves a note for the sign-in screen to explain why. */
  clear(reason: 'signed-out' | 'expired' = 'signed-out') {
    const hadSession = current !== null;
    current = null;
    safeStorage()?.removeItem(refreshTokenKey);
    if (reason === 'expired' && hadSession) sessionNote.set();
    if (hadSession) emit();
  },

  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

// Another tab signed out (or in): follow it.
if (typeof window !== 'undefined') {
  window.addEventListener('storage', (event) => {
    if (event.key !== refreshTokenKey) return;
    if (event.newValue === null) {
      current = null;
      emit();
    } else if (current === null) {
      current = { accessToken: null, accessExpiresAt: 0, refreshToken: event.newValue };
      emit();
    } else {
      // Another tab rotated the refresh token; this tab's access token stays valid.
      current = { ...current, refreshToken: event.newValue };
    }
  });
}
