/**
 * The retention purge inside the running service: first soon after start-up (a service that is
 * restarted often must still purge), then every PURGE_INTERVAL_MINUTES. The timers are unref'd
 * (they never keep the process alive) and stop() waits for a running purge, so SIGTERM does not
 * cut a purge off halfway.
 */
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { purgeExpired, type ListingStorage } from './purge.js';

const FIRST_RUN_MS = 10_000;

export interface PurgeSchedule {
  stop(): Promise<void>;
}

/** Runs `run` on a timer, never twice at once. */
export function schedule(run: () => Promise<void>, intervalMs: number): PurgeSchedule {
  let running: Promise<void> | undefined;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = run().finally(() => {
      running = undefined;
    });
  };
  const first = setTimeout(tick, Math.min(FIRST_RUN_MS, intervalMs));
  const every = setInterval(tick, intervalMs);
  first.unref();
  every.unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(first);
      clearInterval(every);
      await running;
    },
  };
}

export function startRetention(storage: ListingStorage, config: Pick<Config, 'retentionDays' | 'purgeIntervalMinutes'>, logger: Logger): PurgeSchedule {
  return schedule(async () => {
    try {
      const purged = await purgeExpired(storage, config.retentionDays);
      if (Object.values(purged).some((count) => count > 0)) logger.info({ purged }, 'retention: data older than its retention deleted');
    } catch (error) {
      logger.error({ err: error }, 'retention: purge failed; it is tried again at the next interval');
    }
  }, config.purgeIntervalMinutes * 60_000);
}
