import { synthesize } from "./synthesize.js";

/** `npm run synth [-- --stage NAME]`: writes cdk.out/*.template.json without AWS credentials. */
const flag = process.argv.indexOf("--stage");
const stage = (flag >= 0 ? process.argv[flag + 1] : undefined) ?? process.env.SST_STAGE ?? "dev";
const { assembly } = await synthesize(stage);
for (const stack of assembly.stacks) console.log(`${stack.stackName}: ${stack.templateFile}`);
