import { describe, expect, it } from '@jest/globals';
import { addDays, daysBetween, daysInclusive, isCalendarDate } from './calendar-dates.js';

describe('calendar dates', () => {
  it('knows a real date from a look-alike', () => {
    expect(['2027-01-04', '2028-02-29', '0001-01-01', '9999-12-31'].map(isCalendarDate)).toEqual([true, true, true, true]);
    expect(['2027-02-29', '2027-13-01', '2027-1-04', '2027-01-04T00:00:00Z', '0000-01-01', 20270104].map(isCalendarDate)).toEqual([false, false, false, false, false, false]);
  });

  it('counts whole days across month ends and leap days', () => {
    expect(addDays('2027-01-28', 7)).toBe('2027-02-04');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(daysBetween('2027-01-04', '2027-02-02')).toBe(29);
  });

  it('counts both ends of a period', () => {
    expect(daysInclusive('2027-01-04', '2027-02-02')).toBe(30);
    expect(daysInclusive('2027-01-04', '2027-01-04')).toBe(1);
    expect(daysInclusive('2028-02-28', '2028-03-01')).toBe(3);
  });
});
