import { type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IUserPool, IUserPoolClient } from 'aws-cdk-lib/aws-cognito';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Routes anyone may call without signing in: health and the six public items (六公开) of the chains. */
export const PUBLIC_ROUTES = [
  '/health',
  '/departments',
  '/chains',
  '/chains/{chainId}',
  '/openapi.json',
] as const;

export type DaibanHttpApiProps = {
  handler: IFunction;
  userPool: IUserPool;
  userPoolClient: IUserPoolClient;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  /** requests per second (steady) and burst for the whole stage */
  throttle: { rateLimit: number; burstLimit: number };
};

/**
 * The HTTP API in front of the Hono app. It serves the `$default` stage, so paths reach the app unprefixed.
 * `ANY /{proxy+}` requires a Cognito token (JWT authorizer bound to the user pool and its app client); the
 * public `GET` routes are declared explicitly without an authorizer (API Gateway prefers the more specific route).
 */
export class DaibanHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: DaibanHttpApiProps) {
    super(scope, id);
    const authorizer = new HttpUserPoolAuthorizer('CognitoAuthorizer', props.userPool, {
      userPoolClients: [props.userPoolClient],
      identitySource: ['$request.header.Authorization'],
    });
    this.api = new HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Daiban (代办) API',
      createDefaultStage: false,
      defaultAuthorizer: authorizer,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            user: '$context.authorizer.claims.sub',
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('AppIntegration', props.handler, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    this.api.addRoutes({ path: '/{proxy+}', methods: [HttpMethod.ANY], integration });
    for (const path of PUBLIC_ROUTES) {
      const routes = this.api.addRoutes({
        path,
        methods: [HttpMethod.GET],
        integration,
        authorizer: new HttpNoneAuthorizer(),
      });
      for (const route of routes) {
        Validations.of(route).acknowledge(
          {
            id: 'AwsSolutions-APIG4',
            reason: `GET ${path} is public by design (health, departments and chains are published, 六公开).`,
          },
          {
            id: 'AwsSolutions-COG4',
            reason: `GET ${path} is public by design; every other route uses the Cognito user pool authorizer.`,
          },
        );
      }
    }
  }

  /** The API's base URL (the `$default` stage has no path prefix). */
  get url(): string {
    return this.stage.url;
  }
}
