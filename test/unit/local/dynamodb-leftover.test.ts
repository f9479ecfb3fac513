import { describe, expect, it } from 'vitest';
import { type DynamoDbFacts, planDynamoDbLocal } from '../../../infra/local/dynamodb-leftover.js';
import type { DynamoDbLocalProcess } from '../../../infra/local/dynamodb-processes.js';

const ours = '/home/dev/daiban/.daiban/dynamodb';
const java = (overrides: Partial<DynamoDbLocalProcess> = {}): DynamoDbLocalProcess => ({
  pid: 4242,
  port: 8000,
  dbPath: ours,
  dataDeleted: false,
  loopbackOnly: true,
  ...overrides,
});
const facts = (overrides: Partial<DynamoDbFacts> = {}): DynamoDbFacts => ({
  port: 8000,
  dataDir: ours,
  answering: false,
  processes: [],
  record: undefined,
  ...overrides,
});

describe('what a start does with a DynamoDB Local already there', () => {
  it('starts its own when nothing runs on the port or for its folder', () => {
    // Act / Assess
    expect(planDynamoDbLocal(facts())).toEqual({ action: 'start' });
  });

  it("adopts the one serving its own folder on the port (a crashed runtime's leftover)", () => {
    // Act / Assess
    expect(planDynamoDbLocal(facts({ answering: true, processes: [java()] }))).toEqual({
      action: 'adopt',
      pid: 4242,
    });
  });

  it('refuses one serving another folder, naming the folder and the pid', () => {
    // Act
    const plan = planDynamoDbLocal(
      facts({ answering: true, processes: [java({ dbPath: '/home/dev/other/.daiban/dynamodb' })] }),
    );

    // Assess
    expect(plan).toEqual({
      action: 'refuse',
      message: expect.stringContaining(
        `port 8000 is used by a DynamoDB Local (pid 4242) for the data folder /home/dev/other/.daiban/dynamodb, not ${ours}`,
      ),
    });
  });

  it('replaces its own leftover of an earlier version, which listens on every network interface', () => {
    // Act
    const plan = planDynamoDbLocal(facts({ answering: true, processes: [java({ loopbackOnly: false })] }));

    // Assess
    expect(plan).toEqual({
      action: 'replace',
      pid: 4242,
      reason: expect.stringContaining('it listens on every network interface'),
    });
  });

  it('refuses an in-memory one on the port (the tests, or another tool)', () => {
    // Act
    const plan = planDynamoDbLocal(facts({ answering: true, processes: [java({ dbPath: null })] }));

    // Assess
    expect(plan).toMatchObject({
      action: 'refuse',
      message: expect.stringContaining('in-memory DynamoDB Local'),
    });
  });

  it('replaces one whose data folder was deleted, whichever folder it was', () => {
    // Act
    const plan = planDynamoDbLocal(facts({ answering: true, processes: [java({ dataDeleted: true })] }));

    // Assess
    expect(plan).toEqual({ action: 'replace', pid: 4242, reason: `its data folder ${ours} was deleted` });
  });

  it('refuses to start a second one for its folder when one serves it on another port', () => {
    // Act
    const plan = planDynamoDbLocal(facts({ processes: [java({ port: 8001 })] }));

    // Assess
    expect(plan).toMatchObject({
      action: 'refuse',
      message: expect.stringContaining('set DYNAMODB_PORT=8001'),
    });
  });

  it('uses a DynamoDB it cannot identify (not a DynamoDB Local process) as it is, never stopping it', () => {
    // Act / Assess
    expect(planDynamoDbLocal(facts({ answering: true, processes: [] }))).toEqual({ action: 'reuse' });
  });

  describe('where there is no /proc to ask (macOS)', () => {
    const record = {
      pid: 4242,
      port: 8000,
      dbPath: ours,
      startedAt: '2026-03-02T01:00:00.000Z',
      loopbackOnly: true,
    };

    it('adopts what its own record says it started, if that still runs on the port', () => {
      // Act / Assess
      expect(
        planDynamoDbLocal(
          facts({ answering: true, processes: undefined, record: { ...record, running: true } }),
        ),
      ).toEqual({ action: 'adopt', pid: 4242 });
    });

    it('replaces what its record of an earlier version says it started (listening on every interface)', () => {
      // Act
      const plan = planDynamoDbLocal(
        facts({
          answering: true,
          processes: undefined,
          record: { ...record, loopbackOnly: false, running: true },
        }),
      );

      // Assess
      expect(plan).toMatchObject({ action: 'replace', pid: 4242 });
    });

    it('reuses without owning what answers when its record names a process that is gone', () => {
      // Act / Assess
      expect(
        planDynamoDbLocal(
          facts({ answering: true, processes: undefined, record: { ...record, running: false } }),
        ),
      ).toEqual({ action: 'reuse' });
    });
  });
});
