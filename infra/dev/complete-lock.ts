import { readFileSync, writeFileSync } from 'node:fs';

/**
 * `npm run lock:complete`: adds to package-lock.json the other platforms' optional Biome binaries that npm leaves
 * out when the registry it installs from does not serve them (npm 11 here records only this machine's platform),
 * so `npm ci` accepts the lock on every machine. The entries carry version, os, cpu and libc; npm skips them on
 * a platform they do not match and fetches them by version on one they do. Run it after changing Biome's version.
 */
type LockEntry = Record<string, unknown> & {
  version?: string;
  optionalDependencies?: Record<string, string>;
};
type Lock = { packages: Record<string, LockEntry> };

const PLATFORM_OF: Record<string, { os: string[]; cpu: string[]; libc?: string[] }> = {
  'android-arm64': { os: ['android'], cpu: ['arm64'] },
  'android-x64': { os: ['android'], cpu: ['x64'] },
  'darwin-arm64': { os: ['darwin'], cpu: ['arm64'] },
  'darwin-x64': { os: ['darwin'], cpu: ['x64'] },
  'linux-arm64': { os: ['linux'], cpu: ['arm64'], libc: ['glibc'] },
  'linux-arm64-musl': { os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
  'linux-x64': { os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
  'linux-x64-musl': { os: ['linux'], cpu: ['x64'], libc: ['musl'] },
  'win32-arm64': { os: ['win32'], cpu: ['arm64'] },
  'win32-x64': { os: ['win32'], cpu: ['x64'] },
};

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;
const biome = lock.packages['node_modules/@biomejs/biome'];
if (!biome?.optionalDependencies) throw new Error('package-lock.json has no @biomejs/biome entry');
let added = 0;
for (const [name, version] of Object.entries(biome.optionalDependencies)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]?.version === version) continue;
  const platform = PLATFORM_OF[name.replace('@biomejs/cli-', '')];
  if (!platform) throw new Error(`unknown Biome platform package ${name}`);
  lock.packages[key] = {
    version,
    cpu: platform.cpu,
    dev: true,
    ...(platform.libc ? { libc: platform.libc } : {}),
    license: 'MIT OR Apache-2.0',
    optional: true,
    os: platform.os,
    engines: { node: '>=14.21.3' },
  };
  added += 1;
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
);
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(added > 0 ? `added ${added} platform entr${added === 1 ? 'y' : 'ies'}` : 'the lock is complete');
