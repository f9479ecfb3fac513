import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addDaibanStacks, appOptionsFromContext } from './daiban-app.js';

/** The CDK app (`npx cdk synth`, `npx cdk deploy --all -c stage=prod`); cdk-nag's AwsSolutions pack gates synthesis. */
const app = new App();
addDaibanStacks(app, appOptionsFromContext(app));
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
