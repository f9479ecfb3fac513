/**
 * The single table's key schema, shared by the CDK stack and the local runtime so both build the same table.
 *
 * | item              | PK                 | SK                  | GSI1 (queues)               | GSI2 (by agent)  | GSI3 (by enterprise) | ByDueAt (sparse)      |
 * | project           | PROJECT#<id>       | PROJECT             | PROJECTS#<status> / created | AGENT#<agentId>  | ENTERPRISE#<code>    |                       |
 * | step              | PROJECT#<id>       | STEP#<stepId>       | DEPT#<dept> / status#since  |                  |                      | DUE#<shard> / dueAt   |
 * | event             | PROJECT#<id>       | EVENT#<ulid>        |                             |                  |                      |                       |
 * | agent assignment  | PROJECT#<id>       | ASSIGNMENT#<ulid>   |                             |                  |                      |                       |
 * | department        | DEPT#<id>          | DEPT                | DEPARTMENTS / id            |                  |                      |                       |
 * | chain version     | CHAIN#<id>         | VERSION#<000n>      | CHAINS / id#version         |                  |                      |                       |
 * | user              | USER#<id>          | USER                | USERS / role#id             |                  |                      |                       |
 * | counter           | COUNTER#<name>     | COUNTER             |                             |                  |                      |                       |
 */
export const TableKeys = {
  partitionKey: 'PK',
  sortKey: 'SK',
} as const;

export const TableIndexes = [
  { indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  { indexName: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
  { indexName: 'GSI3', partitionKey: 'GSI3PK', sortKey: 'GSI3SK' },
  /** Open steps by due instant, write-sharded so the SLA sweep reads only what is due. */
  { indexName: 'ByDueAt', partitionKey: 'DuePK', sortKey: 'DueSK' },
] as const;

/** Number of write shards of the ByDueAt index. */
export const DUE_SHARDS = 8;
