import { CLOUDFORMATION_RESOURCE_LIMIT, resourceCounts } from "./counts.js";
import { synthesize } from "./synthesize.js";

/**
 * `npm run synth [-- --stage NAME]`: writes cdk.out/*.template.json without AWS credentials, prints
 * each stack's resources and alarms, and fails if cdk-nag's AWS Solutions pack reports an
 * unsuppressed error.
 */
const flag = process.argv.indexOf("--stage");
const stage = (flag >= 0 ? process.argv[flag + 1] : undefined) ?? process.env.SST_STAGE ?? "dev";
const { assembly } = await synthesize(stage).catch((error: Error) => {
  // A configuration refusal (stages.ts) says what to set; its stack trace says nothing more.
  console.error(`synth of stage '${stage}' refused: ${error.message}`);
  process.exit(1);
});
let errors = 0;
for (const stack of assembly.stacks) {
  console.log(`${stack.stackName}: cdk.out/${stack.templateFile}`);
  for (const message of stack.messages.filter((m) => m.level === "error")) {
    errors++;
    console.error(`  ${message.id}: ${String(message.entry.data).trim()}`);
  }
}
const counts = resourceCounts(assembly);
for (const { stack, resources, alarms } of counts) {
  console.log(`${stack.padEnd(32)} ${String(resources).padStart(4)} resources (${Math.round((100 * resources) / CLOUDFORMATION_RESOURCE_LIMIT)}% of ${CLOUDFORMATION_RESOURCE_LIMIT}), ${alarms} alarms`);
}
const total = (key: "resources" | "alarms") => counts.reduce((sum, count) => sum + count[key], 0);
console.log(`stage '${stage}': ${total("resources")} resources, ${total("alarms")} alarms`);
if (errors) {
  console.error(`${errors} unsuppressed error(s)`);
  process.exitCode = 1;
}
