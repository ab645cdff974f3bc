import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import type { StackContext } from "sst/constructs";
import { tableDefinition } from "@twofactor/aws";
import { stageConfig } from "./stages.js";

/** The single table, declared from the same definition the local runtime creates dynalite's from. */
export function Storage({ stack }: StackContext) {
  const d = tableDefinition;
  const config = stageConfig(stack.stage);
  const table = new Table(stack, "Table", {
    partitionKey: { name: d.partitionKey, type: AttributeType.STRING },
    sortKey: { name: d.sortKey, type: AttributeType.STRING },
    timeToLiveAttribute: d.ttlAttribute,
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    encryption: TableEncryption.AWS_MANAGED,
    deletionProtection: config.retain,
    removalPolicy: config.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  for (const index of d.indexes) {
    table.addGlobalSecondaryIndex({
      indexName: index.name,
      partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
      sortKey: { name: index.sortKey, type: index.sortKeyType === "N" ? AttributeType.NUMBER : AttributeType.STRING },
      projectionType: ProjectionType[index.projection],
    });
  }
  stack.addOutputs({ TableName: table.tableName });
  return { table, config };
}
