import { ConflictError } from '../domain/errors.js';
import { type IsoWeek, isoWeekNamed, reportOfTally, type WeeklyReport } from '../domain/weekly-report.js';
import {
  emptyTally,
  type ReportProject,
  tallyProjects,
  type WeekTally,
} from '../domain/weekly-report-tally.js';
import { chinaDate } from '../domain/working-days.js';
import type { AppContext } from './context.js';
import { loadState } from './load.js';
import { referenceData } from './reference-cache.js';
import { inPool } from './sweep-pool.js';

/**
 * The generation of a weekly report, page after page of projects, kept between runs. A report reads every project
 * changed since its week began (a district with 10,000 in flight: thousands of reads, more than a Lambda run's
 * minute or an API request's 29 s): so the week's tally (`WeekTally`, small) and the cursor are stored after each
 * page, each write conditional on the revision read, and whoever comes next (the scheduled job's next run, an
 * admin's request) takes it up where it stopped. Two at once cannot count a page twice: the slower one's write
 * fails and it stops. One report is generated at a time.
 */
const GENERATION = 'weekly-report-generation';
export const reportName = (week: string) => `weekly-report#${week}`;
const INDEX = 'weekly-reports';
const MAX_LISTED = 520;
/** Projects listed a page; of those changed in the week, how many are read at once. */
const PAGE = 100;
const READS_AT_ONCE = 8;

type Generation = {
  week: string;
  /** an admin's generation replaces a stored report; the scheduled job's writes one only if there is none */
  replace: boolean;
  cursor?: string;
  tally: WeekTally;
  /** projects listed so far */
  read: number;
  startedAt: string;
};

/** When a run stops taking the generation further (real time, ms), and how many projects it lists a page. */
export type GenerationLimits = { stopBy: number; pageSize?: number };

/** How far a generation has got, as an admin is told when it goes on in the background. */
export type GenerationProgress = { week: string; read: number; startedAt: string };

/**
 * Starts the generation of `week`'s report, or joins the one going on for the same week; a generation going on for
 * another week is a 409. `replace`: an admin's (a stored report is replaced once the new one is done).
 */
export async function beginGeneration(ctx: AppContext, week: IsoWeek, replace: boolean): Promise<void> {
  const fresh: Generation = {
    week: week.id,
    replace,
    tally: emptyTally(),
    read: 0,
    startedAt: new Date().toISOString(),
  };
  if (await ctx.store.putSetting(GENERATION, fresh, { expectedRevision: null })) return;
  const going = await generationGoingOn(ctx);
  if (!going || going.week === week.id) return;
  throw new ConflictError(
    'REPORT.GENERATING',
    `the report of ${going.week} is being generated (${going.read} projects read so far); try again in a few minutes, once it is done`,
  );
}

/** The generation going on, if any. */
export async function generationGoingOn(ctx: AppContext): Promise<GenerationProgress | undefined> {
  const stored = await ctx.store.getSetting(GENERATION);
  if (!stored) return undefined;
  const { week, read, startedAt } = stored.value as unknown as Generation;
  return { week, read, startedAt };
}

/**
 * Takes the generation going on a page further at a time until it is done or `stopBy` has come:
 * the report once written (stored, and listed), else undefined (none going on, stopped at the deadline, or another
 * run took the same page first).
 */
export async function advanceGeneration(
  ctx: AppContext,
  { stopBy, pageSize = PAGE }: GenerationLimits,
): Promise<WeeklyReport | undefined> {
  const stored = await ctx.store.getSetting(GENERATION);
  if (!stored) return undefined;
  let generation = stored.value as unknown as Generation;
  // each write is the next revision of the one read: the generation is read once, then carried from page to page
  let revision = stored.revision;
  const week = isoWeekNamed(generation.week);
  if (!week) {
    await ctx.store.deleteSetting(GENERATION);
    return undefined;
  }
  const departments = await referenceData(ctx.store).departments();
  for (;;) {
    const page = await ctx.store.listProjects(
      {},
      { limit: pageSize, ...(generation.cursor ? { cursor: generation.cursor } : {}) },
    );
    // a project untouched since before the week began has nothing in it (every change moves updatedAt)
    const changed = page.items.filter((p) => chinaDate(new Date(p.updatedAt)) >= week.from);
    const projects = await readProjects(ctx, changed);
    const tally = tallyProjects(generation.tally, { week, projects, departments, calendar: ctx.calendar });
    if (page.cursor) {
      const next: Generation = {
        ...generation,
        cursor: page.cursor,
        tally,
        read: generation.read + page.items.length,
      };
      if (!(await ctx.store.putSetting(GENERATION, next, { expectedRevision: revision }))) return undefined;
      generation = next;
      revision += 1;
      if (Date.now() >= stopBy) return undefined;
      continue;
    }
    const report = reportOfTally({ week, tally, departments, generatedAt: ctx.clock.now().toISOString() });
    await ctx.store.putSetting(
      reportName(week.id),
      report as unknown as Record<string, unknown>,
      generation.replace ? {} : { expectedRevision: null },
    );
    await remember(ctx, week.id);
    await ctx.store.deleteSetting(GENERATION);
    return report;
  }
}

/** The working sets of these projects, a few read at once, in their order. */
async function readProjects(ctx: AppContext, projects: ReadonlyArray<{ projectId: string }>) {
  const read: Array<ReportProject | undefined> = new Array(projects.length);
  let failed: unknown;
  await inPool(
    projects.map((project, index) => ({ project, index })),
    READS_AT_ONCE,
    async ({ project, index }) => {
      try {
        const state = await loadState(ctx, project.projectId);
        read[index] = { project: state.project, chain: state.chain, items: [...state.items.values()] };
      } catch (error) {
        failed ??= error;
      }
    },
  );
  // the page is not counted: the next attempt reads it again
  if (failed) throw failed;
  return read.filter((p): p is ReportProject => p !== undefined);
}

/** Adds the week to the list of stored reports (newest first). */
async function remember(ctx: AppContext, week: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const index = await ctx.store.getSetting(INDEX);
    const weeks = storedWeeks(index?.value);
    if (weeks.includes(week)) return;
    const next = [...weeks, week].sort().reverse().slice(0, MAX_LISTED);
    if (await ctx.store.putSetting(INDEX, { weeks: next }, { expectedRevision: index?.revision ?? null }))
      return;
  }
}

/** The weeks of the stored reports, newest first. */
export async function reportWeeks(ctx: AppContext, limit: number): Promise<string[]> {
  return storedWeeks((await ctx.store.getSetting(INDEX))?.value).slice(0, limit);
}

const storedWeeks = (value: Record<string, unknown> | undefined): string[] =>
  Array.isArray(value?.weeks) ? (value.weeks as string[]) : [];
