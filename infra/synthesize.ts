import path from "node:path";
import type { CloudAssembly } from "aws-cdk-lib/cx-api";
import { initProject, useProject } from "sst/project.js";
import { App } from "sst/constructs";
import { addStacks } from "./app.js";

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
export async function synthesize(stage: string, outdir = "cdk.out"): Promise<Synthesized> {
  await initProject({ stage });
  const { config, paths } = useProject();
  const cwd = process.cwd();
  process.chdir(paths.root); // handlers are paths from the repository root
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "test";
  try {
    const app = new App(
      { mode: "deploy", stage, name: config.name, region: config.region, account: "123456789012" },
      { outdir: path.resolve(paths.root, outdir) },
    );
    addStacks(app);
    await app.finish();
    return { app, assembly: app.synth() };
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
    process.chdir(cwd);
  }
}
