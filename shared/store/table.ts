/**
 * The single table's key schema, shared by the CDK stack and the local runtime so both build the same table.
 *
 * | item             | PK              | SK                 | GSI1                               | GSI2             | GSI3                | Work (sparse, keys only) |
 * | project          | PROJECT#<id>    | PROJECT            | PROJECTS#<status>#<shard> / created | AGENT#<agentId>  | ENTERPRISE#<credit> | renewAt (execution)      |
 *   (and GSI4: LEAD#<dept> / created, while in flight: the lead department of its current stage)
 * | step / part      | PROJECT#<id>    | STEP#<key>         | DEPT#<dept> / status#since (open)   | FLAGGED (due date flagged) |           | slaCheckAt (in review)   |
 * | tokens           | PROJECT#<id>    | TOKEN#<key>        |                                     |                  |                     |                          |
 * | event            | PROJECT#<id>    | EVENT#<ulid>       |                                     |                  |                     |                          |
 * | agent handover   | PROJECT#<id>    | PROJECT#ASSIGNMENT#<ulid> |                                     |                  |                     |                          |
 * | outbox           | PROJECT#<id>    | OUTBOX#<id>        |                                     |                  |                     | retryAt                  |
 * | project code     | CODE#<code>     | CODE               |                                     |                  |                     |                          |
 * | department       | DEPT#<id>       | DEPT               | DEPARTMENTS / id                    |                  |                     |                          |
 * | chain version    | CHAIN#<id>      | VERSION#<000n>     | CHAINS / id#version                 |                  |                     |                          |
 * | user             | USER#<id>       | USER               | USERS / role#id                     | USERS#DEPT#<d> or USERS#ROLE#<r> |     |                          |
 * | credential       | USER#<id>       | CREDENTIAL         |                                     |                  |                     |                          |
 * | counter          | COUNTER#<name>  | COUNTER            |                                     |                  |                     |                          |
 * | setting          | SETTING#<name>  | SETTING            |                                     |                  |                     |                          |
 * | meeting          | MEETING#<id>    | MEETING            | MEETINGS / created#id               |                  |                     |                          |
 * | batch (上下协同)  | BATCH#<id>      | BATCH              | BATCHES / created#id                |                  |                     |                          |
 * | complaint        | COMPLAINT#<id>  | COMPLAINT          | COMPLAINTS / filedAt#id             | COMPLAINANT#<u>  | COMPLAINED#<dept>   | slaCheckAt (open)        |
 *
 * A project's step and part items are written stage by stage: its first stage's at registration, a later stage's in
 * the transaction that moves the project to it (or at its first change, if sooner). Until then an item is exactly as
 * registration would have written it, so reads derive it from the chain (shared/domain/initial-items.ts).
 *
 * The events one transaction writes on one project are one event item (under the first one's id, an `events` list),
 * read back one by one (`eventsOf`; a page of events still holds as many events as asked).
 *
 * A local user's password hash is its own item (CREDENTIAL), in no index: no read of users ever carries it.
 * `<key>` is a step id, or `<stepId>#<partId>` for a part of a joint review. Task tokens live in their own items,
 * which carry no index key, so no index ever copies them. A project's working set (outbox entries still owed, project,
 * handovers, steps, parts, tokens) is one Query: `SK >= OUTBOX#` (layout-upgrade.ts moves the handovers of a table
 * written before they sorted there).
 *
 * Projections: each index copies exactly the attributes the queries on it read (INCLUDE), never a whole item: a
 * project's row (shared/domain/list-rows.ts: ids, names, status, chain, stage, departments, progress), a step's inbox
 * row (ids, round, dates, clock), departments, users and chain versions whole (small, and read whole). Meetings,
 * batches and complaints are listed by keys (batches also by the `agentId`/`departmentId` their filter reads) and
 * read whole from the table, a page at a time. A project's attribute map, a step's conditions, history and
 * supplements, a token, a password hash: in no index. `index-reads.ts` names what each query reads; a test holds the
 * lists below to it, and to DynamoDB's limit of 100 projected attributes summed over all indexes.
 *
 * DynamoDB cannot change an index's projection in place. A local table made by an older version (projection ALL)
 * keeps working as it is: every read parses only the attributes listed here, and ignores the rest. On AWS,
 * CloudFormation refuses to change a projection too: a stack deployed with ALL needs each GSI replaced (removed in one
 * deployment, added back in the next), as does any later change of a list below (docs/deploy-aws.md).
 */
