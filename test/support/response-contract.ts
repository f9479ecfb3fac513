import type { OpenAPIHono } from '@hono/zod-openapi';
import type { ZodType } from 'zod';

type Route = { method: string; pattern: RegExp; path: string; responses: Map<number, ZodType | undefined> };

/**
 * The OpenAPI document as a contract the tests hold the API to: every answer a test gets is checked against the
 * schema its route declares for that status. An answer whose status the route does not declare, or whose body does
 * not match, fails the test that got it.
 */
export class ResponseContract {
  private readonly routes: Route[];

  constructor(app: OpenAPIHono<any>) {
    this.routes = app.openAPIRegistry.definitions.flatMap((d): Route[] => {
      if (d.type !== 'route') return [];
      const responses = new Map<number, ZodType | undefined>();
      for (const [status, response] of Object.entries(d.route.responses ?? {})) {
        const content = (response as { content?: Record<string, { schema?: ZodType }> }).content;
        responses.set(Number(status), content?.['application/json']?.schema);
      }
      return [
        {
          method: d.route.method.toUpperCase(),
          path: d.route.path,
          pattern: new RegExp(`^${d.route.path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
          responses,
        },
      ];
    });
  }

  /** The route's path pattern a request goes to, if any (e.g. `/projects/{id}`). */
  routeOf(method: string, url: string): string | undefined {
    const path = url.split('?')[0] ?? url;
    return this.routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(path))?.path;
  }

  /** Throws when the answer breaks the route's contract; answers to paths outside the document are not checked. */
  check(method: string, url: string, status: number, body: unknown, contentType: string | null): void {
    const path = url.split('?')[0] ?? url;
    const route = this.routes.find((r) => r.method === method.toUpperCase() && r.pattern.test(path));
    if (!route) return;
    // a wrong method (405, described once in components.responses) belongs to no operation
    if ([405, 415].includes(status)) return;
    if (!route.responses.has(status)) {
      throw new Error(`${method} ${route.path} answered ${status}, which its OpenAPI entry does not declare`);
    }
    const schema = route.responses.get(status);
    if (!schema || !contentType?.includes('json')) return;
    const result = schema.safeParse(body);
    if (!result.success) {
      const problems = result.error.issues
        .slice(0, 5)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new Error(`${method} ${route.path} ${status}: the body breaks its schema: ${problems}`);
    }
  }
}
