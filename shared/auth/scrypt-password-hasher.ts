import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';
import { UnavailableError } from '../domain/errors.js';
import { type ConcurrencyLimit, concurrencyLimit } from '../lib/concurrency-limit.js';
import type { PasswordHasher } from './password-hasher.port.js';

/** scrypt's cost parameters: N = 2^ln (CPU and memory), r (block size), p (parallelism). */
export type ScryptParams = { ln: number; r: number; p: number };

/**
 * N = 2^15, r = 8, p = 1: 32 MiB and about 0.1 s per hash on a laptop, the scrypt paper's parameters for
 * interactive logins. At most {@link DEFAULT_HASHING}.maxConcurrent hashes run at once, so a burst of sign-ins costs
 * at most 64 MiB. Raise them here: stored hashes keep their own and are re-hashed at their user's next sign-in.
 */
export const DEFAULT_SCRYPT: ScryptParams = { ln: 15, r: 8, p: 1 };

/**
 * How many hashes run at once in the whole process, and how many may wait for a turn. scrypt runs on Node's thread
 * pool (four threads), which file and DNS work share: two at once leave it room, and the CPU to the requests that
 * do not hash, so a flood of sign-ins does not slow `GET /health` or a signed-in page. Beyond the queue a sign-in is
 * refused at once (503 with Retry-After), not queued behind a minute of hashing.
 */
export const DEFAULT_HASHING = { maxConcurrent: 2, maxWaiting: 32 } as const;
export type HashingBound = { maxConcurrent: number; maxWaiting: number };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** A stored hash asking for more than this is refused unread (a tampered record must not cost a gigabyte). */
const LIMITS = { ln: [10, 20], r: [1, 32], p: [1, 16] } as const;
const PHC =
  /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,88})\$([A-Za-z0-9+/]{32,88})$/;

const b64 = (bytes: Buffer): string => bytes.toString('base64').replace(/=+$/, '');

function derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
  const N = 2 ** params.ln;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r };
  return new Promise((resolve, reject) => {
    // NFKC: the same password typed on another keyboard (full-width digits, composed accents) is the same password
    scrypt(password.normalize('NFKC'), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

type Parsed = { params: ScryptParams; salt: Buffer; key: Buffer };

function parse(stored: string): Parsed | undefined {
  const match = PHC.exec(stored);
  if (!match) return undefined;
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  for (const name of ['ln', 'r', 'p'] as const) {
    const [min, max] = LIMITS[name];
    if (params[name] < min || params[name] > max) return undefined;
  }
  return { params, salt: Buffer.from(match[4] ?? '', 'base64'), key: Buffer.from(match[5] ?? '', 'base64') };
}

/**
 * Passwords hashed with scrypt (node:crypto, memory-hard), a random 16-byte salt per hash, stored in the PHC string
 * format with their parameters: `$scrypt$ln=15,r=8,p=1$<salt>$<hash>` (base64 without padding).
 *
 * @example const hasher = new ScryptPasswordHasher(); const stored = await hasher.hash('correct horse battery');
 * await hasher.verify('correct horse battery', stored) // true
 */
export class ScryptPasswordHasher implements PasswordHasher {
  /** a fixed salt for `verifyNone`: its result is never compared with anything that matters */
  private readonly noneSalt = randomBytes(SALT_BYTES);
  /** every hash of this hasher takes a turn here (one hasher per process) */
  readonly #turns: ConcurrencyLimit;

  constructor(
    private readonly params: ScryptParams = DEFAULT_SCRYPT,
    bound: HashingBound = DEFAULT_HASHING,
  ) {
    this.#turns = concurrencyLimit(bound.maxConcurrent, {
      maxWaiting: bound.maxWaiting,
      full: () =>
        new UnavailableError('AUTH.BUSY', 'too many sign-ins at once; try again in a few seconds', 2),
    });
  }

  /** hashes running and waiting now, and the most that ever ran at once */
  get load(): { running: number; waiting: number; peak: number } {
    return { running: this.#turns.running, waiting: this.#turns.waiting, peak: this.#turns.peak };
  }

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_BYTES);
    const key = await this.#derive(password, salt, this.params, KEY_BYTES);
    const { ln, r, p } = this.params;
    return `$scrypt$ln=${ln},r=${r},p=${p}$${b64(salt)}$${b64(key)}`;
  }

  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parse(stored);
    if (!parsed) return false;
    const key = await this.#derive(password, parsed.salt, parsed.params, parsed.key.length);
    return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
  }

  async verifyNone(password: string): Promise<false> {
    await this.#derive(password, this.noneSalt, this.params, KEY_BYTES);
    return false;
  }

  #derive(password: string, salt: Buffer, params: ScryptParams, length: number): Promise<Buffer> {
    return this.#turns(() => derive(password, salt, params, length));
  }

  needsRehash(stored: string): boolean {
    const parsed = parse(stored);
    if (!parsed) return true;
    const { ln, r, p } = parsed.params;
    return ln < this.params.ln || r < this.params.r || p < this.params.p;
  }
}
