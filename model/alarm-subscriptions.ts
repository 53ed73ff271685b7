/**
 * Alarm e-mail subscriptions are keyed by address, not by position: reordering
 * `alarms.emails` then changes no Terraform address (a position key would re-create every
 * subscription after the moved one, and each recipient would have to confirm again).
 */

/** `ops.team@example.com` -> `alarms_ops_team_at_example_com`: readable, stable, case-insensitive. */
export function alarmSubscriptionName(email: string): string {
  return `alarms_${email.toLowerCase().replace(/@/g, "_at_").replace(/[^a-z0-9-]/g, "_")}`;
}
