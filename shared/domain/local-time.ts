import { InvalidInputError } from './errors.js';

/**
 * Time for people (design decision 9). Instants are stored in UTC; every date or time a person reads or prints
 * (pages, notices, documents, CSV, the clock's dates) is the service centre's local date in its time zone. This
 * module is the one place that turns an instant into a person's date, and a person's date back into instants.
 *
 * The zone is a setting (`DAIBAN_TIME_ZONE`, default Asia/Shanghai) read at the edge and installed once at start
 * with `useServiceTimeZone`. Pure otherwise: Intl only, no clock, no I/O.
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Every real offset change falls on a UTC quarter hour: offsets are cached per quarter hour. */
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** An ISO instant as this product writes it (and any ISO date-time with Z or an offset). */
const INSTANT_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Names people know a zone by; any other zone is labelled by its IANA name. */
const ZONE_LABELS: Record<string, string> = {
  'Asia/Shanghai': '北京时间',
  'Asia/Chongqing': '北京时间',
  'Asia/Harbin': '北京时间',
  'Asia/Urumqi': '乌鲁木齐时间',
  'Asia/Hong_Kong': '香港时间',
  'Asia/Macau': '澳门时间',
  'Asia/Taipei': '台北时间',
};

type Zone = { name: string; format: Intl.DateTimeFormat; bucket: number; offset: number };

function formatterFor(name: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

/**
 * The IANA zone name, checked: an unknown zone is refused with a message that says what is expected.
 *
 * @example
 * checkTimeZone('Asia/Shanghai'); // 'Asia/Shanghai'
 * checkTimeZone('Beijing'); // throws InvalidInputError TIME_ZONE.UNKNOWN
 */
export function checkTimeZone(name: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidInputError(
      'TIME_ZONE.UNKNOWN',
      `'${name}' is not a time zone: use an IANA zone name such as ${DEFAULT_TIME_ZONE} (DAIBAN_TIME_ZONE)`,
    );
  }
}

/** Whether Intl knows this zone name. */
export function isTimeZone(name: string): boolean {
  try {
    checkTimeZone(name);
    return true;
  } catch {
    return false;
  }
}

let zone: Zone = {
  name: DEFAULT_TIME_ZONE,
  format: formatterFor(DEFAULT_TIME_ZONE),
  bucket: Number.NaN,
  offset: 0,
};

/** Installs the service centre's time zone for this process (at start, from the setting). Refuses an unknown one. */
export function useServiceTimeZone(name: string = DEFAULT_TIME_ZONE): void {
  const checked = checkTimeZone(name);
  zone = { name: checked, format: formatterFor(checked), bucket: Number.NaN, offset: 0 };
}

/** The service centre's time zone (IANA name). */
export function serviceTimeZone(): string {
  return zone.name;
}

/** How people name the service centre's local time, e.g. 北京时间. */
export function localTimeLabel(): string {
  return ZONE_LABELS[zone.name] ?? zone.name;
}

function toMs(instant: Date | string): number {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (!Number.isFinite(ms)) {
    throw new InvalidInputError('TIME.INSTANT', `'${String(instant)}' is not an instant`);
  }
  return ms;
}

