import type { ApiDeps } from '../../api/env.js';
import type { WebApp } from '../web-env.js';

export function reportPages(_app: WebApp, _deps: ApiDeps): void {}
