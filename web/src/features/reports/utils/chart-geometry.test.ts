import { describe, expect, it } from 'vitest';
import { columnChart, funnelBars, lineChart, horizontalBars, minBarWidth, mirror, niceTicks, stackedBar } from './chart-geometry';

describe('mirror', () => {
  it('keeps left-to-right spans and flips right-to-left ones', () => {
    expect(mirror({ x: 10, width: 30 }, 100, 'ltr')).toEqual({ x: 10, width: 30 });
    expect(mirror({ x: 10, width: 30 }, 100, 'rtl')).toEqual({ x: 60, width: 30 });
  });
});

describe('horizontalBars', () => {
  it('scales to the largest value from the inline start', () => {
    expect(horizontalBars([4, 2, 0], 200, 'ltr')).toEqual([
      { x: 0, width: 200 },
      { x: 0, width: 100 },
      { x: 0, width: 0 },
    ]);
  });

  it('grows from the right in right-to-left', () => {
    expect(horizontalBars([4, 1], 200, 'rtl')).toEqual([
      { x: 0, width: 200 },
      { x: 150, width: 50 },
    ]);
  });

  it('keeps a tiny value visible and caps values at the given maximum', () => {
    expect(horizontalBars([1, 10_000], 100, 'ltr')[0]!.width).toBe(minBarWidth);
    expect(horizontalBars([150], 100, 'ltr', 100)).toEqual([{ x: 0, width: 100 }]);
    expect(horizontalBars([], 100, 'ltr')).toEqual([]);
  });
});

describe('stackedBar', () => {
  it('splits the width by share, in reading order', () => {
    expect(stackedBar([3, 1], 100, 'ltr')).toEqual([
      { x: 0, width: 75 },
      { x: 75, width: 25 },
    ]);
    expect(stackedBar([3, 1], 100, 'rtl')).toEqual([
      { x: 25, width: 75 },
      { x: 0, width: 25 },
    ]);
  });

  it('draws nothing when every part is zero', () => {
    expect(stackedBar([0, 0], 100, 'ltr').map((span) => span.width)).toEqual([0, 0]);
  });
});

describe('funnelBars', () => {
  it('centres each step, as wide as its share of the largest', () => {
    expect(funnelBars([10, 5, 0], 100)).toEqual([
      { x: 0, width: 100 },
      { x: 25, width: 50 },
      { x: 50, width: 0 },
    ]);
  });

  it('is empty-safe', () => {
    expect(funnelBars([0, 0], 100)).toEqual([
      { x: 50, width: 0 },
      { x: 50, width: 0 },
    ]);
  });
});

describe('niceTicks', () => {
  it('steps by 1, 2 or 5 times a power of ten, up to at least the maximum', () => {
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(12_500_000)).toEqual([0, 5_000_000, 10_000_000, 15_000_000]);
    expect(niceTicks(1)).toEqual([0, 0.5, 1]);
  });

  it('gives an axis for nothing', () => {
    expect(niceTicks(0)).toEqual([0, 1]);
  });
});

describe('columnChart', () => {
  const options = { width: 200, height: 120, margin: { top: 10, bottom: 20, start: 40, end: 0 } };

  it('lays out groups from the inline start, bars on a shared baseline', () => {
    const layout = columnChart([[10], [5]], { ...options, direction: 'ltr' });
    expect(layout.plot).toEqual({ x: 40, width: 160, y: 10, height: 90 });
    expect(layout.ticks.map((tick) => tick.value)).toEqual([0, 5, 10]);
    expect(layout.ticks[0]!.y).toBe(100);
    expect(layout.ticks[2]!.y).toBe(10);
    const [first, second] = layout.groups;
    // Slots of 80 with a gap of 16: bars of 64 starting 8 into the slot.
    expect(first!.bars[0]).toEqual({ x: 48, width: 64, y: 10, height: 90 });
    expect(second!.bars[0]).toEqual({ x: 128, width: 64, y: 55, height: 45 });
    expect(first!.center).toBe(80);
    expect(layout.tickLabel).toEqual({ x: 34, anchor: 'end' });
  });

  it('caps the width of columns and centres the group in its slot', () => {
    const layout = columnChart([[10, 5]], { ...options, direction: 'ltr', maxBarWidth: 20 });
    // One slot of 160 from x 40: two bars of 20, centred around 120.
    expect(layout.groups[0]!.bars.map((bar) => [bar.x, bar.width])).toEqual([
      [100, 20],
      [120, 20],
    ]);
    expect(layout.groups[0]!.center).toBe(120);
  });

  it('mirrors the groups, the bars in a group and the axis in right-to-left', () => {
    const layout = columnChart([[10, 5], [5]], { ...options, direction: 'rtl' });
    expect(layout.plot.x).toBe(0);
    const [first, second] = layout.groups;
    expect(first!.center).toBe(120);
    expect(second!.center).toBe(40);
    // The first bar of a group is its rightmost.
    expect(first!.bars[0]!.x).toBeGreaterThan(first!.bars[1]!.x);
    expect(layout.tickLabel).toEqual({ x: 166, anchor: 'end' });
  });

  it('has an axis but no groups when there is nothing', () => {
    const layout = columnChart([], { ...options, direction: 'ltr' });
    expect(layout.groups).toEqual([]);
    expect(layout.ticks.map((tick) => tick.value)).toEqual([0, 1]);
  });
});

describe('lineChart', () => {
  // Plot: x 10…110 (100 wide), y 10…110 (100 high); four slots of 25.
  const options = { width: 120, height: 130, margin: { top: 10, bottom: 20, start: 10, end: 10 }, max: 100, ticks: [0, 50, 100] };

  it('places one point per slot centre, scaled to max, with gaps for missing values', () => {
    const layout = lineChart([0, 50, null, 100], { ...options, direction: 'ltr' });
    expect(layout.slots.map((slot) => slot.center)).toEqual([22.5, 47.5, 72.5, 97.5]);
    expect(layout.slots.map((slot) => slot.point)).toEqual([{ x: 22.5, y: 110 }, { x: 47.5, y: 60 }, null, { x: 97.5, y: 10 }]);
    expect(layout.segments).toEqual([
      [
        { x: 22.5, y: 110 },
        { x: 47.5, y: 60 },
      ],
      [{ x: 97.5, y: 10 }],
    ]);
    expect(layout.ticks).toEqual([
      { value: 0, y: 110 },
      { value: 50, y: 60 },
      { value: 100, y: 10 },
    ]);
    expect(layout.plot).toEqual({ x: 10, width: 100, y: 10, height: 100 });
    expect(layout.tickLabel).toEqual({ x: 4, anchor: 'end' });
  });

  it('runs from the right in right-to-left and clamps values', () => {
    const layout = lineChart([150, -5, 25, null], { ...options, direction: 'rtl' });
    expect(layout.slots.map((slot) => slot.center)).toEqual([97.5, 72.5, 47.5, 22.5]);
    expect(layout.slots.map((slot) => slot.point?.y ?? null)).toEqual([10, 110, 85, null]);
    expect(layout.segments).toHaveLength(1);
    expect(layout.tickLabel.x).toBe(116);
  });

  it('has no segments when every value is missing', () => {
    expect(lineChart([null, null], { ...options, direction: 'ltr' }).segments).toEqual([]);
    expect(lineChart([], { ...options, direction: 'ltr' }).slots).toEqual([]);
  });
});
