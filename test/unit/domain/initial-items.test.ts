import { describe, expect, it } from 'vitest';
import { initialItems, projectItems } from '../../../shared/domain/initial-items.js';
import { itemKey } from '../../../shared/domain/project.js';
import { jointReviewChain, twoStageChain } from '../../support/chain-fixtures.js';
import { fixtureProject } from '../../support/project-state.js';

describe("a project's items derived from its chain", () => {
  it('derives every item not written, as registration would have written it, and names them unwritten', () => {
    // Prepare
    const chain = twoStageChain();
    const project = fixtureProject(chain);
    const all = initialItems(chain, project.projectId, project.attributes, project.createdAt);
    // as a table written before registrations wrote nothing holds them: the first stage's
    const written = all.filter((item) => item.stageIndex === 0);

    // Act
    const { items, unwritten } = projectItems(chain, project, written);

    // Assess
    expect([...items.values()]).toEqual(
      [...all].sort((a, b) => (itemKey(a) < itemKey(b) ? -1 : itemKey(a) > itemKey(b) ? 1 : 0)),
    );
    expect([...unwritten].sort()).toEqual(
      all
        .filter((item) => item.stageIndex > 0)
        .map(itemKey)
        .sort(),
    );
  });

  it('takes a written item as the table holds it, moved on or not', () => {
    // Prepare: a second-stage step written once its stage was reached, and opened since
    const chain = twoStageChain();
    const project = fixtureProject(chain);
    const all = initialItems(chain, project.projectId, project.attributes, project.createdAt);
    const second = all.find((item) => item.stageIndex === 1);
    if (!second) throw new Error('the chain has a second stage');
    const opened = { ...second, status: 'ready' as const, version: 2 };

    // Act
    const { items, unwritten } = projectItems(chain, project, [opened]);

    // Assess
    expect(items.get(itemKey(second))).toEqual(opened);
    expect(unwritten.has(itemKey(second))).toBe(false);
    expect(items.size).toBe(all.length);
  });

  it('derives the parts of a joint review with their step, and nothing once every item is written', () => {
    // Prepare
    const chain = jointReviewChain();
    const project = fixtureProject(chain);
    const all = initialItems(chain, project.projectId, project.attributes, project.createdAt);

    // Act
    const none = projectItems(chain, project, []);
    const every = projectItems(chain, project, all);

    // Assess
    expect(all.some((item) => item.partId)).toBe(true);
    expect(none.unwritten.size).toBe(all.length);
    expect(every.unwritten.size).toBe(0);
  });
});
