import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { paths } from '../lib/paths';
import { useHasSession } from '../lib/session/use-session';

/** Screens for signed-in users; anyone else goes to sign-in and comes back afterwards. */
export function RequireSession({ children }: { children: ReactNode }) {
  const hasSession = useHasSession();
  const location = useLocation();
  if (!hasSession) return <Navigate to={paths.signIn} replace state={{ from: `${location.pathname}${location.search}` }} />;
  return children;
}

/** Sign-in and sign-up make no sense with a session: go where the user was headed, or home. */
export function PublicOnly({ children }: { children: ReactNode }) {
  const hasSession = useHasSession();
  const from = (useLocation().state as { from?: string } | null)?.from;
  return hasSession ? <Navigate to={from ?? paths.home} replace /> : children;
}
