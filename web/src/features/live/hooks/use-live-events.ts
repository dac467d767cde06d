import { useEffect, useRef, useState } from 'react';
import { requestStreamTicket } from '../api/stream';
import { reconnectDelay } from '../utils/backoff';
import { frameAction, type LiveAction, parseEventId, streamEventNames, streamPath } from '../utils/frames';

/** `connecting` until the first stream opens; `live` while one is open; `reconnecting` after a loss. */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting';

interface LiveEventsOptions {
  /** Whether to hold a stream open (the user is signed in). */
  enabled: boolean;
  /** Called for each frame, in order; read from a ref, so it may change on every render. */
  onAction: (action: LiveAction) => void;
}

/**
 * Holds the tab's one event stream open. Each connection takes a new ticket and resumes from the
 * last id received (`last_event_id`, since `EventSource` cannot send headers on a new address);
 * `EventSource`'s own reconnection would reuse the spent ticket, so on any error the stream is
 * closed and reopened by this hook after a growing delay, or at once when the tab becomes visible
 * again or the browser is back online.
 */
export function useLiveEvents({ enabled, onAction }: LiveEventsOptions): LiveStatus {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const onActionRef = useRef(onAction);
  onActionRef.current = onAction;

  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let lastEventId: number | null = null;
    let opened = false;
    let stopped = false;
    // Bumped for every connection, so a ticket answered after a newer attempt began is dropped.
    let generation = 0;

    const onFrame = (event: MessageEvent<string>) => {
      const id = parseEventId(event.lastEventId);
      if (id !== null) lastEventId = id;
      onActionRef.current(frameAction(event.type, event.data));
    };

    const close = () => {
      clearTimeout(timer);
      if (source) {
        for (const name of streamEventNames) source.removeEventListener(name, onFrame);
        source.close();
        source = null;
      }
    };

    const scheduleRetry = () => {
      if (stopped) return;
      setStatus('reconnecting');
      clearTimeout(timer);
      timer = setTimeout(connect, reconnectDelay(attempt));
      attempt += 1;
    };

    async function connect() {
      close();
      const mine = ++generation;
      let ticket: string;
      try {
        ticket = await requestStreamTicket();
      } catch {
        if (mine === generation) scheduleRetry();
        return;
      }
      if (stopped || mine !== generation) return;
      const current = new EventSource(streamPath(ticket, lastEventId));
      source = current;
      for (const name of streamEventNames) current.addEventListener(name, onFrame);
      current.onopen = () => {
        attempt = 0;
        setStatus('live');
        // A stream lost before its first event has no id to resume from: what happened in the
        // gap cannot be replayed, so the page reloads what it shows, as after a reset.
        if (opened && lastEventId === null) onActionRef.current({ kind: 'reset' });
        opened = true;
      };
      current.onerror = () => {
        if (source !== current) return;
        close();
        scheduleRetry();
      };
    }

    // Back to the tab or the network: a stream that was lost is reopened without waiting.
    const reconnectNow = () => {
      if (stopped || (source && source.readyState === EventSource.OPEN)) return;
      attempt = 0;
      void connect();
    };
    const onVisible = () => {
      if (document.visibilityState === 'visible') reconnectNow();
    };
    const onOffline = () => {
      close();
      ++generation;
      setStatus('reconnecting');
    };

    void connect();
    document.addEventListener('visibilitychange', onVisible);
    window.addEventListener('online', reconnectNow);
    window.addEventListener('offline', onOffline);
    return () => {
      stopped = true;
      ++generation;
      close();
      document.removeEventListener('visibilitychange', onVisible);
      window.removeEventListener('online', reconnectNow);
      window.removeEventListener('offline', onOffline);
    };
  }, [enabled]);

  return status;
}
