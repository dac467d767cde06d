import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../../lib/i18n/use-i18n';
import { useMarkAllRead, useMarkRead, useNotifications } from '../api/notifications';
import { describeNotification } from '../utils/describe';
import './notification-bell.css';

/**
 * The header's bell: the unread count, and a panel of the newest notifications worded in the
 * reader's language. Opening one marks it read and goes where it points. The app refreshes the
 * list when the event stream says a notification arrived.
 */
export function NotificationBell() {
  const i18n = useI18n();
  const { t } = i18n;
  const navigate = useNavigate();
  const list = useNotifications();
  const markRead = useMarkRead();
  const markAll = useMarkAllRead();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const count = list.data?.unread_count ?? 0;

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setOpen(false);
    };
    const onPointer = (event: PointerEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const items = list.data?.data ?? [];
  return (
    <div className="bell" ref={root}>
      <button
        type="button"
        className="bell__button"
        aria-haspopup="dialog"
        aria-expanded={open}
        aria-label={t('notifications.unread', { count })}
        title={t('notifications.unread', { count })}
        data-testid="notification-bell"
        onClick={() => setOpen((value) => !value)}
      >
        <svg className="bell__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
        </svg>
        {count > 0 && (
          <span className="bell__count" data-testid="notification-count">
            {i18n.number(count)}
          </span>
        )}
      </button>
      {open && (
        <div className="bell__panel" role="dialog" aria-label={t('notifications.title')} data-testid="notification-panel">
          <div className="bell__head">
            <h2 className="bell__title">{t('notifications.title')}</h2>
            <button type="button" className="bell__action" disabled={count === 0 || markAll.isPending} onClick={() => markAll.mutate()}>
              {t('notifications.markAllRead')}
            </button>
          </div>
          {list.isError && <p className="bell__empty">{t('notifications.loadFailed')}</p>}
          {list.isSuccess && items.length === 0 && <p className="bell__empty">{t('notifications.empty')}</p>}
          <ul className="bell__list">
            {items.map((notification) => {
              const view = describeNotification(notification, i18n);
              const unread = !notification.read_at;
              return (
                <li key={notification.id} className={unread ? 'bell__item bell__item--unread' : 'bell__item'} data-testid="notification-item">
                  <button
                    type="button"
                    className="bell__open"
                    onClick={() => {
                      if (unread) markRead.mutate(notification.id);
                      if (view.href) {
                        setOpen(false);
                        navigate(view.href);
                      }
                    }}
                  >
                    <span className="bell__text">{view.title}</span>
                    {view.detail && <span className="bell__detail">{view.detail}</span>}
                    <span className="bell__time">{i18n.dateTime(notification.created_at)}</span>
                  </button>
                  {unread && (
                    <button
                      type="button"
                      className="bell__mark"
                      title={t('notifications.markRead')}
                      aria-label={t('notifications.markRead')}
                      onClick={() => markRead.mutate(notification.id)}
                    >
                      <span aria-hidden="true">•</span>
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </div>
  );
}
