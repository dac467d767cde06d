import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo } from 'react';
import { applyRemoteDealChange, refreshCardActivity } from '../features/deals/api/remote-deals';
import { invoiceKey } from '../features/documents/api/invoices';
import { invoicesKey } from '../features/documents/api/keys';
import { quoteKey, quotesKey } from '../features/documents/api/quotes';
import { type LiveStatus, useLiveEvents } from '../features/live/hooks/use-live-events';
import { debouncedTasks } from '../features/live/utils/debounce';
import type { LiveAction } from '../features/live/utils/frames';
import { notificationsQueryKey } from '../features/notifications/api/notifications';

/** How long a burst of lead or activity events may last before the lists refresh once. */
const refreshDelayMs = 400;

/**
 * The tab's live updates, composed by the app (features do not import each other): the live
 * feature holds the event stream open; deal changes go to the deals feature, which patches the
 * boards and the open deal; lead and activity events refresh those lists (debounced), and an
 * activity of a deal on a board that board's cards; quote, invoice and payment events the
 * documents' lists and the open document; the user's
 * notifications refresh the bell (the notifications feature); a reset
 * reloads everything shown.
 */
export function useLiveSync(userId: string | null): LiveStatus {
  const queryClient = useQueryClient();
  const refreshes = useMemo(() => debouncedTasks(refreshDelayMs), []);
  useEffect(() => refreshes.cancel, [refreshes]);

  const onAction = (action: LiveAction) => {
    switch (action.kind) {
      case 'deal':
        // The user's own move echoing back is recognised by its actor; other own changes by
        // their version, which the caches already hold.
        applyRemoteDealChange(queryClient, action, action.actorId !== null && action.actorId === userId);
        return;
      case 'leads':
        // The inbox's lists only: an open lead's drawer keeps the version its form was read at,
        // so a save over someone else's change is still refused rather than merged.
        refreshes.schedule('leads', () => void queryClient.invalidateQueries({ queryKey: ['leads'] }));
        return;
      case 'activities': {
        refreshes.schedule('activities', () => {
          void queryClient.invalidateQueries({ queryKey: ['activities'] });
          void queryClient.invalidateQueries({ queryKey: ['agenda'] });
        });
        // A deal's card shows its next activity: the boards showing it read it again.
        const dealId = action.activity?.deal_id;
        if (dealId) refreshes.schedule(`card:${dealId}`, () => refreshCardActivity(queryClient, dealId));
        return;
      }
      case 'documents': {
        // Quotes and invoices are changed by a few people at a time: the lists refresh after a
        // burst, the open document at once (its actions then act on what it now shows).
        refreshes.schedule('documents', () => {
          void queryClient.invalidateQueries({ queryKey: quotesKey });
          void queryClient.invalidateQueries({ queryKey: invoicesKey });
        });
        if (action.quoteId) void queryClient.invalidateQueries({ queryKey: quoteKey(action.quoteId) });
        if (action.invoiceId) void queryClient.invalidateQueries({ queryKey: invoiceKey(action.invoiceId) });
        return;
      }
      case 'notifications':
        // The bell's count and list: the stream sends each user only their own.
        void queryClient.invalidateQueries({ queryKey: notificationsQueryKey });
        return;
      case 'reset':
        void queryClient.invalidateQueries();
        return;
      case 'ignore':
        return;
    }
  };

  return useLiveEvents({ enabled: userId !== null, onAction });
}
