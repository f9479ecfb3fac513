import { describe, expect, it } from 'vitest';
import { ChainCatalog } from '../../../shared/app/chain-catalog.js';
import { ManualClock } from '../../../shared/app/clock.js';
import type { AppContext } from '../../../shared/app/context.js';
import { DEFAULT_SPINE } from '../../../shared/app/context.js';
import type { LiveSettings } from '../../../shared/app/live-settings.js';
import { silentLogger } from '../../../shared/app/logger.js';
import { SerialBlocks } from '../../../shared/app/serial-blocks.js';
import { decideStep } from '../../../shared/app/step-actions.js';
import type { Department } from '../../../shared/domain/department.js';
import type { Principal } from '../../../shared/domain/principal.js';
import { DEFAULT_SLA_POLICY } from '../../../shared/domain/sla-policy.js';
import type { WorkflowEngine } from '../../../shared/engine/workflow-engine.port.js';
import type { DaibanStore, StoreOp } from '../../../shared/store/store.port.js';
import { twoStageChain } from '../../support/chain-fixtures.js';
import { calendar, submitted } from '../../support/lifecycle.js';
import { FIXTURE_PROJECT_ID, fixtureProject, projectState } from '../../support/project-state.js';

/**
 * The way of a decision, followed through its calls to the store (the boundary to DynamoDB, recorded here): what it
 * reads, in how many round trips, and that nothing is read between the rule and the commit.
 */

const chain = twoStageChain();
const departments: Department[] = [
  { id: 'NRP', name: '自然资源和规划局', nameEn: 'Natural resources', level: 'district' },
  { id: 'DRC', name: '发展和改革委员会', nameEn: 'Development and reform', level: 'district' },
];
const officer: Principal = { userId: 'officer-zhao', role: 'officer', name: '赵', departmentId: 'NRP' };

/** A store that answers the reads of one project in review and records every call, in order, with its round trip. */
function recordingStore() {
  const calls: string[] = [];
  const commits: StoreOp[][] = [];
  /** how many calls had been made when the first one was answered: those went up together */
  const together = { count: 0 };
  const reviewing = submitted(
    projectState(chain, { items: { '1a': { status: 'ready' } } }),
    '1a',
    '2026-03-02 10:00',
  );
  const items = [...reviewing.items.values()];
  const answers: Partial<Record<keyof DaibanStore, (...args: any[]) => unknown>> = {
    loadProject: () => ({
      project: fixtureProject(chain),
      items,
      tokens: new Map([['1a', { task: { token: 'token-1a', execution: `${FIXTURE_PROJECT_ID}-s0-g1` } }]]),
      assignments: [],
      outbox: [],
    }),
    getChain: () => chain,
    listDepartments: () => departments,
    readSerial: () => 41,
    commit: (ops: StoreOp[]) => {
      commits.push(ops);
    },
    deleteOutbox: () => undefined,
  };
  const store = new Proxy({} as DaibanStore, {
    get: (_target, name: string) => {
      const answer = answers[name as keyof DaibanStore];
      if (!answer) return () => Promise.reject(new Error(`the decision read ${name}, which it should not`));
      return async (...args: unknown[]) => {
        calls.push(name);
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (together.count === 0) together.count = calls.length;
        return answer(...args);
      };
    },
  });
  return { store, calls, commits, together };
}

function contextOn(store: DaibanStore, sent: string[]): AppContext {
  const engine = {
    sendTaskSuccess: async (token: string) => {
      sent.push(token);
      return true;
    },
  } as unknown as WorkflowEngine;
  let id = 0;
  return {
    store,
    engine,
    chains: new ChainCatalog(store),
    serials: new SerialBlocks(store),
    clock: new ManualClock('2026-03-04T02:00:00Z'),
    calendar,
    newId: () => `ID${String(++id).padStart(4, '0')}`,
    config: { regionCode: '320115', industryCode: '04', typeCode: '01' },
    spine: DEFAULT_SPINE,
    settings: { sla: DEFAULT_SLA_POLICY } as LiveSettings,
    log: silentLogger,
  };
}

describe('a decision reads once and writes once', () => {
  it('reads the project and the departments together, then commits once and relays', async () => {
    // Prepare
    const { store, calls, commits, together } = recordingStore();
    const sent: string[] = [];
    const ctx = contextOn(store, sent);

    // Act
    await decideStep(ctx, officer, FIXTURE_PROJECT_ID, { stepId: '1a' }, { outcome: 'approved' });

    // Assess: the project and the departments go up together; the chain (once per process) once the project
    // names it; then the one commit, and the relay clears the outbox
    expect(calls).toEqual(['loadProject', 'listDepartments', 'getChain', 'commit', 'deleteOutbox']);
    expect(together.count).toBe(2);
    expect(commits).toHaveLength(1);
    expect(sent).toEqual(['token-1a']);
  });

  it('reads the chain no more once the process holds it', async () => {
    // Prepare
    const { store, calls } = recordingStore();
    const ctx = contextOn(store, []);
    await decideStep(ctx, officer, FIXTURE_PROJECT_ID, { stepId: '1a' }, { outcome: 'approved' });
    calls.length = 0;

    // Act: the same decision again (the recorded store still holds the step in review)
    await decideStep(ctx, officer, FIXTURE_PROJECT_ID, { stepId: '1a' }, { outcome: 'approved' });

    // Assess
    expect(calls).not.toContain('getChain');
    expect(calls.filter((c) => c === 'commit')).toHaveLength(1);
  });

  it('reads the year’s notice number with the project when it asks for materials, and nothing after the rule', async () => {
    // Prepare
    const { store, calls, commits, together } = recordingStore();
    const ctx = contextOn(store, []);

    // Act
    await decideStep(
      ctx,
      officer,
      FIXTURE_PROJECT_ID,
      { stepId: '1a' },
      { outcome: 'supplement', missingMaterials: [{ name: '土地权属证明', reason: '未提供' }] },
    );

    // Assess
    expect(calls).toEqual([
      'loadProject',
      'listDepartments',
      'readSerial',
      'getChain',
      'commit',
      'deleteOutbox',
    ]);
    expect(together.count).toBe(3);
    const written = commits[0] ?? [];
    expect(written).toContainEqual({
      op: 'take_serial',
      sequence: 'supplement-notice#2026',
      expected: 41,
      next: 42,
    });
    expect(written).toContainEqual(
      expect.objectContaining({
        op: 'put_document',
        document: expect.objectContaining({ number: '补正告知〔2026〕第0042号' }),
      }),
    );
    expect(written).toContainEqual(
      expect.objectContaining({
        op: 'put_notification',
        notification: expect.objectContaining({ userId: 'agent-wang' }),
      }),
    );
  });
});
