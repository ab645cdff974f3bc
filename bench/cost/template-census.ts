/**
 * Synthesizes one stage offline (no bundling, no cdk-nag: the templates are otherwise the same) and
 * prints, as JSON on its last line, what the cost model prices at rest. A process of its own per
 * stage: SST synthesizes one app per process. `tsx bench/cost/template-census.ts <stage>`.
 */
import { schedules } from "@twofactor/functions/events/schedule";
import { handlerId } from "../../infra/functions.js";
import { synthesize } from "../../infra/synthesize.js";

export interface Census {
  stage: string;
  resources: number;
  byType: Record<string, number>;
  /** Metrics the alarms watch (an alarm on a metric math expression is billed per metric in it). */
  alarmMetrics: number;
  dashboards: number;
  kmsKeys: number;
  secrets: number;
  webAcls: number;
  webAclRules: number;
  /** Whether WAF logs every request it inspects (no logging filter), or only some. */
  wafLogsEveryRequest: boolean;
  /** Scheduled rules and how often they run (minutes), with the memory of the function each invokes. */
  schedules: { rule: string; handler: string; everyMinutes: number; memoryMb: number }[];
  /** SQS event source mappings (each long-polls its queue, messages or not), and stream ones (polled for free). */
  queueEventSources: number;
  streamEventSources: number;
  /** Metric filters that report a value every minute even when nothing matches (a default value). */
  metricFiltersWithDefault: number;
  /** HTTP functions traced by X-Ray (TracingConfig Active). */
  tracedFunctions: number;
  functions: number;
}

/** Template JSON, read loosely: only the properties the census looks at. */
type Props = Record<string, unknown> & {
  Handler?: string; MemorySize?: number; Metrics?: { MetricStat?: unknown }[]; Rules?: unknown[]; LoggingFilter?: unknown;
  ScheduleExpression?: string; Targets?: { Arn?: unknown }[]; EventSourceArn?: unknown; MetricTransformations?: { DefaultValue?: unknown }[];
  TracingConfig?: { Mode?: string };
};
type Resource = { Type: string; Properties?: Props };

const stage = process.argv[2] ?? "dev";
const { assembly } = await synthesize(stage, { outdir: `node_modules/.cache/cost-synth-${stage}`, checks: false, build: false });
const all: Record<string, Resource> = {};
for (const stack of assembly.stacks) Object.assign(all, (stack.template as { Resources?: Record<string, Resource> }).Resources ?? {});
const list = Object.entries(all);
const ofType = (type: string) => list.filter(([, r]) => r.Type === type);

const byType: Record<string, number> = {};
for (const [, r] of list) byType[r.Type] = (byType[r.Type] ?? 0) + 1;

const functionsById = new Map(ofType("AWS::Lambda::Function").map(([id, r]) => [id, r]));
const refId = (value: unknown): string | undefined => {
  const v = value as { Ref?: string; "Fn::GetAtt"?: string[] } | undefined;
  return v?.Ref ?? v?.["Fn::GetAtt"]?.[0];
};
const targetOf = (target: { Arn?: unknown } | undefined): Props => functionsById.get(refId(target?.Arn) ?? "")?.Properties ?? {};
/** Without bundling SST gives every function a placeholder handler: the scheduled function is known by its construct id. */
const scheduledHandler = (target: { Arn?: unknown } | undefined) => schedules.find((s) => (refId(target?.Arn) ?? "").startsWith(handlerId(s.handler)))?.handler ?? "?";

const census: Census = {
  stage,
  resources: list.length,
  byType,
  alarmMetrics: ofType("AWS::CloudWatch::Alarm").reduce((sum, [, r]) => {
    const metrics = r.Properties?.Metrics;
    return sum + (metrics ? metrics.filter((m) => m.MetricStat).length || 1 : 1);
  }, 0),
  dashboards: ofType("AWS::CloudWatch::Dashboard").length,
  kmsKeys: ofType("AWS::KMS::Key").length,
  secrets: ofType("AWS::SecretsManager::Secret").length,
  webAcls: ofType("AWS::WAFv2::WebACL").length,
  webAclRules: ofType("AWS::WAFv2::WebACL").reduce((sum, [, r]) => sum + (r.Properties?.Rules?.length ?? 0), 0),
  wafLogsEveryRequest: ofType("AWS::WAFv2::LoggingConfiguration").some(([, r]) => !r.Properties?.LoggingFilter),
  schedules: ofType("AWS::Events::Rule").filter(([, r]) => r.Properties?.ScheduleExpression).map(([id, r]) => {
    const match = /rate\((\d+) minutes?\)/.exec(r.Properties!.ScheduleExpression!);
    const target = r.Properties!.Targets?.[0];
    const fn = targetOf(target);
    return { rule: id, handler: scheduledHandler(target), everyMinutes: match ? Number(match[1]) : 60, memoryMb: fn.MemorySize ?? 128 };
  }),
  queueEventSources: ofType("AWS::Lambda::EventSourceMapping").filter(([, r]) => JSON.stringify(r.Properties?.EventSourceArn ?? "").includes("Queue")).length,
  streamEventSources: ofType("AWS::Lambda::EventSourceMapping").filter(([, r]) => JSON.stringify(r.Properties?.EventSourceArn ?? "").includes("Stream")).length,
  metricFiltersWithDefault: ofType("AWS::Logs::MetricFilter").filter(([, r]) => r.Properties?.MetricTransformations?.some((t) => t.DefaultValue !== undefined)).length,
  tracedFunctions: [...functionsById.values()].filter((r) => r.Properties?.TracingConfig?.Mode === "Active").length,
  functions: functionsById.size,
};
console.log(JSON.stringify(census));
