import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { assessConsult, stayWindow, type EarlierConsult } from './consult-quota.js';
import type { ConsultKind } from './entities/psych-consult.entity.js';

const ADMITTED = '2027-01-04'; // day 1; day 30 = 2027-02-02; day 31 = 2027-02-03
const QUOTA = 4;

const routine = (date: string, billable = false): EarlierConsult => ({ kind: 'ROUTINE', date, billable });
const assess = (kind: ConsultKind, date: string, earlier: EarlierConsult[], quota = QUOTA) => assessConsult({ kind, date }, ADMITTED, earlier, quota);

describe('stay windows of 30 days', () => {
  it('puts days 1–30 in window 0 and day 31 in window 1', () => {
    expect(stayWindow(ADMITTED, '2027-01-04')).toEqual({ index: 0, firstDay: 1, lastDay: 30, startsOn: '2027-01-04', endsOn: '2027-02-02' });
    expect(stayWindow(ADMITTED, '2027-02-02').index).toBe(0);
    expect(stayWindow(ADMITTED, '2027-02-03')).toEqual({ index: 1, firstDay: 31, lastDay: 60, startsOn: '2027-02-03', endsOn: '2027-03-04' });
    expect(stayWindow(ADMITTED, '2027-03-04').index).toBe(1);
    expect(stayWindow(ADMITTED, '2027-03-05')).toMatchObject({ index: 2, firstDay: 61, lastDay: 90, startsOn: '2027-03-05' });
  });

  it('counts calendar days across a leap day', () => {
    expect(stayWindow('2028-02-01', '2028-03-01')).toMatchObject({ index: 0, endsOn: '2028-03-01' }); // day 30
    expect(stayWindow('2028-02-01', '2028-03-02')).toMatchObject({ index: 1, startsOn: '2028-03-02' }); // day 31
  });

  it('refuses a date before the admission', () => {
    expect(() => stayWindow(ADMITTED, '2027-01-03')).toThrow(RangeError);
  });

  it('always holds the date inside its own window, 30 days long', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2_000 }), (offset) => {
        const date = new Date(Date.UTC(2027, 0, 4 + offset)).toISOString().slice(0, 10);
        const window = stayWindow(ADMITTED, date);
        return window.startsOn <= date && date <= window.endsOn && window.lastDay - window.firstDay === 29 && window.index === Math.floor(offset / 30);
      }),
    );
  });
});

describe('the included psychiatric quota (domain.md §10)', () => {
  it('includes the first intake and bills a second one', () => {
    expect(assess('INTAKE', ADMITTED, [])).toMatchObject({ billable: false, reason: null });
    const second = assess('INTAKE', '2027-01-20', [{ kind: 'INTAKE', date: ADMITTED, billable: false }]);
    expect(second).toMatchObject({ billable: true, reason: 'intake assessment beyond the one included' });
  });

  it('includes 4 routine checks in days 1–30 and bills the 5th', () => {
    const four = ['2027-01-05', '2027-01-12', '2027-01-19', '2027-01-26'].map((d) => routine(d));
    expect(assess('ROUTINE', '2027-01-26', four.slice(0, 3))).toMatchObject({ billable: false });
    expect(assess('ROUTINE', '2027-02-02', four)).toEqual({
      billable: true,
      window: { index: 0, firstDay: 1, lastDay: 30, startsOn: '2027-01-04', endsOn: '2027-02-02' },
      reason: 'routine check beyond the 4 included in days 1–30',
    });
  });

  it('starts a new allowance on day 31', () => {
    const four = ['2027-01-05', '2027-01-12', '2027-01-19', '2027-02-02'].map((d) => routine(d));
    expect(assess('ROUTINE', '2027-02-03', four)).toMatchObject({ billable: false, window: { index: 1 } });
    const nextFour = ['2027-02-03', '2027-02-10', '2027-02-17', '2027-03-04'].map((d) => routine(d));
    expect(assess('ROUTINE', '2027-03-01', [...four, ...nextFour])).toMatchObject({ billable: true, reason: 'routine check beyond the 4 included in days 31–60' });
  });

  it('counts only included checks: billed ones and other kinds do not use the allowance', () => {
    const earlier = [routine('2027-01-05'), routine('2027-01-06', true), { kind: 'INTAKE' as const, date: ADMITTED, billable: false }, { kind: 'ADDITIONAL' as const, date: ADMITTED, billable: true }];
    expect(assess('ROUTINE', '2027-01-07', earlier, 2)).toMatchObject({ billable: false });
    expect(assess('ROUTINE', '2027-01-07', [...earlier, routine('2027-01-07')], 2)).toMatchObject({ billable: true });
  });

  it('judges a backdated check against its own window', () => {
    const secondWindowFull = ['2027-02-03', '2027-02-04', '2027-02-05', '2027-02-06'].map((d) => routine(d));
    expect(assess('ROUTINE', '2027-01-10', secondWindowFull)).toMatchObject({ billable: false, window: { index: 0 } });
  });

  it('always bills an additional consultation', () => {
    expect(assess('ADDITIONAL', ADMITTED, [])).toMatchObject({ billable: true, reason: 'additional consultation, not one of the included checks' });
  });

  it('follows the configured allowance, including none', () => {
    const five = ['2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08'].map((d) => routine(d));
    expect(assess('ROUTINE', '2027-01-09', five, 5)).toMatchObject({ billable: false });
    expect(assess('ROUTINE', '2027-01-09', [], 0)).toMatchObject({ billable: true, reason: 'routine check beyond the 0 included in days 1–30' });
  });

  it('never includes more routine checks in a window than the allowance, whatever the order they arrive in', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 89 }), { maxLength: 40 }), fc.integer({ min: 0, max: 6 }), (offsets, quota) => {
        const recorded: EarlierConsult[] = [];
        for (const offset of offsets) {
          const date = new Date(Date.UTC(2027, 0, 4 + offset)).toISOString().slice(0, 10);
          recorded.push({ kind: 'ROUTINE', date, billable: assess('ROUTINE', date, recorded, quota).billable });
        }
        return [0, 1, 2].every((w) => {
          const inWindow = recorded.filter((c) => stayWindow(ADMITTED, c.date).index === w);
          const included = inWindow.filter((c) => !c.billable).length;
          return included === Math.min(quota, inWindow.length);
        });
      }),
    );
  });
});
