/** Milliseconds since the epoch. The server reads time only through one of these. */
export type Clock = () => number;

/** A clock tests move by hand, so quota windows and token expiry need no sleeping. */
export interface ManualClock {
  (): number;
  now(): number;
  /** Moves the clock forward and returns the new time. */
  advance(ms: number): number;
  set(ms: number): void;
}

export function createManualClock(startMs: number = Date.UTC(2025, 0, 15, 17, 0, 0)): ManualClock {
  let current = startMs;
  const clock = (() => current) as ManualClock;
  clock.now = () => current;
  clock.advance = (ms: number) => {
    if (ms < 0) throw new Error("A clock only moves forward");
    current += ms;
    return current;
  };
  clock.set = (ms: number) => {
    current = ms;
  };
  return clock;
}

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
