import type { JobProgress } from './job-report.js';

export type { JobProgress } from './job-report.js';

export function newProgress(runId: string, at: Date): JobProgress {
  return {
    runId,
    state: 'running',
    startedAt: new Date().toISOString(),
    at: at.toISOString(),
    due: 0,
    done: 0,
    failures: 0,
    sla: 0,
    remaining: 0,
    perSecond: 0,
  };
}

/** Sets the rate from the work done since the run started. */
export function tick(progress: JobProgress): void {
  const seconds = (Date.now() - Date.parse(progress.startedAt)) / 1000;
  progress.perSecond = seconds > 0 ? Math.round((progress.done / seconds) * 10) / 10 : 0;
}
