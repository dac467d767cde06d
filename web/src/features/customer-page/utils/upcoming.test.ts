import { describe, expect, it } from 'vitest';
import type { UpcomingDate } from '../api/customer-page';
import { localToday, parseWindow, upcomingRows } from './upcoming';

const birthday: UpcomingDate = { date: '2026-03-21', kind: 'birthday', calendar: 'jalali', contact_id: 'c1', name: 'Sara', years: 36 };
const founding: UpcomingDate = { date: '2026-04-02', kind: 'founding', calendar: 'gregorian', organization_id: 'o1', name: 'Pars Logistics' };

describe('upcoming dates', () => {
  it('writes each date in its own calendar with the days until it', () => {
    const today = new Date(2026, 2, 20);
    const [first, second] = upcomingRows([birthday, founding], 'en', today);
    expect(first).toMatchObject({ when: '1 Farvardin 1405', days: 1, customer: { kind: 'contact', id: 'c1' } });
    expect(second).toMatchObject({ when: '2 April 2026', days: 13, customer: { kind: 'organization', id: 'o1' } });
    expect(upcomingRows([birthday], 'fa', today)[0]!.when).toBe('۱ فروردین ۱۴۰۵');
    expect(upcomingRows([founding], 'fa', today)[0]!.when).toBe('۲ آپریل ۲۰۲۶');
  });

  it('starts the window on the local day', () => {
    // 23:30 on 20 March in Tehran is still 20 March there (20:00 UTC).
    expect(localToday(new Date(2026, 2, 20, 23, 30))).toBe('2026-03-20');
  });

  it('reads the window from the URL, falling back to 30 days', () => {
    expect(parseWindow('7')).toBe(7);
    expect(parseWindow('8')).toBe(30);
    expect(parseWindow(null)).toBe(30);
  });
});
