import type { Context } from 'hono';
import type { ClockControl } from '../../shared/app/clock-control.js';
import type { AppContext } from '../../shared/app/context.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { User } from '../../shared/domain/project.js';

/** What the API needs from its entry point (Lambda or the local runtime). */
export type ApiDeps = {
  ctx: AppContext;
  /** Resolves the caller from the request (bearer JWT locally, API Gateway JWT claims on AWS). */
  authenticate: (c: Context) => Promise<Principal>;
  /**
   * Resolves the caller from a session token the pages keep in the `daiban_session` cookie (the same JWT the API
   * takes as a bearer token). Absent: the pages rely on `authenticate` alone.
   */
  authenticateToken?: (token: string) => Promise<Principal>;
  /** Local demo mode only: issues tokens for seeded users. Absent on AWS. */
  issueDevToken?: (user: User) => Promise<string>;
  /** Whether the workflow engine takes work (for `/health`); absent: assumed up. */
  engineHealthy?: () => boolean;
  /** Runs the scheduled job now (for `POST /admin/jobs`); absent: the route runs it in the request. */
  runScheduledJob?: () => Promise<Record<string, number>>;
  /** The local runtime's clock as an admin may see and move it; absent: the real clock (AWS). */
  clock?: ClockControl;
};

export type ApiEnv = {
  Variables: {
    principal: Principal;
    /** set by the idempotency middleware when the request carries an Idempotency-Key */
    idempotency?: { key: string; hash: string; id: string };
  };
};
