/**
 * CloudWatch alarms for a misbehaving client or a broken deployment, sent to an SNS topic:
 * API 5xx rate, 4xx spike, scope-checker errors and throttles, Cognito token-request throttling.
 */
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { named } from "./terraform-names";

export interface AlarmsProps {
  readonly namePrefix: string;
  readonly restApiName: string;
  readonly stageName: string;
  /** The scope checker's function name, when the stack has one. */
  readonly scopeCheckerFunctionName?: string;
  readonly emails: readonly string[];
}

type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmActions" | "okActions"> & { readonly name: string };

export class Alarms extends Construct {
  readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = named(
      new SnsTopic(this, "topic", { name: `${props.namePrefix}-alarms`, kmsMasterKeyId: "alias/aws/sns" }),
      "alarms",
    );
    props.emails.forEach((email, i) => {
      named(new SnsTopicSubscription(this, `email-${i}`, { topicArn: this.topic.arn, protocol: "email", endpoint: email }), `alarms_${i}`);
    });

    const api = { namespace: "AWS/ApiGateway", dimensions: { ApiName: props.restApiName, Stage: props.stageName } };
    const specs: AlarmSpec[] = [
      {
        name: "api_5xx_rate",
        alarmDescription: "More than 5% of API calls failed with 5xx over 5 minutes",
        ...api, metricName: "5XXError", statistic: "Average", period: 300, evaluationPeriods: 1,
        threshold: 0.05, comparisonOperator: "GreaterThanThreshold",
      },
      {
        name: "api_4xx_spike",
        alarmDescription: "Over half of API calls were refused (4xx) in 2 of 3 five-minute periods: a client misconfigured or probing",
        ...api, metricName: "4XXError", statistic: "Average", period: 300, evaluationPeriods: 3, datapointsToAlarm: 2,
        threshold: 0.5, comparisonOperator: "GreaterThanThreshold",
      },
      {
        name: "cognito_token_throttles",
        alarmDescription: "Cognito throttled client-credentials token requests (account-wide ClientAuthentication quota): a client is not caching tokens",
        namespace: "AWS/Usage", metricName: "ThrottleCount",
        dimensions: { Service: "Cognito User Pools", Type: "API", Resource: "ClientAuthentication", Class: "None" },
        statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold",
      },
    ];
    if (props.scopeCheckerFunctionName) {
      const fn = { namespace: "AWS/Lambda", dimensions: { FunctionName: props.scopeCheckerFunctionName }, statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold" };
      specs.push(
        { name: "scope_checker_errors", alarmDescription: "The scope checker failed (callers got 500s)", metricName: "Errors", ...fn },
        { name: "scope_checker_throttles", alarmDescription: "The scope checker was throttled (callers got 500s)", metricName: "Throttles", ...fn },
      );
    }
    for (const { name, ...spec } of specs) {
      named(
        new CloudwatchMetricAlarm(this, name, {
          ...spec,
          alarmName: `${props.namePrefix}-${name.replace(/_/g, "-")}`,
          treatMissingData: "notBreaching",
          alarmActions: [this.topic.arn],
          okActions: [this.topic.arn],
        }),
        name,
      );
    }
  }
}
