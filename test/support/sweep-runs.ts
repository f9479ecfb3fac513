import type { JobRun } from '../../shared/app/sweep-runs.js';
import type { ApiClient } from './local-system.js';

/**
 * The run of the scheduled job a `POST /admin/clock` or `POST /admin/sla-sweeps` started (202), read at its
 * progress link until it has finished: what a test that relies on the job having run waits for.
 */
export async function runFinished(api: ApiClient, progress: string, as = 'admin'): Promise<JobRun> {
  for (;;) {
    const res = await api.get<{ run: JobRun }>(progress, as);
    if (res.status !== 200)
      throw new Error(`${progress} answered ${res.status}: ${JSON.stringify(res.body)}`);
    if (res.body.run.state !== 'running' && res.body.run.state !== 'queued') return res.body.run;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
