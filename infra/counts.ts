import type { CloudAssembly } from "aws-cdk-lib/cx-api";

/** CloudFormation's limit of resources per stack, and the share of it a stack may use here (tests/infra fails above it). */
export const CLOUDFORMATION_RESOURCE_LIMIT = 500;
export const RESOURCE_SHARE_LIMIT = 0.8;

export interface StackCount {
  stack: string;
  resources: number;
  alarms: number;
}

/**
 * What the synthesized templates hold, per stack: resources and CloudWatch alarms. `npm run synth`
 * prints it, and the docs send readers there rather than to figures that would go stale.
 */
export function resourceCounts(assembly: CloudAssembly): StackCount[] {
  return assembly.stacks.map((stack) => {
    const resources = Object.values((stack.template as { Resources?: Record<string, { Type: string }> }).Resources ?? {});
    return { stack: stack.stackName, resources: resources.length, alarms: resources.filter((r) => r.Type === "AWS::CloudWatch::Alarm").length };
  });
}
