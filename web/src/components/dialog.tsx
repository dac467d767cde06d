import { type ReactNode, useEffect, useId, useRef } from 'react';
import { useI18n } from '../lib/i18n/use-i18n';

export interface DialogProps {
  title: ReactNode;
  onClose: () => void;
  children: ReactNode;
  /** `drawer` slides in from the inline end (the right in English, the left in Persian). */
  variant?: 'modal' | 'drawer';
  className?: string;
  /** The dialog's accessible name when `title` is not plain text. */
  label?: string;
}

/**
 * A modal on the native `<dialog>` element: focus is trapped and restored, Escape closes it and
 * the rest of the page is inert, all by the browser. Mount it to open it; unmount to close it.
 */
export function Dialog({ title, onClose, children, variant = 'modal', className, label }: DialogProps) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    let unmounting = false;
    const handleClose = () => {
      if (!unmounting) onCloseRef.current();
    };
    dialog.addEventListener('close', handleClose);
    if (!dialog.open) dialog.showModal();
    return () => {
      unmounting = true;
      dialog.removeEventListener('close', handleClose);
      if (dialog.open) dialog.close();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog dialog--${variant} ${className ?? ''}`}
      aria-labelledby={label ? undefined : titleId}
      aria-label={label}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its panel) closes it.
        if (event.target === event.currentTarget) onCloseRef.current();
      }}
    >
      <div className="dialog__panel">
        <header className="dialog__header">
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          <button type="button" className="icon-button" onClick={() => onCloseRef.current()} aria-label={t('common.close')}>
            <span aria-hidden="true">×</span>
          </button>
        </header>
        <div className="dialog__body">{children}</div>
      </div>
    </dialog>
  );
}
