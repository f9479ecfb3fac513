import { type StatAddition, statsOf } from '../counted-against.js';
import type { Department } from '../department.js';
import type { Actor } from '../principal.js';
import { itemKey } from '../project.js';
import { noticeEvents } from '../supplement-notice.js';
import { afterWriting, type ProjectState, type Transition } from '../transition.js';
import type { WorkingDayCalendar } from '../working-days.js';
import { eventOf } from './change-events.js';
import { counterWrites } from './counter-writes.js';
import type { CounterWrite, EffectWrite, OutboxDraft, OutboxWrite, OwedSend } from './effect-writes.js';
import { assertInvariants } from './kept-invariants.js';
import { type NoticeNumbering, noticeEffects } from './notice-effects.js';
import { type Concern, notificationsOf } from './notifications-of.js';
import { resolveOwed, type StoredToken, tokenWrites } from './owed-signals.js';
import { type AnyWrite, projectUpdateAt, withWorkSummary } from './work-summary-write.js';

type ProjectUpdate = Extract<EffectWrite, { op: 'update_project' }>;

/**
 * Everything a transition does, in one pure step (read once, write once): given the project's working set as
 * read, the transition its rule decided, the reference data read with it and `now`, the writes of its one
 * transaction (the item changes, the checks of what it relied on, its events, the project's change and workbench
 * summary, the 一次性告知书 and the inbox items of the people told, the outbox entry of the signals it owes), the
 * counters it adds, and the project as the commit leaves it. The application only writes them and relays.
 */

/** The reference data a transition's effects read, read before the rule. */
export type EffectsReference = {
  /** the departments (names on a notice, the group robots told) */
  departments: readonly Pick<Department, 'id' | 'name' | 'webhookUrl'>[];
  /** the users of each group the news names, by `groupKey` (only those named need be there) */
  users?: ReadonlyMap<string, readonly string[]>;
  /**
   * the year's notice numbers as read with the project, needed when the transition asks for materials (absent:
   * the caller issues the notices itself, with numbers shared by several transitions)
   */
  numbering?: NoticeNumbering;
};

export type EffectsInput<W extends AnyWrite = never, S = never> = {
  state: ProjectState;
  transition: Transition;
  actor: Actor;
  /** when the change is written: its events, its project update, its outbox entry, the month of its counters */
  now: Date;
  calendar: WorkingDayCalendar;
  /** the ids of the documents, inbox items, events and outbox entry, in that order */
  newId: () => string;
  /** how long the relay has before the scheduled job sends the outbox entry again */
  outboxGraceSeconds: number;
  reference: EffectsReference;
  /** news to tell besides the notices (the sweep's lights, rungs and meeting), and the instant they are told */
  concerns?: { news: readonly Concern[]; at: Date };
  /** more writes of the same transaction (the caller's: a document, a meeting proposal, an assignment) */
  writes?: readonly (EffectWrite | W)[];
  /** more signals owed (an execution to start or stop) */
  sends?: readonly (OwedSend | S)[];
  /** task handlers' own tokens, stored in the same transaction; signals owed to those items go to them */
  storeTokens?: readonly StoredToken[];
  /** counters added besides those the item changes imply (a breach the sweep found) */
  stats?: readonly StatAddition[];
  /** the caller issues the transition's notices itself (numbered across the transitions of one transaction) */
  noticesApart?: true;
  /**
   * what the transition relied on checked by one condition on the project's `workSeq` instead of one check each
   * (see `reliedOn`): for transitions relying on many items with little else writing them meanwhile
   */
  reliesThroughProject?: true;
};

export type TransitionEffects<W extends AnyWrite = never, S = never> = {
  /** the transaction's writes, the outbox entry's among them, the counters apart */
  writes: Array<EffectWrite | W | OutboxWrite<S>>;
  /** the monthly counters' writes (`stats` merged), in the same transaction unless the caller gathers them */
  counters: CounterWrite[];
  stats: StatAddition[];
  /** what the relay sends once committed */
  outbox?: OutboxDraft<S>;
  /** the project as the commit leaves it */
  after: ProjectState;
};

