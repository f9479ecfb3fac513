import type { Chain } from '../domain/chain.js';
import { chainKey } from '../domain/chain.js';
import { NotFoundError } from '../domain/errors.js';
import type { ReferenceStore } from '../store/reference/reference.port.js';

/** Chain versions are immutable, so each is read from the store once per process. */
export class ChainCatalog {
  private readonly cache = new Map<string, Chain>();
  /** each chain's latest version as this process last read it (see `latestSeen`) */
  private readonly heads = new Map<string, { chain: Chain; head: number | undefined }>();
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
    return (await this.readLatest(chainId)).chain;
  }

  /**
   * The latest version of a chain as this process last read it, without a read once known, and the head it was
   * read from: a writer that must be on the latest version checks `head` in its transaction (`check_chain_head`) and,
   * when another process published a new version meanwhile, calls `forgetLatest` and tries again.
   */
  async latestSeen(chainId: string): Promise<{ chain: Chain; head: number | undefined }> {
    const seen = this.heads.get(chainId);
    if (seen) return seen;
    const read = await this.readLatest(chainId);
    this.heads.set(chainId, read);
    return read;
  }

  /** Forgets the latest version seen of a chain (a new one was published): the next `latestSeen` reads it. */
  forgetLatest(chainId: string): void {
    this.heads.delete(chainId);
  }

  private async readLatest(chainId: string): Promise<{ chain: Chain; head: number | undefined }> {
    const version = await this.store.getLatestChainVersion(chainId);
    if (version !== undefined) return { chain: await this.get(chainId, version), head: version };
    // a chain stored before its latest version was kept apart: read the latest version itself
    const chain = await this.store.getChain(chainId);
    if (!chain) {
      const known = (await this.store.listChains()).map((c) => c.id).join(', ') || 'none';
      throw new NotFoundError('CHAIN.NOT_FOUND', `unknown chain '${chainId}'; known chains: ${known}`);
    }
    this.cache.set(chainKey(chain), chain);
    return { chain, head: undefined };
  }
}
