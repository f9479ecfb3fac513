import { handle } from 'hono/aws-lambda';
import type { AppContext } from '../../shared/app/context.js';
import { principalFromApiGateway } from '../commons/api-gateway-principal.js';
import { observedAwsContext } from '../commons/aws-context.js';
import { keysOfApiRequest, observed } from '../commons/observability.js';
import { createApp } from './app.js';

/**
 * The API Lambda for a context: the Hono app behind API Gateway (HTTP API, payload 2.0). Cognito signs users in and
 * the JWT authorizer verifies their tokens, so there is no `/auth/login`, no dev token and no `/admin/users` here.
 */
export const createApiHandler = (ctx: AppContext) =>
  handle(createApp({ ctx, authenticate: principalFromApiGateway }));

const { ctx, obs } = observedAwsContext();
const api = createApiHandler(ctx);
export const handler = observed(obs, keysOfApiRequest, (event: Parameters<typeof api>[0], context) =>
  api(event, context),
);
