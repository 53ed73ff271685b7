/**
 * CloudWatch alarms for a misbehaving client or a broken deployment, sent to an encrypted SNS
 * topic: API 5xx rate, 4xx spike, the scope checker failing closed or being throttled (per API),
 * Cognito token-request throttling (once per user pool), and the secret rotation function
 * failing (`watchRotation`). One topic per stack, whatever the number of APIs: whoever is on call
 * for the stack hears every API.
 */
import { CloudwatchLogMetricFilter } from "@cdktn/provider-aws/lib/cloudwatch-log-metric-filter";
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktn/provider-aws/lib/cloudwatch-metric-alarm";
import { DataAwsCallerIdentity } from "@cdktn/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktn/provider-aws/lib/data-aws-partition";
import { KmsAlias } from "@cdktn/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktn/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktn/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktn/provider-aws/lib/sns-topic-subscription";
import { Fn } from "cdktn";
import { Construct } from "constructs";
import { alarmSubscriptionName } from "../model/alarm-subscriptions";
import { named } from "./terraform-names";

/** One API's alarms: its stage's error rates, its scope checker's failures. */
export interface ApiAlarmsTarget {
  /**
   * Where its alarms are built: a construct of the API's (names then carry its prefix); absent:
   * in the alarms construct itself, where the one-API form always had them.
   */
  readonly scope?: Construct;
  /** `<api>-<environment>`: its alarms' names start with it. */
  readonly namePrefix: string;
  readonly restApiName: string;
  readonly stageName: string;
  /** The API's scope checker function and log group, when it has one. */
  readonly scopeChecker?: { readonly functionName: string; readonly logGroupName: string };
}

export interface AlarmsProps {
  /** `<server>-<environment>`: names the topic, its key and the Cognito alarm. */
  readonly namePrefix: string;
  /** The stack's (literal) region, for the alarm ARNs the key policy admits. */
  readonly region: string;
  /** Every API of the stack, in the model's order. */
  readonly apis: readonly ApiAlarmsTarget[];
  readonly emails: readonly string[];
}

/** A policy condition value: a string when there is one. */
function oneOrMany(values: readonly string[]): string | string[] {
  return values.length === 1 ? values[0]! : [...values];
}

type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmActions" | "okActions"> & { readonly name: string };

export class Alarms extends Construct {
  readonly topic: SnsTopic;
  readonly key: KmsKey;
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.namePrefix = props.namePrefix;
    // The topic admits alarms named after the stack's server or any of its APIs.
    const alarmNamePrefixes = [...new Set([props.namePrefix, ...props.apis.map((a) => a.namePrefix)])];
    this.key = this.createTopicKey(props.namePrefix, props.region, alarmNamePrefixes);
    this.topic = named(
      new SnsTopic(this, "topic", { name: `${props.namePrefix}-alarms`, kmsMasterKeyId: this.key.arn }),
      "alarms",
    );
    for (const email of props.emails) {
      const name = alarmSubscriptionName(email);
      named(new SnsTopicSubscription(this, name, { topicArn: this.topic.arn, protocol: "email", endpoint: email }), name);
    }