export function transitionEffects<W extends AnyWrite = never, S = never>(
  input: EffectsInput<W, S>,
): TransitionEffects<W, S> {
  const { state, transition, now, newId, reference } = input;
  assertInvariants(state, transition);
  const at = now.toISOString();
  const { projectId } = state.project;
  const notices = noticesOf(input);
  const told = input.concerns
    ? notificationsOf(
        input.concerns.news,
        { users: reference.users ?? new Map(), departments: reference.departments },
        input.concerns.at,
        newId,
      )
    : { writes: [], sends: [] };
  const owed = resolveOwed(state, transition, input.storeTokens);
  const changedKeys = new Set(transition.changes.map((c) => itemKey(c.after)));
  const writes: Array<EffectWrite | W> = [
    ...transition.changes.map(
      (c): EffectWrite =>
        // an item derived from the chain until now is created, on condition that nobody created it meanwhile
        state.unwritten?.has(itemKey(c.after))
          ? { op: 'put_item', item: c.after }
          : { op: 'update_item', before: c.before, after: c.after },
    ),
    ...owed.checks,
    ...tokenWrites(state, input.storeTokens),
    ...transition.events.map(
      (draft): EffectWrite => ({
        op: 'put_event',
        event: eventOf(draft, { projectId, actor: input.actor, at, eventId: newId() }),
      }),
    ),
    ...(transition.project
      ? [{ op: 'update_project', projectId, at, change: transition.project } as const]
      : []),
    ...(input.writes ?? []),
    ...told.writes,
    ...notices.writes,
  ];
  withWorkSummary(state, transition, writes, at);
  reliedOn(input, changedKeys, writes);
  tokensRelied(input, writes, at);
  const sends: Array<OwedSend | S> = [...owed.sends, ...(input.sends ?? []), ...told.sends, ...notices.sends];
  const outbox: OutboxDraft<S> | undefined =
    sends.length > 0
      ? {
          projectId,
          outboxId: newId(),
          createdAt: at,
          retryAt: new Date(now.getTime() + input.outboxGraceSeconds * 1000).toISOString(),
          attempts: 0,
          sends,
        }
      : undefined;
  const stats = [...statsOf(state, transition, now, input.calendar), ...(input.stats ?? [])];
  return {
    writes: outbox ? [...writes, { op: 'put_outbox', entry: outbox }] : writes,
    counters: counterWrites(stats, now),
    stats,
    ...(outbox ? { outbox } : {}),
    after: afterWriting(state, transition.changes),
  };
}

/**
 * What the transition relied on, unchanged when it commits: a check of each item, or, with `reliesThroughProject`
 * and a project update in the transaction anyway, one condition on the project's `workSeq` as read (every
 * transaction that writes an item of the project adds one to it, see `withWorkSummary`): stricter (any item written
 * meanwhile conflicts, and the transaction is tried again from a fresh read) but one item instead of many.
 */
function reliedOn(
  input: EffectsInput<AnyWrite, unknown>,
  changedKeys: ReadonlySet<string>,
  writes: Array<EffectWrite | AnyWrite>,
): void {
  const { state, transition } = input;
  const checks = transition.relies
    .filter((key) => !changedKeys.has(key))
    .flatMap((key): EffectWrite[] => {
      const item = state.items.get(key);
      if (!item) return [];
      return [
        state.unwritten?.has(key) ? { op: 'check_item', item, unwritten: true } : { op: 'check_item', item },
      ];
    });
  if (checks.length === 0) return;
  const at = projectUpdateAt(writes, state.project.projectId);
  const project = writes[at] as ProjectUpdate | undefined;
  if (input.reliesThroughProject && project) {
    writes[at] = { ...project, expectWorkSeq: state.project.workSeq ?? 0 };
  } else {
    writes.push(...checks);
  }
}

/**
 * The tokens the transition's signals go to, unchanged when it commits. A task handler's transaction (one given
 * `storeTokens`) checks each token it relies on, and adds one to the project's `tokenSeq` when it stores any (with a
 * project update of its own when it has none). Any other transition that updates the project anyway checks the
 * tokens it read through one condition on `tokenSeq` as read instead of one item each: a token stored meanwhile (a
 * redelivery, a task just started) fails it, and the transition is tried again from a fresh read. A 超时默认 opening
 * six gates relies on seven tokens: six items fewer. The handlers keep their own checks: those of one project store
 * their tokens at the same moment, and a condition on `tokenSeq` would make them conflict with one another.
 */
function tokensRelied(
  input: EffectsInput<AnyWrite, unknown>,
  writes: Array<EffectWrite | AnyWrite>,
  at: string,
): void {
  const { projectId } = input.state.project;
  const index = projectUpdateAt(writes, projectId);
  const project = writes[index] as ProjectUpdate | undefined;
  if (input.storeTokens !== undefined) {
    if (input.storeTokens.length === 0) return;
    if (project) writes[index] = { ...project, addTokenSeq: true };
    else writes.push({ op: 'update_project', projectId, at, change: {}, touch: false, addTokenSeq: true });
    return;
  }
  const checked = (w: EffectWrite | AnyWrite) =>
    w.op === 'check_token' && (w as { projectId?: string }).projectId === projectId;
  if (!project || !writes.some(checked)) return;
  writes[index] = { ...project, expectTokenSeq: input.state.project.tokenSeq ?? 0 };
  for (let i = writes.length - 1; i >= 0; i -= 1) {
    const write = writes[i];
    if (write && checked(write)) writes.splice(i, 1);
  }
}

/** The 一次性告知书 the transition issues, numbered from the numbers read (none asked: nothing). */
function noticesOf(input: EffectsInput<AnyWrite, unknown>): { writes: EffectWrite[]; sends: OwedSend[] } {
  const { numbering } = input.reference;
  if (noticeEvents(input.transition).length === 0 || input.noticesApart) return { writes: [], sends: [] };
  if (!numbering)
    throw new Error('the transition issues a 一次性告知书, but the year’s numbers were not read before');
  return noticeEffects({
    state: input.state,
    transition: input.transition,
    numbering,
    departments: input.reference.departments,
    now: input.now,
    newId: input.newId,
  });
}
