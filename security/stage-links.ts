/** Which `aws_api_gateway_method_settings` apply to which stage (by reference, or by the same literal names). */
import { refersTo } from "./references";
import type { TerraformResource } from "./terraform-json";

export function settingsApplyToStage(settings: TerraformResource, stage: TerraformResource): boolean {
  const { stage_name: stageName, rest_api_id: restApiId } = settings.body;
  if (refersTo(stageName, stage.address)) return true;
  return stageName === stage.body.stage_name && restApiId === stage.body.rest_api_id;
}