    // Each alarm with the construct it is built in and the prefix of its name.
    const alarms: [Construct, string, AlarmSpec][] = [];
    for (const target of props.apis) {
      const api = { namespace: "AWS/ApiGateway", dimensions: { ApiName: target.restApiName, Stage: target.stageName } };
      alarms.push(
        [target.scope ?? this, target.namePrefix, {
          name: "api_5xx_rate",
          alarmDescription: "More than 5% of API calls failed with 5xx over 5 minutes",
          ...api, metricName: "5XXError", statistic: "Average", period: 300, evaluationPeriods: 1,
          threshold: 0.05, comparisonOperator: "GreaterThanThreshold",
        }],
        [target.scope ?? this, target.namePrefix, {
          name: "api_4xx_spike",
          alarmDescription: "Over half of API calls were refused (4xx) in 2 of 3 five-minute periods: a client misconfigured or probing",
          ...api, metricName: "4XXError", statistic: "Average", period: 300, evaluationPeriods: 3, datapointsToAlarm: 2,
          threshold: 0.5, comparisonOperator: "GreaterThanThreshold",
        }],
      );
    }
    alarms.push([this, props.namePrefix, {
      name: "cognito_token_throttles",
      alarmDescription: "Cognito throttled client-credentials token requests (account-wide ClientAuthentication quota): a client is not caching tokens",
      namespace: "AWS/Usage", metricName: "ThrottleCount",
      // Exactly the dimensions Cognito publishes: an alarm watches the metric with exactly its
      // dimensions, and Cognito's usage metrics have no Class (unlike e.g. CloudWatch's own).
      dimensions: { Service: "Cognito User Pools", Type: "API", Resource: "ClientAuthentication" },
      statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold",
    }]);
    for (const target of props.apis) {
      if (!target.scopeChecker) continue;
      const where = target.scope ?? this;
      // Lambda's Errors metric counts every Error("Unauthorized") the checker must throw for a
      // 401, so it would page on normal traffic. The checker failing closed (no JWKS, a broken
      // environment) is counted from its own decision lines instead.
      const namespace = `cognito-m2m/${target.namePrefix}`;
      named(
        new CloudwatchLogMetricFilter(where, "scope-checker-fail-closed", {
          name: `${target.namePrefix}-scope-checker-fail-closed`,
          logGroupName: target.scopeChecker.logGroupName,
          // The checker's records are the `message` of JSON log events (its function logs in
          // Lambda's JSON format; see lambdas/scope-checker/decision-log.ts).
          pattern: '{ ($.message.reason = "jwks-unavailable") || ($.message.reason = "config-invalid") }',
          metricTransformation: { name: "ScopeCheckerFailClosed", namespace, value: "1", unit: "Count" },
        }),
        "scope_checker_fail_closed",
      );
      const sum = { statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold" };
      alarms.push(
        [where, target.namePrefix, { name: "scope_checker_fail_closed", alarmDescription: "The scope checker refused requests because it could not load the JWKS or its configuration", namespace, metricName: "ScopeCheckerFailClosed", ...sum }],
        [where, target.namePrefix, { name: "scope_checker_throttles", alarmDescription: "The scope checker was throttled (callers got 500s)", namespace: "AWS/Lambda", dimensions: { FunctionName: target.scopeChecker.functionName }, metricName: "Throttles", ...sum }],
      );
    }
    for (const [where, namePrefix, spec] of alarms) this.alarm(where, namePrefix, spec);
  }

  /**
   * The rotation function failing: any error of any step. Unlike the scope checker, it throws
   * only when a rotation step failed (the secret stays as it was, and Secrets Manager retries at
   * the next window), so Lambda's own Errors metric is the signal.
   */
  watchRotation(functionName: string): void {
    this.alarm(this, this.namePrefix, {
      name: "secret_rotation_errors",
      alarmDescription: "A client-secret rotation step failed: the secret did not rotate (see the function's log group)",
      namespace: "AWS/Lambda", dimensions: { FunctionName: functionName }, metricName: "Errors",
      statistic: "Sum", period: 300, evaluationPeriods: 1, threshold: 0, comparisonOperator: "GreaterThanThreshold",
    });
  }

  private alarm(where: Construct, namePrefix: string, { name, ...spec }: AlarmSpec): void {
    named(
      new CloudwatchMetricAlarm(where, name, {
        ...spec,
        alarmName: `${namePrefix}-${name.replace(/_/g, "-")}`,
        treatMissingData: "notBreaching",
        alarmActions: [this.topic.arn],
        okActions: [this.topic.arn],
      }),
      name,
    );
  }

  /**
   * CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key (its key
   * policy cannot be changed to admit CloudWatch), so the topic gets its own key.
   */
  private createTopicKey(namePrefix: string, region: string, alarmNamePrefixes: readonly string[]): KmsKey {
    const account = named(new DataAwsCallerIdentity(this, "account"), "current");
    const partition = named(new DataAwsPartition(this, "partition"), "current");
    const key = named(
      new KmsKey(this, "topic-key", {
        description: `Encrypts the ${namePrefix} alarm topic`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: Fn.jsonencode({
          Version: "2012-10-17",
          Statement: [
            // The account administers the key through IAM, as with a default key policy.
            { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:${partition.partition}:iam::${account.accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
              Sid: "CloudWatchAlarmsPublish",
              Effect: "Allow",
              Principal: { Service: "cloudwatch.amazonaws.com" },
              Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
              Resource: "*",
              // Confused-deputy guard: only this account's alarms, and of those only this stack's
              // (alarm names start with a prefix of the stack; built from literals, so no cycle
              // with the alarms). One prefix stays a string, as the one-API form always wrote it.
              Condition: {
                StringEquals: { "aws:SourceAccount": account.accountId },
                ArnLike: { "aws:SourceArn": oneOrMany(alarmNamePrefixes.map((p) => `arn:${partition.partition}:cloudwatch:${region}:${account.accountId}:alarm:${p}-*`)) },
              },
            },
          ],
        }),
      }),
      "alarms",
    );
    named(new KmsAlias(this, "topic-key-alias", { name: `alias/${namePrefix}-alarms`, targetKeyId: key.keyId }), "alarms");
    return key;
  }
}
