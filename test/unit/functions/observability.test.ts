import type { Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createObservability,
  keysOfApiRequest,
  keysOfTask,
  observed,
  principalKey,
} from '../../../functions/commons/observability.js';

const lambdaContext = {
  awsRequestId: 'req-123',
  functionName: 'Daiban-test-CallbackTask',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:ap-east-1:111122223333:function:Daiban-test-CallbackTask',
  memoryLimitInMB: '256',
} as unknown as Context;

/** Every JSON line written to stdout while `work` runs. */
async function jsonLines(work: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
  const written: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    await work();
  } finally {
    spy.mockRestore();
  }
  return written
    .flatMap((chunk) => chunk.split('\n'))
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

afterEach(() => vi.unstubAllEnvs());

describe('observability on AWS (Powertools)', () => {
  it('writes each log line of an invocation as JSON with the request id, the project and the step', async () => {
    // Prepare
    const obs = createObservability();
    const handler = observed(obs, keysOfTask, async () => {
      obs.log.info('task handled', { kind: 'gate' });
    });

    // Act
    const lines = await jsonLines(() =>
      handler({ projectId: 'P1', stepId: '7', kind: 'gate' }, lambdaContext),
    );

    // Assess
    const line = lines.find((l) => l.message === 'task handled');
    expect(line).toMatchObject({
      level: 'INFO',
      service: 'daiban',
      function_request_id: 'req-123',
      projectId: 'P1',
      stepId: '7',
      kind: 'gate',
    });
  });

  it("publishes an invocation's counts in CloudWatch's embedded metric format, even when it fails", async () => {
    // Prepare
    const obs = createObservability();
    const handler = observed(obs, keysOfTask, async () => {
      obs.appMetrics.add('SignalsRefused', 2);
      throw new Error('boom');
    });

    // Act
    let failure: unknown;
    const lines = await jsonLines(() =>
      handler({ projectId: 'P1' }, lambdaContext).catch((e) => (failure = e)),
    );

    // Assess
    expect(String(failure)).toMatch(/boom/);
    const emf = lines.find((l) => '_aws' in l);
    expect(emf).toMatchObject({ service: 'daiban', SignalsRefused: 2 });
    expect(JSON.stringify(emf?._aws)).toContain('"Namespace":"Daiban"');
  });

  it('keys an API request by the project and step of its path, never by claims in the event', () => {
    // Act
    const keys = keysOfApiRequest({
      rawPath: '/projects/01KPROJECT/steps/7/decision',
      requestContext: { authorizer: { jwt: { claims: { sub: 'u-1', 'custom:role': 'officer' } } } },
    });

    // Assess
    expect(keys).toEqual({ projectId: '01KPROJECT', stepId: '7' });
    expect(keysOfApiRequest({ rawPath: '/health' })).toEqual({});
    expect(principalKey({ role: 'officer', userId: 'u-1' })).toEqual({ principal: 'officer:u-1' });
  });
});
