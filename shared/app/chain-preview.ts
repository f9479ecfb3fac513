import { assertAllowed } from '../domain/access-policy.js';
import { type ChainPreview, previewChain } from '../domain/chain-preview.js';
import { validateChain } from '../domain/chain-validation.js';
import type { Principal } from '../domain/principal.js';
import { projectsPerChainVersion, type VersionCount } from './chain-versions.js';
import type { AppContext } from './context.js';

export type ChainPreviewAnswer = ChainPreview & {
  /** projects on each published version of this chain (in flight keep theirs) */
  projects: VersionCount[];
};

/**
 * An admin previews a chain version before publishing it (only who may publish may preview): its problems, critical
 * path, picture and differences from the version in force, and how many projects are on each version. Nothing is
 * written and no state machine is deployed.
 */
export async function previewChainVersion(
  ctx: AppContext,
  principal: Principal,
  input: unknown,
  /** `refuse`: a body that does not read as a chain at all is a 400 (the API); `report`: listed as problems (the page) */
  unreadable: 'refuse' | 'report' = 'report',
): Promise<ChainPreviewAnswer> {
  assertAllowed(principal, 'chain.publish');
  const id = typeof input === 'object' && input !== null ? (input as { id?: unknown }).id : undefined;
  const [departments, inForce, projects] = await Promise.all([
    ctx.store.listDepartments(),
    typeof id === 'string' && /^[a-z0-9-]{1,60}$/.test(id) ? ctx.store.getChain(id) : undefined,
    projectsPerChainVersion(ctx),
  ]);
  const preview = previewChain(input, departments, inForce);
  // throws CHAIN.INVALID with every problem, as POST /chains does for the same body
  if (preview.chain === undefined && unreadable === 'refuse') validateChain(input, departments);
  return { ...preview, projects: projects.filter((p) => p.chainId === (preview.chain?.id ?? id)) };
}
