/**
 * The import rules of the code (npm run check runs them; test/unit/architecture.test.ts plants a violation of each
 * kind and expects them to fail). Allow-lists where a floor may import only a little (the domain: zod and itself),
 * deny-lists between neighbours (store, engine, auth … never use cases; API and pages never each other).
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
  forbidden: [
    {
      name: 'domain-imports-only-zod',
      comment:
        'shared/domain is pure: it imports zod and other domain files only (no AWS SDK, Hono, Powertools, Node I/O, nor any floor around it)',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { pathNot: ['^shared/domain/', '^node_modules/zod/'] },
    },
    {
      name: 'adapters-never-import-use-cases',
      comment:
        'the store, engine, auth, calendar, notify and workflow adapters serve the use cases (shared/app); they never call them',
      severity: 'error',
      from: { path: '^shared/(store|engine|auth|calendar|notify|workflow)/' },
      to: { path: '^shared/app/' },
    },
    {
      name: 'lib-imports-no-floor',
      comment:
        'shared/lib holds small tools any floor may use (a concurrency limit); it imports none of them',
      severity: 'error',
      from: { path: '^shared/lib/' },
      to: { path: '^(shared|functions|infra)/', pathNot: '^shared/lib/' },
    },
    {
      name: 'shared-never-imports-functions-or-infra',
      comment: 'shared/ is used by functions/ and infra/, never the other way round',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(functions|infra)/' },
    },
    {
      name: 'api-never-imports-pages',
      comment:
        'the JSON API and the pages are neighbours: what both need (schemas, renderers, the request environment) is in functions/http; functions/app.ts mounts both',
      severity: 'error',
      from: { path: '^functions/api/' },
      to: { path: '^functions/web/' },
    },
    {
      name: 'pages-never-import-api',
      comment:
        'the pages never import the JSON API: what both need (schemas, renderers, the request environment) is in functions/http',
      severity: 'error',
      from: { path: '^functions/web/' },
      to: { path: '^functions/api/' },
    },
    {
      name: 'http-never-imports-api-or-pages',
      comment: 'functions/http is what the API and the pages share: it imports neither',
      severity: 'error',
      from: { path: '^functions/http/' },
      to: { path: '^functions/(api|web)/' },
    },
    {
      name: 'no-circular',
      comment: 'no module reaches itself through its imports',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // (never `exclude` node_modules: a package excluded is no dependency at all, and the domain's allow-list would
    // not see an import of one)
    exclude: { path: '^(cdk\\.out|\\.daiban)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
