/**
 * The nonce the server put in this page's `csp-nonce` meta tag. The page's Content-Security-Policy
 * allows inline style elements only with it, and the drag-and-drop library inserts some.
 */
export function cspNonce(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const nonce = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
  // In development Vite serves the page as built, placeholder and all, and sets no policy.
  return nonce && !nonce.startsWith('__') ? nonce : undefined;
}
