import {
  type CalendarOverrides,
  CalendarOverridesSchema,
  NO_OVERRIDES,
} from '../domain/calendar-overrides.js';
import { DEFAULT_SLA_POLICY, type SlaPolicy, SlaPolicySchema } from '../domain/sla-policy.js';
import type { WorkingDayCalendar, WorkingDayCalendarData } from '../domain/working-days.js';
import type { ReferenceStore } from '../store/reference/reference.port.js';

export const CALENDAR_SETTING = 'calendar';
export const SLA_POLICY_SETTING = 'sla-policy';

/**
 * Settings an admin changes while the system runs, applied at once in every process: the working-day calendar's
 * overrides and the SLA policy. Each process holds them in memory and looks at their revisions in the table at most
 * once per `maxAgeMs` (a second): a change reaches every Lambda and the local runtime within that.
 */
export class LiveSettings {
  sla: SlaPolicy = DEFAULT_SLA_POLICY;
  overrides: CalendarOverrides = NO_OVERRIDES;
  #calendarRevision = 0;
  #slaRevision = 0;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #pending: Promise<void> | undefined;

  constructor(
    /** the calendar every use case holds; updated in place */
    readonly calendar: WorkingDayCalendar,
    private readonly dataFor: (overrides: CalendarOverrides) => WorkingDayCalendarData,
    private readonly maxAgeMs = 1000,
  ) {}

  /** Reads the settings again if they may have changed (at most once per `maxAgeMs`, or now with `force`). */
  async refresh(store: ReferenceStore, options: { force?: boolean } = {}): Promise<void> {
    const now = Date.now();
    if (!options.force && now - this.#checkedAt < this.maxAgeMs) return;
    this.#pending ??= this.#read(store).finally(() => {
      this.#pending = undefined;
    });
    await this.#pending;
    this.#checkedAt = now;
  }

  async #read(store: ReferenceStore): Promise<void> {
    // both in one request
    const settings = await store.getSettings([CALENDAR_SETTING, SLA_POLICY_SETTING]);
    const calendar = settings.get(CALENDAR_SETTING);
    const sla = settings.get(SLA_POLICY_SETTING);
    if (calendar && calendar.revision !== this.#calendarRevision) {
      const parsed = CalendarOverridesSchema.safeParse(calendar.value);
      if (parsed.success) {
        this.calendar.replace(this.dataFor(parsed.data));
        this.overrides = parsed.data;
        this.#calendarRevision = calendar.revision;
      }
    }
    if (sla && sla.revision !== this.#slaRevision) {
      const parsed = SlaPolicySchema.safeParse(sla.value);
      if (parsed.success) {
        this.sla = parsed.data;
        this.#slaRevision = sla.revision;
      }
    }
  }
}
