/**
 * The geometry of the dashboard's charts, as pure functions: the components only draw what these
 * return. SVG has no logical coordinates, so every function that lays things out along the inline
 * axis takes the text direction and mirrors its x coordinates for right-to-left: bars grow from
 * the right and time flows leftwards in Persian.
 */
export type Direction = 'ltr' | 'rtl';

export interface Span {
  x: number;
  width: number;
}

export interface Rect extends Span {
  y: number;
  height: number;
}

/** A span laid out left to right, placed where it belongs in `direction` within `total`. */
export function mirror<T extends Span>(span: T, total: number, direction: Direction): T {
  return direction === 'rtl' ? { ...span, x: total - span.x - span.width } : span;
}

/** Bars drawn for non-zero values never shrink below this, so a small value stays visible. */
export const minBarWidth = 2;

function scaled(value: number, max: number, length: number): number {
  if (value <= 0 || max <= 0) return 0;
  return Math.max(minBarWidth, (Math.min(value, max) / max) * length);
}

/**
 * Horizontal bars (lost reasons, leaderboard): each value's bar starts at the inline start of
 * `width` and is as long as its share of the largest value (or of `max`).
 */
export function horizontalBars(values: number[], width: number, direction: Direction, max = Math.max(0, ...values)): Span[] {
  return values.map((value) => mirror({ x: 0, width: scaled(value, max, width) }, width, direction));
}

/**
 * One bar split into consecutive parts (won, then lost), from the inline start; together they
 * fill `width`, or nothing when every part is zero.
 */
export function stackedBar(parts: number[], width: number, direction: Direction): Span[] {
  const total = parts.reduce((sum, part) => sum + Math.max(0, part), 0);
  let x = 0;
  return parts.map((part) => {
    const span = { x, width: total > 0 ? (Math.max(0, part) / total) * width : 0 };
    x += span.width;
    return mirror(span, width, direction);
  });
}

/**
 * The funnel: one centred bar per step, as wide as its share of the largest step, so the steps
 * narrow from leads to won deals. Centred bars need no mirroring.
 */
export function funnelBars(counts: number[], width: number): Span[] {
  const max = Math.max(0, ...counts);
  return counts.map((count) => {
    const barWidth = scaled(count, max, width);
    return { x: (width - barWidth) / 2, width: barWidth };
  });
}

/** Round axis ticks from 0 to at least `max`: steps of 1, 2 or 5 times a power of ten. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw) ?? 10 * power;
  const ticks = [0];
  while (ticks[ticks.length - 1]! < max) ticks.push(ticks.length * step);
  return ticks;
}

export interface ColumnChartOptions {
  width: number;
  height: number;
  direction: Direction;
  /** Room for the axis labels: below the plot, and beside it at the inline start. */
  margin: { top: number; bottom: number; start: number; end: number };
  /** The widest a column may be, so that a month or two do not fill the chart with slabs. */
  maxBarWidth?: number;
}

export interface ColumnChartLayout {
  ticks: { value: number; y: number }[];
  /**
   * Where the value labels of the ticks end: beside the plot at the inline start. The labels are
   * anchored at their end in their own direction (the page's), so Persian text reads correctly.
   */
  tickLabel: { x: number; anchor: 'end' };
  /** The plot area, in SVG (left to right) coordinates. */
  plot: Rect;
  groups: { center: number; bars: Rect[] }[];
}

/**
 * Grouped columns (the forecast: weighted, unweighted and won per month). Groups follow the
 * reading direction (the first month at the inline start), and so do the bars within a group.
 */
export function columnChart(groups: number[][], options: ColumnChartOptions): ColumnChartLayout {
  const { width, height, direction, margin, maxBarWidth = Infinity } = options;
  const plotWidth = Math.max(0, width - margin.start - margin.end);
  const plotHeight = Math.max(0, height - margin.top - margin.bottom);
  const ticks = niceTicks(Math.max(0, ...groups.flat()));
  const top = ticks[ticks.length - 1]!;
  const baseline = margin.top + plotHeight;
  const yOf = (value: number) => baseline - (Math.max(0, value) / top) * plotHeight;
  const slot = groups.length > 0 ? plotWidth / groups.length : 0;
  // A fifth of each slot is the gap between groups.
  const gap = slot * 0.2;
  const laid = groups.map((values, index) => {
    const barWidth = values.length > 0 ? Math.min((slot - gap) / values.length, maxBarWidth) : 0;
    // The group is centred in its slot (with the gap on either side when the bars are not capped).
    const start = margin.start + index * slot + (slot - barWidth * values.length) / 2;
    const bars = values.map((value, bar) => {
      const y = yOf(value);
      return mirror({ x: start + bar * barWidth, width: barWidth, y, height: baseline - y }, width, direction);
    });
    const center = mirror({ x: margin.start + index * slot, width: slot }, width, direction);
    return { center: center.x + slot / 2, bars };
  });
  const plot = mirror({ x: margin.start, width: plotWidth, y: margin.top, height: plotHeight }, width, direction);
  return {
    ticks: ticks.map((value) => ({ value, y: yOf(value) })),
    tickLabel: { x: direction === 'rtl' ? plot.x + plotWidth + 6 : plot.x - 6, anchor: 'end' },
    plot,
    groups: laid,
  };
}

export interface Point {
  x: number;
  y: number;
}

export interface LineChartOptions extends ColumnChartOptions {
  /** The top of the value axis (100 for percentages). */
  max: number;
  /** The ticks drawn on the value axis, from 0 to `max`. */
  ticks: number[];
}

export interface LineChartLayout {
  ticks: { value: number; y: number }[];
  tickLabel: { x: number; anchor: 'end' };
  plot: Rect;
  /** Per value: the middle of its slot (for its label) and its point, null for a missing value. */
  slots: { center: number; point: Point | null }[];
  /** Runs of consecutive present values, each drawn as one polyline: a missing value is a gap. */
  segments: Point[][];
}

/**
 * A line over evenly spaced slots (the win-rate trend: one per month), in reading order: the
 * first value at the inline start. Values are clamped to 0…max; null leaves a gap in the line.
 */
export function lineChart(values: (number | null)[], options: LineChartOptions): LineChartLayout {
  const { width, height, direction, margin, max, ticks } = options;
  const plotWidth = Math.max(0, width - margin.start - margin.end);
  const plotHeight = Math.max(0, height - margin.top - margin.bottom);
  const baseline = margin.top + plotHeight;
  const yOf = (value: number) => baseline - (max > 0 ? (Math.min(Math.max(0, value), max) / max) * plotHeight : 0);
  const slot = values.length > 0 ? plotWidth / values.length : 0;
  const slots = values.map((value, index) => {
    const center = mirror({ x: margin.start + index * slot, width: slot }, width, direction).x + slot / 2;
    return { center, point: value == null ? null : { x: center, y: yOf(value) } };
  });
  const segments: Point[][] = [];
  let run: Point[] = [];
  for (const { point } of slots) {
    if (point) run.push(point);
    else if (run.length > 0) {
      segments.push(run);
      run = [];
    }
  }
  if (run.length > 0) segments.push(run);
  const plot = mirror({ x: margin.start, width: plotWidth, y: margin.top, height: plotHeight }, width, direction);
  return {
    ticks: ticks.map((value) => ({ value, y: yOf(value) })),
    tickLabel: { x: direction === 'rtl' ? plot.x + plotWidth + 6 : plot.x - 6, anchor: 'end' },
    plot,
    slots,
    segments,
  };
}
