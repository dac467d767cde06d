// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LiveAction } from '../utils/frames';
import { useLiveEvents } from './use-live-events';

const tickets = vi.hoisted(() => ({ next: 0, fail: false }));
vi.mock('../api/stream', () => ({
  requestStreamTicket: () => (tickets.fail ? Promise.reject(new Error('down')) : Promise.resolve(`st_${++tickets.next}`)),
}));

/** A stand-in for the browser's EventSource: records its address and lets the test play frames. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  private listeners = new Map<string, (event: MessageEvent<string>) => void>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(name: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(name, listener);
  }
  removeEventListener(name: string) {
    this.listeners.delete(name);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  open() {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  fail() {
    this.readyState = FakeEventSource.CLOSED;
    this.onerror?.();
  }
  emit(type: string, id: string, data: string) {
    this.listeners.get(type)?.(new MessageEvent(type, { data, lastEventId: id }));
  }
}

const latest = () => FakeEventSource.opened.at(-1)!;
const flush = () => act(async () => await Promise.resolve());

describe('useLiveEvents', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.stubGlobal('EventSource', FakeEventSource);
    FakeEventSource.opened = [];
    tickets.next = 0;
    tickets.fail = false;
  });
  afterEach(() => {
    cleanup();
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('opens with a ticket, passes frames on and resumes from the last id with a new ticket after an error', async () => {
    const actions: LiveAction[] = [];
    const { result } = renderHook(() => useLiveEvents({ enabled: true, onAction: (action) => actions.push(action) }));
    await flush();
    expect(latest().url).toBe('/api/v1/stream?ticket=st_1');
    expect(result.current).toBe('connecting');
    act(() => latest().open());
    expect(result.current).toBe('live');

    act(() => latest().emit('lead.created', '41', JSON.stringify({ type: 'lead.created', data: { lead: { id: 'l' } } })));
    expect(actions).toEqual([{ kind: 'leads', lead: { id: 'l' } }]);

    act(() => latest().fail());
    expect(result.current).toBe('reconnecting');
    expect(FakeEventSource.opened).toHaveLength(1);
    // The first retry waits about a second.
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_250);
    });
    expect(FakeEventSource.opened).toHaveLength(2);
    expect(latest().url).toBe('/api/v1/stream?ticket=st_2&last_event_id=41');
    act(() => latest().open());
    expect(result.current).toBe('live');
  });

  it('keeps retrying, more slowly, while tickets cannot be had', async () => {
    tickets.fail = true;
    const { result } = renderHook(() => useLiveEvents({ enabled: true, onAction: () => undefined }));
    await flush();
    expect(result.current).toBe('reconnecting');
    await act(async () => {
      await vi.advanceTimersByTimeAsync(1_250 + 2_450);
    });
    tickets.fail = false;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(6_100);
    });
    expect(FakeEventSource.opened).toHaveLength(1);
  });

  it('reconnects at once when the browser is back online, and reloads if nothing had been received', async () => {
    const actions: LiveAction[] = [];
    renderHook(() => useLiveEvents({ enabled: true, onAction: (action) => actions.push(action) }));
    await flush();
    act(() => latest().open());
    act(() => window.dispatchEvent(new Event('offline')));
    expect(latest().readyState).toBe(FakeEventSource.CLOSED);
    act(() => window.dispatchEvent(new Event('online')));
    await flush();
    expect(FakeEventSource.opened).toHaveLength(2);
    act(() => latest().open());
    expect(actions).toEqual([{ kind: 'reset' }]);
  });

  it('holds no stream while signed out, and closes it on sign-out', async () => {
    const { rerender } = renderHook(({ enabled }) => useLiveEvents({ enabled, onAction: () => undefined }), { initialProps: { enabled: false } });
    await flush();
    expect(FakeEventSource.opened).toHaveLength(0);
    rerender({ enabled: true });
    await flush();
    act(() => latest().open());
    rerender({ enabled: false });
    expect(latest().readyState).toBe(FakeEventSource.CLOSED);
  });
});