/** The zone's offset from UTC at this instant, in milliseconds (local = UTC + offset). */
function offsetAt(ms: number): number {
  const bucket = Math.floor(ms / QUARTER_HOUR_MS);
  if (bucket === zone.bucket) return zone.offset;
  // the quarter hours met lately (a sweep item asks of a few instants in turn: now, its deadlines)
  const known = OFFSETS.get(bucket);
  if (known !== undefined && OFFSETS_ZONE === zone.name) {
    zone.bucket = bucket;
    zone.offset = known;
    return known;
  }
  const parts: Record<string, number> = {};
  for (const part of zone.format.formatToParts(new Date(bucket * QUARTER_HOUR_MS))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  const offset = local - bucket * QUARTER_HOUR_MS;
  zone.bucket = bucket;
  zone.offset = offset;
  if (OFFSETS_ZONE !== zone.name || OFFSETS.size >= 4096) {
    OFFSETS.clear();
    OFFSETS_ZONE = zone.name;
  }
  OFFSETS.set(bucket, offset);
  return offset;
}

/** Offsets of quarter hours already worked out, of the zone `OFFSETS_ZONE` (bounded: cleared when full). */
const OFFSETS = new Map<number, number>();
let OFFSETS_ZONE = '';

/** The wall-clock reading at this instant, as if it were UTC (read its UTC fields). */
function wallClock(instant: Date | string): Date {
  const ms = toMs(instant);
  return new Date(ms + offsetAt(ms));
}

/**
 * The service centre's calendar date at this instant, 'YYYY-MM-DD'.
 *
 * @example
 * localDate('2026-12-21T23:24:00Z'); // '2026-12-22' (07:24 Beijing time)
 */
export function localDate(instant: Date | string): string {
  return wallClock(instant).toISOString().slice(0, 10);
}

/**
 * The service centre's date and time at this instant, to the minute: 'YYYY-MM-DD HH:mm'.
 *
 * @example
 * localDateTime('2026-12-08T23:24:23.874Z'); // '2026-12-09 07:24'
 */
export function localDateTime(instant: Date | string): string {
  return wallClock(instant).toISOString().slice(0, 16).replace('T', ' ');
}

/** The service centre's year at this instant, e.g. for a document number 〔2027〕. */
export function localYear(instant: Date | string): number {
  return wallClock(instant).getUTCFullYear();
}

/** The service centre's month at this instant, 'YYYY-MM'. */
export function localMonth(instant: Date | string): string {
  return localDate(instant).slice(0, 7);
}

function dayStartMs(date: string): number {
  const match = DATE_SHAPE.exec(date);
  const ms = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || !Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new InvalidInputError('CALENDAR.DATE', `'${date}' is not a calendar date (YYYY-MM-DD)`);
  }
  return ms;
}

/** The first instant whose local date is on or after `date`'s midnight, for a wall-clock midnight in ms. */
function localMidnight(wallMs: number): number {
  // Two passes settle the offset; where midnight does not exist (a DST jump at 00:00), the day starts at the jump.
  let guess = wallMs - offsetAt(wallMs);
  guess = wallMs - offsetAt(guess);
  const back = guess + offsetAt(guess);
  return back < wallMs ? guess + (wallMs - back) : guess;
}

/** The first millisecond of this local calendar day (00:00:00.000 local) as a UTC ISO instant. */
export function startOfLocalDay(date: string): string {
  return new Date(localMidnight(dayStartMs(date))).toISOString();
}

/** The last millisecond of this local calendar day (23:59:59.999 local) as a UTC ISO instant. */
export function endOfLocalDay(date: string): string {
  return new Date(localMidnight(dayStartMs(date) + DAY_MS) - 1).toISOString();
}

const WALL_CLOCK_SHAPE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/;

/**
 * The instant of a local wall-clock time 'YYYY-MM-DDTHH:mm' (a datetime-local field), as a UTC ISO instant; undefined
 * when the text is not one. Where the hour does not exist (clocks jumping forward) the time moves on with them.
 *
 * @example
 * localInstant('2026-12-09T07:30'); // '2026-12-08T23:30:00.000Z'
 */
export function localInstant(wallClockText: string): string | undefined {
  const match = WALL_CLOCK_SHAPE.exec(wallClockText);
  if (!match) return undefined;
  const [hours, minutes] = [Number(match[2]), Number(match[3])];
  if (hours > 23 || minutes > 59) return undefined;
  let day: number;
  try {
    day = dayStartMs(match[1] ?? '');
  } catch {
    return undefined;
  }
  const wall = day + hours * 3_600_000 + minutes * MINUTE_MS;
  let guess = wall - offsetAt(wall);
  guess = wall - offsetAt(guess);
  return new Date(guess).toISOString();
}

/** Whether a value is an ISO instant (a date with a time and Z or an offset) rather than a plain date or text. */
export function isInstant(value: unknown): value is string {
  return typeof value === 'string' && INSTANT_SHAPE.test(value) && Number.isFinite(Date.parse(value));
}

/**
 * A value as a person reads it: an ISO instant becomes the local 'YYYY-MM-DD HH:mm', anything else is unchanged.
 * For text that may hold an instant (document fields, notice fields written before this rule).
 */
export function forPeople<T>(value: T): T | string {
  return isInstant(value) ? localDateTime(value) : value;
}
