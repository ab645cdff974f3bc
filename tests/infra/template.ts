import { Template } from "aws-cdk-lib/assertions";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";

/**
 * Helpers over synthesized templates. The tests read the assembly that one synth produced
 * (Template.fromJSON) instead of Template.fromStack, which would synthesize the SST app a second
 * time, and SST's unique-id check refuses that.
 */
export type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
export type Statement = { Effect: "Allow" | "Deny"; Action: string | string[]; Resource?: unknown; Condition?: Record<string, Record<string, unknown>> };

export function templateOf(assembly: CloudAssembly, stackName: string): Template {
  return Template.fromJSON(assembly.getStackByName(stackName).template as Record<string, unknown>);
}

export function resources(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

export const actionsOf = (statement: Statement): string[] => [statement.Action].flat();

/** `{"Fn::GetAtt": [id, "Arn"]}` or `{Ref: id}` → id. */
export function refId(value: unknown): string | undefined {
  const v = value as { Ref?: string; "Fn::GetAtt"?: [string, string] };
  return v?.Ref ?? v?.["Fn::GetAtt"]?.[0];
}

/** Every Lambda function of a template by its handler, e.g. `functions/http/login.handler`. */
export function functionsByHandler(template: Template): Map<string, { id: string; fn: Resource }> {
  const result = new Map<string, { id: string; fn: Resource }>();
  for (const [id, fn] of Object.entries(resources(template, "AWS::Lambda::Function"))) {
    const handler = fn.Properties.Handler as string;
    if (handler.startsWith("functions/")) result.set(handler, { id, fn });
  }
  return result;
}

/** The inline statements a function's role carries (SST puts them in the role's default policy). */
export function statementsOfFunction(template: Template, fn: Resource): Statement[] {
  const roleId = refId(fn.Properties.Role);
  return Object.values(resources(template, "AWS::IAM::Policy"))
    .filter((policy) => (policy.Properties.Roles as unknown[]).some((role) => refId(role) === roleId))
    .flatMap((policy) => (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** Every policy statement anywhere in a template (IAM policies and roles, queue, bucket and key policies), of the resources `include` keeps by logical id. */
export function allStatements(template: Template, include: (id: string) => boolean = () => true): Statement[] {
  const statements: Statement[] = [];
  const collect = (document: unknown) => {
    const doc = document as { Statement?: Statement[] } | undefined;
    if (doc?.Statement) statements.push(...doc.Statement);
  };
  for (const [id, resource] of Object.entries(template.toJSON().Resources as Record<string, Resource>)) {
    if (!include(id)) continue;
    const p = resource.Properties ?? {};
    collect(p.PolicyDocument);
    collect(p.KeyPolicy);
    collect(p.AssumeRolePolicyDocument);
    for (const policy of (p.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) collect(policy.PolicyDocument);
  }
  return statements;
}
