import type { ApiDeps } from '../../api/env.js';
import type { WebApp } from '../web-env.js';

export function agentPages(_app: WebApp, _deps: ApiDeps): void {}
