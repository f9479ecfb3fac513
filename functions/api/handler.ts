import { handle } from 'hono/aws-lambda';
import type { AppContext } from '../../shared/app/context.js';
import { principalFromApiGateway } from '../commons/api-gateway-principal.js';
import { createAwsContext } from '../commons/aws-context.js';
import { createApp } from './app.js';

/**
 * The API Lambda for a context: the Hono app behind API Gateway (HTTP API, payload 2.0). Cognito signs users in and
 * the JWT authorizer verifies their tokens, so there is no `/auth/login`, no dev token and no `/admin/users` here.
 */
export const createApiHandler = (ctx: AppContext) =>
  handle(createApp({ ctx, authenticate: principalFromApiGateway }));

export const handler = createApiHandler(createAwsContext());
