import { assertAllowed } from '../domain/access-policy.js';
import { type Chain, chainKey } from '../domain/chain.js';
import { validateChain } from '../domain/chain-validation.js';
import { ConflictError } from '../domain/errors.js';
import type { Principal } from '../domain/principal.js';
import type { AppContext } from './context.js';

/**
 * An admin publishes a chain version: validated (unknown departments, cycles 互为前置 named, …), given its state
 * machine on this runtime (locally loaded; on AWS created from the same generated ASL), then stored. Versions are
 * immutable: publishing an existing version again is refused. Projects registered from now on use it; running
 * projects stay on theirs.
 */
export async function publishChain(ctx: AppContext, principal: Principal, input: unknown): Promise<Chain> {
  assertAllowed(principal, 'chain.publish');
  const chain = validateChain(input, await ctx.store.listDepartments());
  const existing = await ctx.store.getChain(chain.id, chain.version);
  if (existing) {
    throw new ConflictError(
      'CHAIN.VERSION_EXISTS',
      `chain ${chainKey(chain)} is already published and versions never change; publish version ${chain.version + 1}`,
    );
  }
  const latest = await ctx.store.getChain(chain.id);
  if (latest && latest.version > chain.version) {
    throw new ConflictError(
      'CHAIN.VERSION_OLD',
      `chain ${chain.id} is already at version ${latest.version}; publish version ${latest.version + 1}`,
    );
  }
  // The machine first: a chain in the table always has one.
  await ctx.engine.deployChain(chain);
  await ctx.store.putChain(chain);
  // this process registers on it from now on (another process learns of it from its registrations' head check)
  ctx.chains.forgetLatest(chain.id);
  return chain;
}
