import { describe, expect, it } from 'vitest';
import { SERIAL_BLOCK_SIZE, SerialBlocks } from '../../shared/app/serial-blocks.js';
import { chinaDate } from '../../shared/domain/working-days.js';
import { projectRegistration } from '../support/fixtures.js';
import { useTestSystem } from '../support/local-system.js';

/** The serial of a provisional code `YYYY-RRRRRR-DD-TT-NNNNNC`. */
const serialOf = (code: string): number => Number(code.slice(18, 23));

describe('project code serials drawn a block at a time', () => {
  const t = useTestSystem();

  it('gives registrations made at once unique codes, from one counter update per block', async () => {
    // Prepare
    const registrations = SERIAL_BLOCK_SIZE + 5;
    const sequence = `project-code#${chinaDate(new Date()).slice(0, 4)}#${t.system.ctx.config.regionCode}`;
    const before = (await t.system.ctx.store.readSerial(sequence)) ?? 0;

    // Act
    const answers = await Promise.all(
      Array.from({ length: registrations }, (_, i) =>
        t.api.post('/projects', 'agent-wang', projectRegistration({ name: `同时登记项目 ${i}` })),
      ),
    );

    // Assess
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const serials = answers.map((a) => serialOf(a.body.code));
    expect(new Set(serials).size).toBe(registrations);
    // what was left of the process's block, and one more block drawn once for all who waited on it
    expect((await t.system.ctx.store.readSerial(sequence)) ?? 0).toBeLessThanOrEqual(
      before + 2 * SERIAL_BLOCK_SIZE,
    );
    expect(Math.min(...serials)).toBeGreaterThan(0);
  });

  it('never repeats a serial after a restart or in a second process: the numbers left in a block become a gap', async () => {
    // Prepare
    const sequence = `test-sequence#${Date.now()}`;
    const running = new SerialBlocks(t.system.ctx.store);
    const drawnBefore = [await running.draw(sequence), await running.draw(sequence)];

    // Act: a restarted process (a fresh SerialBlocks over the same table), and the old one drawing on meanwhile
    const restarted = new SerialBlocks(t.system.ctx.store);
    const drawnAfter = await Promise.all([
      restarted.draw(sequence),
      restarted.draw(sequence),
      running.draw(sequence),
      restarted.draw(sequence),
    ]);

    // Assess
    expect(drawnBefore).toEqual([1, 2]);
    expect(drawnAfter).toEqual([SERIAL_BLOCK_SIZE + 1, SERIAL_BLOCK_SIZE + 2, 3, SERIAL_BLOCK_SIZE + 3]);
    expect(await t.system.ctx.store.readSerial(sequence)).toBe(2 * SERIAL_BLOCK_SIZE);
  });
});
