import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalSystem } from '../../infra/local/system.js';
import { ManualClock } from '../../shared/app/clock.js';
import { silentLogger } from '../../shared/app/logger.js';
import { beijing } from '../support/beijing-time.js';
import { registerProject } from '../support/clocked-system.js';
import { submissionOf } from '../support/fixtures.js';
import { ApiClient, startTestSystem } from '../support/local-system.js';

/** A group robot (WeCom / DingTalk shape) that refuses its first `failFirst` messages. */
async function robot(failFirst: number) {
  const received: Array<{ msgtype: string; text: { content: string } }> = [];
  let refused = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (refused < failFirst) {
        refused += 1;
        res.writeHead(500).end('busy');
        return;
      }
      received.push(JSON.parse(body));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/robot/send?key=test`, received, close: () => server.close() };
}

describe('notification channels', () => {
  const clock = new ManualClock(beijing('2026-11-26 09:00'));
  let system: LocalSystem;
  let api: ApiClient;
  let hook: Awaited<ReturnType<typeof robot>>;
  beforeAll(async () => {
    system = await startTestSystem({ clock, log: silentLogger, spine: { outboxGraceSeconds: 1 } });
    api = new ApiClient(system);
    hook = await robot(1);
    const drc = await system.ctx.store.getDepartment('DRC');
    if (!drc) throw new Error('no DRC');
    await system.ctx.store.putDepartment({ ...drc, webhookUrl: hook.url });
  });
  afterAll(async () => {
    hook.close();
    await system.stop();
  });

  it("posts to the department's robot, tries again when it fails without holding up the sweep, and puts every event on the bus", async () => {
    // Prepare: filing submitted Thursday, due Friday
    const projectId = await registerProject({ system, api });
    await api.post(`/projects/${projectId}/steps/1/submission`, 'agent-wang', submissionOf('1'));

    // Act: the yellow light on Thursday (the robot refuses it), then the job a little later
    clock.set(beijing('2026-11-26 12:00'));
    const first = await system.runJob();
    const before = hook.received.length;
    clock.set(beijing('2026-11-26 12:01'));
    const second = await system.runJob();

    // Assess
    expect(first.sla).toBe(1);
    expect(first.failures).toBe(0);
    expect(before).toBe(0);
    expect(second.outbox).toBe(1);
    expect(hook.received).toHaveLength(1);
    expect(hook.received[0]?.msgtype).toBe('text');
    expect(hook.received[0]?.text.content).toContain('黄灯预警');
    expect(system.channels.events.map((e) => e.kind)).toEqual(['light_yellow']);
    expect(system.channels.events[0]).toMatchObject({ projectId, stepId: '1', departmentId: 'DRC' });
  });
});
