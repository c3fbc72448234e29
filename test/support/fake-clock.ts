import { Clock } from '../../src/common/clock.js';

/** Real time plus an offset the test can move forward. */
export class FakeClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Moves the clock to an instant, written with its offset ("2027-01-06T10:00:00+07:00", the clinic's). */
  setTo(instant: string | Date): void {
    this.advance(new Date(instant).getTime() - this.now().getTime());
  }
}
