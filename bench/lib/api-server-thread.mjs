// The worker thread's entry: a worker does not inherit the bench's `--import tsx`, so it registers tsx itself
// before it loads the TypeScript server (api-server-thread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./api-server-thread.ts');
