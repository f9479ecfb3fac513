import type { Chain } from '../domain/chain.js';
import { chainKey } from '../domain/chain.js';
import { NotFoundError } from '../domain/errors.js';
import type { ReferenceStore } from '../store/reference/reference.port.js';

/** Chain versions are immutable, so each is read from the store once per process. */
export class ChainCatalog {
  private readonly cache = new Map<string, Chain>();
  constructor(private readonly store: ReferenceStore) {}

  async get(chainId: string, version: number): Promise<Chain> {
    const key = chainKey({ id: chainId, version });
    const cached = this.cache.get(key);
    if (cached) return cached;
    const chain = await this.store.getChain(chainId, version);
    if (!chain) throw new NotFoundError('CHAIN.NOT_FOUND', `chain ${key} does not exist`);
    this.cache.set(key, chain);
    return chain;
  }

  /**
   * The latest version of a chain, for new projects: which one it is, read from the table each time (a small item;
   * another process may have published a new one), the chain itself from this process's cache.
   */
  async latest(chainId: string): Promise<Chain> {
    const version = await this.store.getLatestChainVersion(chainId);
    if (version !== undefined) return this.get(chainId, version);
    // a chain stored before its latest version was kept apart: read the latest version itself
    const chain = await this.store.getChain(chainId);
    if (!chain) {
      const known = (await this.store.listChains()).map((c) => c.id).join(', ') || 'none';
      throw new NotFoundError('CHAIN.NOT_FOUND', `unknown chain '${chainId}'; known chains: ${known}`);
    }
    this.cache.set(chainKey(chain), chain);
    return chain;
  }
}
