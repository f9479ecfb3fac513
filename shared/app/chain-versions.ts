import type { ProjectStatus } from '../domain/step-status.js';
import type { AppContext } from './context.js';

/** How many projects are on one chain version: in flight (active or returned), completed, withdrawn. */
export type VersionCount = {
  chainId: string;
  version: number;
  inFlight: number;
  completed: number;
  withdrawn: number;
};

const PAGE = 100;

/**
 * Projects per chain version (each project records the version it was registered on and stays on it), by reading
 * every project's list row a page at a time: a district's few thousand projects are a few dozen small reads.
 * Versions without a project are listed with zeros; newest version first within a chain.
 */
export async function projectsPerChainVersion(ctx: AppContext): Promise<VersionCount[]> {
  const counts = new Map<string, VersionCount>();
  const countOf = (chainId: string, version: number): VersionCount => {
    const key = `${chainId}@${version}`;
    let count = counts.get(key);
    if (!count) {
      count = { chainId, version, inFlight: 0, completed: 0, withdrawn: 0 };
      counts.set(key, count);
    }
    return count;
  };
  for (const chain of await ctx.store.listChainVersions()) countOf(chain.id, chain.version);
  let cursor: string | undefined;
  do {
    const page = await ctx.store.listProjects({}, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const project of page.items) {
      const count = countOf(project.chainId, project.chainVersion);
      const status: ProjectStatus = project.status;
      if (status === 'completed') count.completed += 1;
      else if (status === 'withdrawn') count.withdrawn += 1;
      else count.inFlight += 1;
    }
    cursor = page.cursor;
  } while (cursor);
  return [...counts.values()].sort((a, b) => a.chainId.localeCompare(b.chainId) || b.version - a.version);
}
