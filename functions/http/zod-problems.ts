import type { ZodError } from 'zod';

/** At most this many problems are named in one answer (a body with thousands of mistakes gets a short answer). */
export const MAX_PROBLEMS_ECHOED = 5;

/** Turns zod issues into one line a person can act on: "body.enterprise.creditCode: …; body: unknown key 'x'". */
export function describeZodError(error: ZodError, where: string): string {
  const problems = error.issues.slice(0, MAX_PROBLEMS_ECHOED).map((issue) => {
    const path = [where, ...issue.path.map(String)].join('.').slice(0, 200);
    if (issue.code === 'unrecognized_keys') {
      const named = issue.keys.slice(0, MAX_PROBLEMS_ECHOED).map((k) => `'${k.slice(0, 60)}'`);
      return `${path}: unknown field(s) ${named.join(', ')}${issue.keys.length > named.length ? ', …' : ''}`;
    }
    return `${path}: ${issue.message.slice(0, 300)}`;
  });
  const more = error.issues.length - problems.length;
  return `${problems.join('; ')}${more > 0 ? `; and ${more} more problem(s)` : ''}`;
}
