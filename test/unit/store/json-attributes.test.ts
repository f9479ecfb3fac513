import { describe, expect, it } from 'vitest';
import type { ProjectEvent } from '../../../shared/domain/project.js';
import { eventsItem, eventsOf, outboxItem, parseOutbox } from '../../../shared/store/dynamo-codec.js';
import type { OutboxEntry } from '../../../shared/store/store.port.js';

const entry: OutboxEntry = {
  projectId: 'P1',
  outboxId: 'O1',
  createdAt: '2026-12-07T01:00:00.000Z',
  retryAt: '2026-12-07T01:00:30.000Z',
  attempts: 0,
  sends: [
    {
      type: 'task_success',
      token: 'token-1',
      output: { stepId: '1', outcome: 'deemed_approved' },
      what: '1',
    },
    { type: 'task_success', token: 'token-2-gate', output: { stepId: '2', open: true }, what: 'gate of 2' },
  ],
};

describe('an outbox entry as a DynamoDB item', () => {
  it('stores its sends as one JSON string and reads them back as they were', () => {
    // Act
    const item = outboxItem(entry);

    // Assess
    expect(typeof item.sends).toBe('string');
    expect(item).toMatchObject({ PK: 'PROJECT#P1', SK: 'OUTBOX#O1' });
    expect(parseOutbox(item)).toEqual(entry);
  });

  it('reads an entry written before, its sends a list of maps', () => {
    // Prepare
    const older = { ...outboxItem(entry), sends: entry.sends };

    // Act
    const read = parseOutbox(older);

    // Assess
    expect(read.sends).toEqual(entry.sends);
  });
});

const event = (n: number): ProjectEvent => ({
  projectId: 'P1',
  eventId: `E${n}`,
  at: '2026-12-07T01:00:00.000Z',
  type: 'sla_escalated',
  actor: { userId: 'system', role: 'system', name: '系统' },
  data: { note: `第 ${n} 级督办` },
});

describe('the events one transaction writes on a project, as one DynamoDB item', () => {
  it('stores them as one JSON string and reads them back one by one, in order', () => {
    // Prepare
    const events: [ProjectEvent, ...ProjectEvent[]] = [event(1), event(2), event(3)];

    // Act
    const item = eventsItem(events);

    // Assess
    expect(typeof item.events).toBe('string');
    expect(item).toMatchObject({ PK: 'PROJECT#P1', SK: 'EVENT#E1' });
    expect(eventsOf(item)).toEqual(events);
  });

  it('reads an item written before, its events a list of maps, and an event alone', () => {
    // Prepare
    const events: [ProjectEvent, ...ProjectEvent[]] = [event(1), event(2)];
    const older = { ...eventsItem(events), events };

    // Act
    const read = eventsOf(older);
    const alone = eventsOf(eventsItem([event(7)]));

    // Assess
    expect(read).toEqual(events);
    expect(alone).toEqual([event(7)]);
  });
});
