import type { Context } from 'hono';
import type { ClockControl } from '../../shared/app/clock-control.js';
import type { AppContext } from '../../shared/app/context.js';
import type { JobReport } from '../../shared/app/scheduled-job.js';
import type { LocalSignIn } from '../../shared/app/sign-in.js';
import type { SweepJobStarter } from '../../shared/app/sweep-requests.js';
import type { JobRuns } from '../../shared/app/sweep-runs.js';
import type { PasswordHasher } from '../../shared/auth/password-hasher.port.js';
import type { IssuedToken } from '../../shared/auth/session-tokens.js';
import type { Principal } from '../../shared/domain/principal.js';
import type { User } from '../../shared/domain/project.js';

/** What the API needs from its entry point (Lambda or the local runtime). */
export type ApiDeps = {
  ctx: AppContext;
  /** Resolves the caller from the request (the local session token, or API Gateway's JWT claims on AWS). */
  authenticate: (c: Context) => Promise<Principal>;
  /**
   * Sign-in with a password (`POST /auth/login`) and the admin's user management (`/admin/users`): the local
   * runtime and the AWS API function alike (users and password hashes live in the table).
   */
  accounts?: { signIn: LocalSignIn; passwords: PasswordHasher };
  /** Demo mode only: a token for any user without a password (`POST /auth/dev-token`, `GET /auth/users`). */
  issueDevToken?: (user: User) => Promise<IssuedToken>;
  /** Whether the workflow engine takes work (for `/health`); absent: assumed up. */
  engineHealthy?: () => boolean;
  /** Runs the scheduled job now (for `POST /admin/jobs`); absent: the route runs it in the request. */
  runScheduledJob?: () => Promise<JobReport>;
  /**
   * The local runtime's runs of the scheduled job in the background: `POST /admin/clock` and `/admin/sla-sweeps`
   * start one and answer 202 at once, its progress recorded (`GET /admin/sla-sweeps/{runId}`); absent (AWS): none.
   */
  jobs?: JobRuns;
  /**
   * AWS: starts the scheduled job's function for a run recorded as queued (an event on the bus whose rule invokes
   * it); `POST /admin/sla-sweeps` answers 202 with that run. Absent: the local runtime's `jobs`, or none.
   */
  startSweepJob?: SweepJobStarter;
  /**
   * Starts the worker of a queued import job at once, in the background (the local runtime); absent (AWS): the
   * route raises `import_job_queued` on the bus, whose rule invokes the job function.
   */
  importWorker?: (jobId: string) => void;
  /** The local runtime's clock as an admin may see and move it; absent: the real clock (AWS). */
  clock?: ClockControl;
  /**
   * The local runtime's consistent snapshot of the table (`POST /admin/backup`, gzip'd JSON Lines: see
   * shared/store/snapshot.ts); absent on AWS, where a deployed table is exported from a point-in-time restore.
   */
  backup?: () => Promise<Uint8Array>;
};

export type ApiEnv = {
  Variables: {
    principal: Principal;
    /** set by the idempotency middleware when the request carries an Idempotency-Key */
    idempotency?: { key: string; hash: string; id: string };
  };
};
