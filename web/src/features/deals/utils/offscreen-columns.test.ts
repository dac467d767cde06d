import { describe, expect, it } from 'vitest';
import { offscreenColumns } from './offscreen-columns';

const columns = (lefts: number[], width = 100) => lefts.map((left) => ({ left, right: left + width }));

describe('offscreenColumns', () => {
  it('counts the columns cut off at either side of the view', () => {
    expect(offscreenColumns({ left: 0, right: 350 }, columns([0, 110, 220, 330, 440]))).toEqual({ before: 0, after: 2 });
    expect(offscreenColumns({ left: 0, right: 350 }, columns([-120, -10, 100, 210]))).toEqual({ before: 2, after: 0 });
  });

  it('counts in stage order, so right to left the later stages are on the left', () => {
    expect(offscreenColumns({ left: 0, right: 350 }, columns([240, 130, 20, -90]))).toEqual({ before: 0, after: 1 });
  });

  it('takes the column that shows most when none fits', () => {
    expect(offscreenColumns({ left: 0, right: 300 }, columns([-250, 60, 370], 310))).toEqual({ before: 1, after: 1 });
    expect(offscreenColumns({ left: 0, right: 300 }, [])).toEqual({ before: 0, after: 0 });
  });

  it('is nothing when every column fits', () => {
    expect(offscreenColumns({ left: 0, right: 500 }, columns([0, 110, 220]))).toEqual({ before: 0, after: 0 });
  });
});
