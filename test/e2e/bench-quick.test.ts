import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm run bench -- --quick` still works: every part runs small, end to end, and writes its results. Nothing here
 * reads a timing (a busy CI machine makes them meaningless); it checks what the figures count.
 */
type Latest = {
  quick: boolean;
  figures: {
    registration: {
      projects: number;
      calls: { total: number };
      itemsWritten: { request: number; tasks: number; transactions: number };
    };
    read: { callsPerRead: { total: number } };
    decision: {
      decisions: number;
      perDecision: { transactions: number; signalsOwed: number; signalsSent: number };
    };
    scale: { lists: Array<{ small: { calls: number }; large: { calls: number } }>; sweep: { due: number } };
    restart: { projects: number; resumed: number };
    cost: { status: string; transitions: number; eventful: { status: string; transitions: number } };
    storm: { items: number; failures: number; transactions: number };
    backlog: { items: number; runs: number; perRun: Array<{ remaining: number; failures: number }> };
  };
  table: string;
};

const out = mkdtempSync(join(tmpdir(), 'daiban-bench-quick-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  it('runs every figure, prints the table and writes the results', { timeout: 900_000 }, () => {
    // Prepare
    const root = join(import.meta.dirname, '..', '..');

    // Act
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      timeout: 880_000,
    });

    // Assess
    expect(run.stderr).not.toMatch(/Error:/);
    expect(run.status).toBe(0);
    const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as Latest;
    const { registration, read, decision, scale, restart, cost } = latest.figures;
    expect(latest.quick).toBe(true);
    expect(readdirSync(out).filter((f) => /^bench-.*\.json$/.test(f))).toHaveLength(1);
    expect(registration.projects).toBe(16);
    expect(registration.calls.total).toBeGreaterThan(0);
    // the baseline writes all a registration writes: its request's transaction and its stage-1 handlers'
    expect(registration.itemsWritten.transactions).toBe(2);
    expect(registration.itemsWritten.tasks).toBeGreaterThan(0);
    expect(read.callsPerRead.total).toBeGreaterThan(0);
    // one transaction per decision, and every signal it owes is sent
    expect(decision.perDecision.transactions).toBe(1);
    expect(decision.perDecision.signalsSent).toBe(decision.perDecision.signalsOwed);
    // a list's first page asks DynamoDB the same number of times whatever the number of projects
    for (const list of scale.lists) expect(list.large.calls).toBeLessThanOrEqual(list.small.calls + 1);
    expect(scale.sweep.due).toBe(5);
    expect(restart.resumed).toBe(restart.projects);
    expect(cost.status).toBe('completed');
    expect(cost.eventful.status).toBe('completed');
    // the storm: every due item worked once, none failed; the backlog drained by the Lambda handler, run after run
    const { storm, backlog } = latest.figures;
    expect(storm).toMatchObject({ items: 30, failures: 0 });
    expect(storm.transactions).toBeGreaterThanOrEqual(30);
    expect(backlog.perRun.at(-1)?.remaining).toBe(0);
    expect(backlog.perRun.every((r) => r.failures === 0)).toBe(true);
    expect(latest.table.split('\n').length).toBeGreaterThan(10);
    expect(run.stdout).toContain(latest.table);
  });
});
