import { describe, expect, it } from 'vitest';
import { ProjectSchema, ProjectStepSchema } from '../../../shared/domain/project.js';
import { CredentialSchema } from '../../../shared/domain/user-accounts.js';
import { TOKEN_FIELDS } from '../../../shared/store/dynamo-codec.js';
import { IndexReads } from '../../../shared/store/index-reads.js';
import { MAX_PROJECTED_ATTRIBUTES, type TableIndex, TableIndexes } from '../../../shared/store/table.js';

const projected = (index: TableIndex): string[] => [...(index.nonKeyAttributes ?? [])];
const indexNamed = (name: string): TableIndex => {
  const found = TableIndexes.find((index) => index.indexName === name);
  if (!found) throw new Error(`no index ${name}`);
  return found;
};

describe('what the indexes of the table copy', () => {
  it.each(Object.entries(IndexReads))('%s projects exactly what the queries on it read', (name, reads) => {
    // Prepare
    const wanted = new Set(Object.values(reads).flat());

    // Act
    const index = indexNamed(name);

    // Assess: every field of every row read there is projected (a field added to a row schema and not projected
    // fails here), and nothing else is
    expect(index.projection).toBe('INCLUDE');
    expect(new Set(projected(index))).toEqual(wanted);
    expect(projected(index)).toHaveLength(wanted.size);
  });

  it('lists every index but the keys-only Work index among those read by their rows', () => {
    // Act
    const included = TableIndexes.filter((index) => index.projection === 'INCLUDE').map((i) => i.indexName);

    // Assess
    expect(included.sort()).toEqual(Object.keys(IndexReads).sort());
    expect(indexNamed('Work')).toMatchObject({ projection: 'KEYS_ONLY' });
    expect(indexNamed('Work').nonKeyAttributes).toBeUndefined();
  });

  it("stays within DynamoDB's limit of 100 projected attributes over all indexes", () => {
    // Act
    const total = TableIndexes.reduce((sum, index) => sum + projected(index).length, 0);

    // Assess
    expect(MAX_PROJECTED_ATTRIBUTES).toBe(100);
    expect(total).toBeLessThanOrEqual(MAX_PROJECTED_ATTRIBUTES);
  });

  it('copies no token, no password hash, and none of the big attributes no list shows', () => {
    // Prepare
    const never = [
      ...Object.values(TOKEN_FIELDS).flatMap((fields) => Object.values(fields)),
      ...Object.keys(CredentialSchema.shape).filter((name) => name !== 'userId'),
      'attributes',
      'requestHash',
      'execution',
      'conditions',
      'earlierRounds',
      'missingMaterials',
      'deferred',
      'commitment',
      'sends',
      'tokenSeq',
    ];

    // Act
    const copied = TableIndexes.flatMap(projected);

    // Assess: the names are real fields (a rename would make this test pass for nothing)
    expect(Object.keys(ProjectSchema.shape)).toEqual(expect.arrayContaining(['attributes', 'execution']));
    expect(Object.keys(ProjectStepSchema.shape)).toEqual(
      expect.arrayContaining(['conditions', 'earlierRounds', 'missingMaterials', 'deferred', 'commitment']),
    );
    for (const name of never) expect(copied).not.toContain(name);
  });
});
