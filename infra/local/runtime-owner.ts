import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { LeaseHolder, RuntimeOwner } from '../../shared/app/runtime-lease.js';
import { isRunning } from './processes.js';

/** This process, as the runtime lease names it to a second `npm start`. */
export function thisRuntime(): RuntimeOwner {
  return { ownerId: randomUUID(), host: hostname(), pid: process.pid, startedAt: new Date().toISOString() };
}

/**
 * A holder on this host whose process no longer runs is gone (it was killed, or crashed): the next start takes
 * the lease at once instead of waiting out the TTL. A holder on another host is trusted until its lease expires.
 */
export function holderGoneFromThisHost(holder: LeaseHolder): boolean {
  if (holder.host !== hostname()) return false;
  return holder.pid === process.pid || !isRunning(holder.pid);
}
