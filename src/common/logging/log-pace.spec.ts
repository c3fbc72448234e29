import { describe, expect, it } from '@jest/globals';
import { LogPace } from './log-pace.js';

describe('LogPace', () => {
  it('lets the first through, leaves out the rest of the interval, and counts them on the next line', () => {
    let now = 1_000;
    const pace = new LogPace(5_000, () => now);
    expect(pace.due()).toBe(0);
    now += 1_000;
    expect(pace.due()).toBeNull();
    now += 3_999;
    expect(pace.due()).toBeNull();
    now += 1;
    expect(pace.due()).toBe(2);
    expect(pace.due()).toBeNull();
  });
});
