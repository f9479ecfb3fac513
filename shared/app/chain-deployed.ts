import { type Chain, chainKey } from '../domain/chain.js';
import { ConflictError } from '../domain/errors.js';
import type { AppContext } from './context.js';

/** Refuses (409) a chain version whose state machine is not deployed: no project can run on it yet. */
export async function assertChainDeployed(ctx: Pick<AppContext, 'engine'>, chain: Chain): Promise<void> {
  const key = chainKey(chain);
  if (!(await ctx.engine.hasChain(key))) {
    throw new ConflictError(
      'CHAIN.NOT_DEPLOYED',
      `chain ${key} has no state machine yet, so no project can run on it; publish it again (POST /chains)`,
    );
  }
}
