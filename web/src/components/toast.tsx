import { useSyncExternalStore } from 'react';
import { useI18n } from '../lib/i18n/use-i18n';

export type ToastKind = 'success' | 'error' | 'info';

interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
}

let toasts: Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function emit() {
  listeners.forEach((listener) => listener());
}

function dismiss(id: number) {
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

function show(kind: ToastKind, message: string) {
  const id = nextId++;
  toasts = [...toasts.slice(-3), { id, kind, message }];
  emit();
  // Errors stay long enough to be read in full; confirmations go quickly.
  setTimeout(() => dismiss(id), kind === 'error' ? 12_000 : 5_000);
}

/** Short messages about something that just happened; errors are announced assertively. */
export const toast = {
  success: (message: string) => show('success', message),
  error: (message: string) => show('error', message),
  info: (message: string) => show('info', message),
};

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export function Toaster() {
  const { t } = useI18n();
  const items = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => toasts,
  );
  return (
    <div className="toaster">
      <div role="status" aria-live="polite" className="toaster__region">
        {items
          .filter((item) => item.kind !== 'error')
          .map((item) => (
            <ToastItem key={item.id} item={item} dismissLabel={t('common.dismiss')} />
          ))}
      </div>
      <div role="alert" aria-live="assertive" className="toaster__region">
        {items
          .filter((item) => item.kind === 'error')
          .map((item) => (
            <ToastItem key={item.id} item={item} dismissLabel={t('common.dismiss')} />
          ))}
      </div>
    </div>
  );
}

function ToastItem({ item, dismissLabel }: { item: Toast; dismissLabel: string }) {
  return (
    <div className={`toast toast--${item.kind}`} data-testid={`toast-${item.kind}`}>
      <p className="toast__message">{item.message}</p>
      <button type="button" className="icon-button" onClick={() => dismiss(item.id)} aria-label={dismissLabel}>
        <span aria-hidden="true">×</span>
      </button>
    </div>
  );
}
