import { type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The routes of the HTTP API: everything goes to the Hono app, which decides who may do what (as locally). */
export const APP_ROUTES = ['/', '/{proxy+}'] as const;

export type DaibanHttpApiProps = {
  handler: IFunction;
  logRetention: RetentionDays;
  logRemovalPolicy: RemovalPolicy;
  /** requests per second (steady) and burst for the whole stage */
  throttle: { rateLimit: number; burstLimit: number };
};

/**
 * The HTTP API in front of the Hono app. It serves the `$default` stage, so paths reach the app unprefixed. There is
 * no API Gateway authorizer, in either partition: the app signs users in (`POST /auth/login`, users and password
 * hashes in the table) and verifies their bearer token or session cookie on every protected route itself, as the
 * local runtime does; public routes (health, the published chains, the pages' sign-in) need none. In the China
 * regions an API without an authorizer answers only once the account has an ICP filing (docs/deploy-aws.md).
 */
export class DaibanHttpApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;

  constructor(scope: Construct, id: string, props: DaibanHttpApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-api`,
      description: 'Daiban (代办) API and pages',
      createDefaultStage: false,
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
          }),
        ),
      },
    });

    const integration = new HttpLambdaIntegration('AppIntegration', props.handler, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    for (const path of APP_ROUTES) {
      const routes = this.api.addRoutes({ path, methods: [HttpMethod.ANY], integration });
      for (const route of routes) {
        Validations.of(route).acknowledge(
          {
            id: 'AwsSolutions-APIG4',
            reason: `ANY ${path} goes to the app, which verifies the product's own session token on every protected route.`,
          },
          {
            id: 'AwsSolutions-COG4',
            reason: `ANY ${path} needs no Cognito authorizer: users sign in to the app itself (Cognito is not in the China regions).`,
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
