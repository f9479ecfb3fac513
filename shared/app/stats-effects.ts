/** The counters' writes (the rule: `domain/effects/counter-writes.ts`). */
export { counterWrites as statsOps } from '../domain/effects/counter-writes.js';
