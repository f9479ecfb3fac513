import { demoEnterprises } from '../../infra/local/seed-reference.js';
import { createLocalSystem, type LocalTable } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { createProject } from '../../shared/app/create-project.js';
import { silentLogger } from '../../shared/app/logger.js';
import { submitStep } from '../../shared/app/step-actions.js';
import { findStep } from '../../shared/domain/chain-graph.js';
import type { Principal } from '../../shared/domain/principal.js';
import { cloneProject } from './clone-projects.js';
import { inParallel, progressBar } from './progress.js';

/** Thursday 26 November 2026, 09:00 in Beijing: the storm's projects submit step 1 then (due Friday). */
export const STORM_SUBMITTED_AT = new Date('2026-11-26T01:00:00Z');
/** Thirty days later (a holiday week's end, an outage): step 1 of every project long overdue. */
export const STORM_AT = new Date(STORM_SUBMITTED_AT.getTime() + 30 * 86_400_000);

const agent: Principal = { userId: 'agent-wang', role: 'agent', name: '王代办' };

/**
 * `projects` projects whose step 1 (filing at DRC, promised 1 working day, deemed approval allowed) is in review:
 * one registered and submitted through the use cases, then cloned in the table with fresh ids, codes and Work
 * index shards. Thirty days on, each has its yellow light, breach, first rung and 超时默认 due at once: a storm.
 * The clones' task tokens are the template's, which no execution waits on: the relay's signals are refused (an
 * engine resuming 10,000 parked executions is the restart figure's, not the sweep's).
 */
export async function seedStorm(options: {
  endpoint: string;
  tableName: string;
  table: LocalTable;
  projects: number;
}): Promise<void> {
  const clock = new ManualClock(STORM_SUBMITTED_AT);
  const system = await createLocalSystem({
    endpoint: options.endpoint,
    tableName: options.tableName,
    table: options.table,
    clock,
    log: silentLogger,
  });
  try {
    const ctx = system.ctx;
    const { project } = await createProject(ctx, agent, {
      name: '积压基准项目',
      enterprise: { ...demoEnterprises.jinling },
      investmentCny: 100_000_000,
      chainId: 'industrial-enterprise',
      attributes: {},
      agentId: agent.userId,
    });
    await system.caughtUp();
    const chain = await ctx.chains.latest('industrial-enterprise');
    const materials = findStep(chain, '1')?.step.materials.map((m) => m.id) ?? [];
    await submitStep(ctx, agent, project.projectId, '1', { materials });
    await system.caughtUp();
    const copy = await cloneProject(options.table.doc, options.tableName, project);
    const bar = progressBar(
      'projects with step 1 in review written (one submitted, cloned)',
      options.projects,
    );
    let done = 1;
    await inParallel(
      Array.from({ length: options.projects - 1 }, (_, i) => i + 2),
      16,
      async (serial) => {
        await copy(serial);
        done += 1;
        if (done % 200 === 0 || done === options.projects) bar.tick(done);
      },
    );
    bar.done();
  } finally {
    await system.stop();
  }
}
