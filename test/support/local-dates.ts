/**
 * Scans what a person reads for time shown the wrong way (design decision 9): a raw ISO timestamp, or a UTC date
 * where the service centre's local date belongs.
 */

/** A raw ISO timestamp anywhere in a text: what no page or document may show. */
export const RAW_INSTANT = /\d{2}:\d{2}:\d{2}(\.\d+)?Z|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** What a person reads on a page: its text, without markup, scripts or styles. */
export function readableText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z]+;|&#\d+;/gi, ' ');
}

/** What is wrong with the time a text shows: the raw timestamp found, and each forbidden (UTC) date it contains. */
export function timeProblems(text: string, utcDates: readonly string[] = []): string[] {
  const raw = RAW_INSTANT.exec(text)?.[0];
  return [
    ...(raw ? [`raw timestamp ${raw}`] : []),
    ...utcDates.filter((date) => text.includes(date)).map((date) => `UTC date ${date}`),
  ];
}
