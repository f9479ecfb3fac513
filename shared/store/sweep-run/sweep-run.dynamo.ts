import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { SWEEP_RUN_RETENTION_DAYS, type SweepRun, SweepRunSchema } from '../../domain/sweep-run.js';
import { stripKeys } from '../dynamo-codec.js';
import { conditionFailed, type DynamoTable } from '../dynamo-table.js';
import { keys, SWEEP_RUNS } from '../keys.js';
import type { Page, PageRequest } from '../page.js';
import type { SweepRunStore } from './sweep-run.port.js';

/** DynamoDB adapter of {@link SweepRunStore}: one partition of runs, sorted by run id (ULIDs: by start). */
export class SweepRunDynamo implements SweepRunStore {
  constructor(private readonly table: DynamoTable) {}

  #item(run: SweepRun) {
    const expiresAt = Math.floor(Date.parse(run.startedAt) / 1000) + SWEEP_RUN_RETENTION_DAYS * 86_400;
    return { ...keys.sweepRun(run.runId), ...SweepRunSchema.parse(run), expiresAt };
  }

  async putSweepRun(run: SweepRun): Promise<void> {
    await this.table.put(this.#item(run));
  }

  createSweepRun(run: SweepRun): Promise<boolean> {
    return this.#putIf(run, 'attribute_not_exists(PK)', {});
  }

  claimSweepRun(run: SweepRun): Promise<boolean> {
    return this.#putIf(run, '#state = :queued', { ':queued': 'queued' }, { '#state': 'state' });
  }

  async getSweepRun(runId: string): Promise<SweepRun | undefined> {
    const item = await this.table.get(keys.sweepRun(runId));
    return item ? parse(item) : undefined;
  }

  listSweepRuns(page: PageRequest): Promise<Page<SweepRun>> {
    return this.table.queryPage(
      {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': SWEEP_RUNS },
        ScanIndexForward: false,
      },
      page,
      parse,
    );
  }

  async #putIf(
    run: SweepRun,
    condition: string,
    values: Record<string, string>,
    names?: Record<string, string>,
  ): Promise<boolean> {
    try {
      await this.table.send(
        new PutCommand({
          TableName: this.table.name,
          Item: this.#item(run),
          ConditionExpression: condition,
          ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
          ...(names ? { ExpressionAttributeNames: names } : {}),
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }
}

function parse(item: Record<string, unknown>): SweepRun {
  const { expiresAt: _e, ...rest } = stripKeys(item);
  return SweepRunSchema.parse(rest);
}
