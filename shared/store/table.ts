/**
 * The single table's key schema, shared by the CDK stack and the local runtime so both build the same table.
 *
 * | item             | PK              | SK                 | GSI1                               | GSI2             | GSI3                | Work (sparse, keys only) |
 * | project          | PROJECT#<id>    | PROJECT            | PROJECTS#<status>#<shard> / created | AGENT#<agentId>  | ENTERPRISE#<credit> | renewAt (execution)      |
 *   (and GSI4: LEAD#<dept> / created, while in flight: the lead department of its current stage)
 * | step / part      | PROJECT#<id>    | STEP#<key>         | DEPT#<dept> / status#since (open)   |                  |                     | slaCheckAt (in review)   |
 * | tokens           | PROJECT#<id>    | TOKEN#<key>        |                                     |                  |                     |                          |
 * | event            | PROJECT#<id>    | EVENT#<ulid>       |                                     |                  |                     |                          |
 * | agent handover   | PROJECT#<id>    | PROJECT#ASSIGNMENT#<ulid> |                                     |                  |                     |                          |
 * | outbox           | PROJECT#<id>    | OUTBOX#<id>        |                                     |                  |                     | retryAt                  |
 * | project code     | CODE#<code>     | CODE               |                                     |                  |                     |                          |
 * | department       | DEPT#<id>       | DEPT               | DEPARTMENTS / id                    |                  |                     |                          |
 * | chain version    | CHAIN#<id>      | VERSION#<000n>     | CHAINS / id#version                 |                  |                     |                          |
 * | user             | USER#<id>       | USER               | USERS / role#id                     |                  |                     |                          |
 * | credential       | USER#<id>       | CREDENTIAL         |                                     |                  |                     |                          |
 * | counter          | COUNTER#<name>  | COUNTER            |                                     |                  |                     |                          |
 * | setting          | SETTING#<name>  | SETTING            |                                     |                  |                     |                          |
 * | complaint        | COMPLAINT#<id>  | COMPLAINT          | COMPLAINTS / filedAt#id             | COMPLAINANT#<u>  | COMPLAINED#<dept>   | slaCheckAt (open)        |
 *
 * A local user's password hash is its own item (CREDENTIAL), in no index: no read of users ever carries it.
 * `<key>` is a step id, or `<stepId>#<partId>` for a part of a joint review. Task tokens live in their own items,
 * so no index ever copies them. A project's working set (project, handovers, steps, parts, tokens) is one Query:
 * `SK >= PROJECT` (layout-upgrade.ts moves the handovers of a table written before they sorted there).
 */
export const TableKeys = {
  partitionKey: 'PK',
  sortKey: 'SK',
} as const;

export const TableIndexes = [
  { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK', projection: 'ALL' },
  { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK', projection: 'ALL' },
  { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK', projection: 'ALL' },
  /** in-flight projects by the lead department (牵头部门) of the stage they are in */
  { indexName: 'GSI4', partitionKey: 'GSI4PK', sortKey: 'GSI4SK', projection: 'ALL' },
  /**
   * What the scheduled job must look at, by the instant it comes due: outbox entries left unsent, executions to
   * renew, steps whose SLA moves on. Write-sharded; keys only (the job re-reads each base item before acting).
   */
  { indexName: 'Work', partitionKey: 'WorkPK', sortKey: 'WorkSK', projection: 'KEYS_ONLY' },
] as const;

/** Number of write shards of the Work index. */
export const WORK_SHARDS = 8;
/** Number of write shards of the "projects by status" key (the active list is the hot one). */
export const STATUS_SHARDS = 4;
