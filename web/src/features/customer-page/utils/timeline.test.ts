import { describe, expect, it } from 'vitest';
import type { Activity } from '../../../lib/api/types';
import type { Attachment, TimelineEntry } from '../api/customer-page';
import { describeEntry, fileSize, groupByDay } from './timeline';

const deal = { id: 'd1', title: 'Fleet renewal', pipeline_id: 'p1', stage_id: 's2', amount_minor: 100, currency: 'USD', status: 'open', lost_reason: null };
const activity = (kind: Activity['kind'], subject: string, body: string | null = null): Activity => ({
  id: `a-${subject}`,
  kind,
  subject,
  body,
  owner_id: 'u1',
  priority: 'normal',
  version: 1,
  created_at: '2026-05-01T10:00:00Z',
  updated_at: '2026-05-01T10:00:00Z',
});
const attachment: Attachment = {
  id: 'f1',
  contact_id: 'c1',
  file_name: 'quote.pdf',
  media_type: 'application/pdf',
  size_bytes: 2048,
  sha256: 'ab',
  created_at: '2026-05-01T10:00:00Z',
};

describe('timeline entries', () => {
  it('labels deal actions and links them to the deal on its board', () => {
    const opened = describeEntry({ kind: 'deal', id: 'h1', at: '2026-05-01T10:00:00Z', action: 'opened', deal });
    expect(opened).toMatchObject({
      tone: 'deal',
      label: { key: 'dealOpened', title: 'Fleet renewal' },
      link: { kind: 'deal', href: '/pipelines/p1/deals/d1' },
    });
    const moved = describeEntry({ kind: 'deal', id: 'h2', at: '2026-05-01T10:00:00Z', action: 'moved', deal, from_stage_id: 's1', to_stage_id: 's2' });
    expect(moved.label).toEqual({ key: 'dealMoved', title: 'Fleet renewal', stageId: 's2' });
    expect(describeEntry({ kind: 'deal', id: 'h3', at: '2026-05-01T10:00:00Z', action: 'won', deal }).tone).toBe('won');
    const lost = describeEntry({ kind: 'deal', id: 'h4', at: '2026-05-01T10:00:00Z', action: 'lost', deal: { ...deal, status: 'lost', lost_reason: 'Price' } });
    expect(lost).toMatchObject({ tone: 'lost', label: { key: 'dealLost' }, detail: 'Price' });
  });

  it('labels activities by their kind, notes with their text, files by name, leads with a link', () => {
    expect(describeEntry({ kind: 'activity', id: 'a1', at: '2026-05-01T10:00:00Z', activity: activity('call', 'Intro call') })).toMatchObject({
      tone: 'activity',
      icon: '☎',
      label: { key: 'activity', kind: 'call', subject: 'Intro call' },
      link: null,
    });
    expect(
      describeEntry({ kind: 'note', id: 'n1', at: '2026-05-01T10:00:00Z', activity: activity('note', 'Prefers mornings', 'Call before 10') }),
    ).toMatchObject({
      tone: 'note',
      label: { key: 'note', subject: 'Prefers mornings' },
      detail: 'Call before 10',
    });
    expect(describeEntry({ kind: 'attachment', id: 'f1', at: '2026-05-01T10:00:00Z', attachment }).label).toEqual({ key: 'attachment', fileName: 'quote.pdf' });
    expect(
      describeEntry({ kind: 'lead', id: 'l1', at: '2026-05-01T10:00:00Z', action: 'qualified', lead_id: 'l1', name: 'Sara', source: 'website' }),
    ).toMatchObject({ tone: 'lead', label: { key: 'leadQualified', name: 'Sara' }, link: { kind: 'lead', href: '/leads/l1' } });
  });

  it('groups entries by local day in their order and shows an entry repeated across pages once', () => {
    const at = (day: number, hour: number) => new Date(2026, 4, day, hour).toISOString();
    const entries: TimelineEntry[] = [
      { kind: 'note', id: 'n2', at: at(3, 15), activity: activity('note', 'b') },
      { kind: 'note', id: 'n1', at: at(3, 9), activity: activity('note', 'a') },
      { kind: 'attachment', id: 'f1', at: at(1, 12), attachment },
      { kind: 'attachment', id: 'f1', at: at(1, 12), attachment },
    ];
    expect(groupByDay(entries).map((day) => [day.day, day.entries.map((entry) => entry.id)])).toEqual([
      ['2026-05-03', ['n2', 'n1']],
      ['2026-05-01', ['f1']],
    ]);
  });

  it('sizes files in bytes, KB and MB', () => {
    expect(fileSize(900)).toEqual({ value: 900, unit: 'bytes' });
    expect(fileSize(2048)).toEqual({ value: 2, unit: 'kb' });
    expect(fileSize(25 * 1024 * 1024)).toEqual({ value: 25, unit: 'mb' });
  });
});
