import { describe, expect, it } from 'vitest';
import { DIGEST_FROM, digestNotifications } from '../../../shared/domain/notification-digest.js';
import type { Notification } from '../../../shared/domain/notifications.js';

const note = (userId: string, kind: Notification['kind'], n: number): Notification => ({
  userId,
  notificationId: `${userId}-${kind}-${n}`,
  at: `2026-12-07T0${n % 10}:00:00.000Z`,
  kind,
  title: `事项 ${n} 超时`,
  message: `第 ${n} 项`,
  projectId: `p${n}`,
  projectCode: `2026-320100-${n}`,
  stepId: String(n),
  read: false,
});

let ids = 0;
const newId = () => `digest-${++ids}`;

describe('the sweep inbox digest (汇总通知)', () => {
  it('writes a person’s few notifications of a kind as they are', () => {
    // Prepare
    const few = Array.from({ length: DIGEST_FROM }, (_, i) => note('leader-a', 'escalation', i));

    // Act
    const written = digestNotifications(few, newId);

    // Assess
    expect(written).toEqual(few);
  });

  it('makes one digest of more, naming every project and step, at the newest instant', () => {
    // Prepare
    const many = Array.from({ length: 25 }, (_, i) => note('leader-a', 'deemed_approval', i));

    // Act
    const [digest, ...rest] = digestNotifications(many, newId);

    // Assess
    expect(rest).toEqual([]);
    expect(digest).toMatchObject({
      userId: 'leader-a',
      kind: 'deemed_approval',
      read: false,
      at: '2026-12-07T09:00:00.000Z',
      title: expect.stringMatching(/^超时默认（视为同意）汇总：25 项/),
    });
    expect(digest?.digest).toHaveLength(25);
    expect(digest?.digest?.[3]).toEqual({
      title: '事项 3 超时',
      projectId: 'p3',
      projectCode: '2026-320100-3',
      stepId: '3',
    });
    expect(digest?.message.split('\n')).toHaveLength(21);
    expect(digest?.message).toMatch(/另有 5 项$/);
  });

  it('digests each person and each kind apart', () => {
    // Prepare
    const mixed = [
      ...Array.from({ length: 5 }, (_, i) => note('leader-a', 'breach', i)),
      ...Array.from({ length: 5 }, (_, i) => note('leader-b', 'breach', i)),
      ...Array.from({ length: 2 }, (_, i) => note('leader-a', 'escalation', i)),
    ];

    // Act
    const written = digestNotifications(mixed, newId);

    // Assess
    expect(written.map((n) => [n.userId, n.kind, n.digest?.length ?? 0])).toEqual([
      ['leader-a', 'breach', 5],
      ['leader-b', 'breach', 5],
      ['leader-a', 'escalation', 0],
      ['leader-a', 'escalation', 0],
    ]);
  });
});
