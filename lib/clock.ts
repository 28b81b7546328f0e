/**
 * The one place that knows what time it is. Certificate dates, residual times and (later) token
 * expiry are all computed from an injected `Clock`, so tests are deterministic and scenarios can
 * move time forward. Only `systemClock` reads the wall clock; the CLI passes it explicitly.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface ManualClock extends Clock {
  /** Moves the clock forward (or back, with a negative value) by `ms` milliseconds. */
  advance(ms: number): void;
  set(time: Date | string): void;
}

/**
 * A clock that stays where it is put.
 * @example fixedClock('2026-01-01T00:00:00Z')
 */
export function fixedClock(time: Date | string): ManualClock {
  let current = toDate(time, 'fixedClock');
  return {
    now: () => new Date(current.getTime()),
    advance(ms: number) {
      current = new Date(current.getTime() + ms);
    },
    set(next: Date | string) {
      current = toDate(next, 'set');
    },
  };
}

function toDate(time: Date | string, where: string): Date {
  const date = typeof time === 'string' ? new Date(time) : new Date(time.getTime());
  if (Number.isNaN(date.getTime())) throw new TypeError(`${where}: \`${String(time)}\` is not a valid date`);
  return date;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365 * DAY;

/** Whether `clock` can be moved (a ManualClock such as fixedClock's), not only read. */
export function isManualClock(clock: Clock): clock is ManualClock {
  return typeof (clock as Partial<ManualClock>).advance === 'function';
}
