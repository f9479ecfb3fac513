import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { chainKey } from '../../shared/domain/chain.js';
import { validateChain } from '../../shared/domain/chain-validation.js';
import { type User, UserSchema } from '../../shared/domain/project.js';
import { referenceDepartments } from '../../shared/domain/reference/departments.js';
import { referenceChainVersions } from '../../shared/domain/reference/industrial-chain.js';
import { seedUsers } from '../local/seed-reference.js';
import { TABLE_OPTIONS, tableOrUsage, withTableStore } from './deployed-table.js';

const USAGE = `Loads the departments and the reference chain into a deployed Daiban table (idempotent).

Usage: npx tsx infra/aws/load-reference-data.ts --table <TableName> [options]

  --table <name>       the table of the stateful stack (output of \`cdk deploy\`, or the CloudFormation console)
  --region <region>    AWS region (default: AWS_REGION / your AWS profile)
  --users <file.json>  also put these users: a JSON array of {userId, name, role, departmentId?, enterpriseId?, phone?, email?}
  --demo-users         also put the demo users of the local runtime (agent-wang, officer-drc, …): for test stages only
  --endpoint <url>     a DynamoDB endpoint other than AWS's (e.g. DynamoDB Local)
`;

/**
 * Admin script: puts the reference departments and the validated 40-step reference chain (and, optionally, users)
 * into a deployed table. A chain version is immutable: an existing version is left as it is.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...TABLE_OPTIONS,
      users: { type: 'string' },
      'demo-users': { type: 'boolean', default: false },
    },
  });
  const table = tableOrUsage(values, USAGE);
  if (!table) return;

  const users: User[] = [];
  if (values.users) users.push(...z.array(UserSchema).parse(JSON.parse(readFileSync(values.users, 'utf8'))));
  if (values['demo-users']) users.push(...seedUsers());

  await withTableStore(table, values, async (store) => {
    for (const department of referenceDepartments) await store.putDepartment(department);
    console.log(`departments: ${referenceDepartments.length} put`);

    for (const version of referenceChainVersions) {
      const chain = validateChain(version, referenceDepartments);
      const existing = await store.getChain(chain.id, chain.version);
      if (existing) {
        console.log(
          `chain ${chainKey(chain)}: already loaded, left unchanged (chain versions are immutable)`,
        );
      } else {
        await store.putChain(chain);
        const steps = chain.stages.reduce((n, stage) => n + stage.steps.length, 0);
        console.log(`chain ${chainKey(chain)}: put (${chain.stages.length} stages, ${steps} steps)`);
      }
    }

    for (const user of users) await store.putUser(user);
    if (users.length > 0) console.log(`users: ${users.map((u) => `${u.userId} (${u.role})`).join(', ')}`);
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
