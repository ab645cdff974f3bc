import { rm } from "node:fs/promises";
import path from "node:path";
import { Aspects } from "aws-cdk-lib";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { AwsSolutionsChecks } from "cdk-nag";
import { initProject, useProject } from "sst/project.js";
import { App } from "sst/constructs";
import { ALL_STACKS, addStacks, type StackFn } from "./app.js";
import { releaseNativeModules } from "./functions.js";

export interface Synthesized {
  app: App;
  assembly: CloudAssembly;
}

/**
 * Synthesizes every stack offline: no credentials, no network. What `sst deploy` does, minus the
 * AWS calls: SST's App.finish looks up its bootstrap stack unless NODE_ENV is "test", and that
 * lookup only feeds the source-map uploader, which these functions do not use (their source maps
 * ship inside the bundle), so finish runs in that mode here.
 */
export interface SynthOptions {
  /** Where the templates and assets go, relative to the repository root (default `cdk.out`). */
  outdir?: string;
  /** Run cdk-nag's AWS Solutions pack; its findings become annotations on the stacks (default true). */
  checks?: boolean;
  /** Which stacks to add (default: all of them, as `sst deploy` does). */
  stacks?: readonly StackFn[];
  /**
   * Bundle the functions (default true). Without, SST gives each function placeholder code, as for
   * a stack `sst deploy` leaves out: the templates are otherwise the same, in a fraction of the time.
   */
  build?: boolean;
}

export async function synthesize(stage: string, { outdir = "cdk.out", checks = true, stacks = ALL_STACKS, build = true }: SynthOptions = {}): Promise<Synthesized> {
  await initProject({ stage });
  const { config, paths } = useProject();
  const cwd = process.cwd();
  process.chdir(paths.root); // handlers are paths from the repository root
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "test";
  try {
    const out = path.resolve(paths.root, outdir);
    if (!path.relative(out, paths.root).startsWith("..")) throw new Error(`Refusing to empty ${out}: it holds the project.`);
    await rm(out, { recursive: true, force: true }); // assets of earlier synths would pile up
    const app = new App(
      { mode: "deploy", stage, name: config.name, region: config.region, account: "123456789012", ...(build ? {} : { isActiveStack: () => false }) },
      { outdir: out },
    );
    addStacks(app, stacks);
    await app.finish();
    if (checks) Aspects.of(app).add(new AwsSolutionsChecks());
    return { app, assembly: app.synth() };
  } finally {
    await releaseNativeModules();
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    process.chdir(cwd);
  }
}