export const TableKeys = {
  partitionKey: 'PK',
  sortKey: 'SK',
} as const;

/** An index: its keys, and what else it copies of each item (INCLUDE: these attributes; KEYS_ONLY: nothing). */
export type TableIndex = {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: 'INCLUDE' | 'KEYS_ONLY';
  readonly nonKeyAttributes?: readonly string[];
};

const USER = [
  'userId',
  'name',
  'role',
  'departmentId',
  'enterpriseId',
  'phone',
  'email',
  'disabled',
] as const;
const PROJECT_ROW = [
  'projectId',
  'code',
  'name',
  'enterpriseName',
  'enterpriseId',
  'agentId',
  'status',
  'chainId',
  'chainVersion',
  'currentStageIndex',
  'departments',
  'createdAt',
  'updatedAt',
  'stepsTotal',
  'stepsClosed',
] as const;
const INBOX_ITEM = [
  'projectId',
  'stepId',
  'partId',
  'status',
  'round',
  'submittedAt',
  'dueDate',
  'legalDueDate',
  'dueFlagged',
  'supplementRounds',
  'clock',
  'decidedAt',
] as const;

const union = (...lists: ReadonlyArray<readonly string[]>): string[] => [...new Set(lists.flat())];

export const TableIndexes = [
  /**
   * departments, chain versions, users, projects by status, a department's open steps, meetings, batches,
   * complaints
   */
  {
    indexName: 'GSI1',
    partitionKey: 'GSI1PK',
    sortKey: 'GSI1SK',
    projection: 'INCLUDE',
    nonKeyAttributes: union(
      ['id', 'name', 'nameEn', 'level', 'phone', 'webhookUrl'],
      ['chain'],
      USER,
      PROJECT_ROW,
      INBOX_ITEM,
      ['agentId', 'departmentId'],
    ),
  },
  /** users of a department or role, projects by agent, complaints by complainant, flagged due dates */
  {
    indexName: 'GSI2',
    partitionKey: 'GSI2PK',
    sortKey: 'GSI2SK',
    projection: 'INCLUDE',
    nonKeyAttributes: union(USER, PROJECT_ROW, ['workSeq', 'work'], ['projectId', 'stepId', 'partId']),
  },
  /** projects by enterprise, complaints by the department complained about */
  {
    indexName: 'GSI3',
    partitionKey: 'GSI3PK',
    sortKey: 'GSI3SK',
    projection: 'INCLUDE',
    nonKeyAttributes: PROJECT_ROW,
  },
  /** in-flight projects by the lead department (牵头部门) of the stage they are in */
  {
    indexName: 'GSI4',
    partitionKey: 'GSI4PK',
    sortKey: 'GSI4SK',
    projection: 'INCLUDE',
    nonKeyAttributes: ['projectId', 'code', 'name', 'status', 'chainId', 'chainVersion', 'currentStageIndex'],
  },
  /**
   * What the scheduled job must look at, by the instant it comes due: outbox entries left unsent, executions to
   * renew, steps whose SLA moves on. Write-sharded; keys only (the job re-reads each base item before acting).
   */
  { indexName: 'Work', partitionKey: 'WorkPK', sortKey: 'WorkSK', projection: 'KEYS_ONLY' },
] as const satisfies readonly TableIndex[];

/** DynamoDB's limit: INCLUDE attributes summed over all the indexes of a table. */
export const MAX_PROJECTED_ATTRIBUTES = 100;

/** Number of write shards of the Work index. */
export const WORK_SHARDS = 8;
/** Number of write shards of the "projects by status" key (the active list is the hot one). */
export const STATUS_SHARDS = 4;
