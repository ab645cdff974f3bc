import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type ITable } from "aws-cdk-lib/aws-dynamodb";
import type { StackContext } from "sst/constructs";
import { tableDefinition } from "@twofactor/aws";
import { stageConfig } from "./stages.js";

/**
 * The single table, declared from the same definition the local runtime creates dynalite's from.
 * After a point-in-time restore (docs/deploying.md, "Restoring the table"), RESTORED_TABLE_NAME
 * points every function at the restored copy instead; the table declared here stays as it is.
 */
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
  const inUse: ITable = config.restoredTableName
    ? Table.fromTableAttributes(stack, "RestoredTable", { tableName: config.restoredTableName, globalIndexes: d.indexes.map((index) => index.name) })
    : table;
  stack.addOutputs({ TableName: inUse.tableName });
  return { table: inUse, config };
}
