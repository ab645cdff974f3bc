import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table, TableEncryption, type ITable } from "aws-cdk-lib/aws-dynamodb";
import type { StackContext } from "sst/constructs";
import { tableDefinition } from "@twofactor/aws";
import { stageConfig } from "./stages.js";

/**
 * The single table, declared from the same definition the local runtime creates dynalite's from,
 * with its stream (new and old images), which the outbox relay reads (functions/events/stream.ts).
 * After a point-in-time restore (docs/deploying.md, "Restoring the table"), RESTORED_TABLE_NAME
 * and RESTORED_TABLE_STREAM_ARN point every function and the relay at the restored copy instead;
 * the table declared here stays as it is.
 */
export function Storage({ stack }: StackContext) {
  const d = tableDefinition;
  const config = stageConfig(stack.stage);
  const table = new Table(stack, "Table", {
    partitionKey: { name: d.partitionKey, type: AttributeType.STRING },
    sortKey: { name: d.sortKey, type: AttributeType.STRING },
    timeToLiveAttribute: d.ttlAttribute,
    stream: StreamViewType.NEW_AND_OLD_IMAGES,
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
  const inUse: ITable = config.restoredTable
    ? Table.fromTableAttributes(stack, "RestoredTable", {
      tableName: config.restoredTable.name, tableStreamArn: config.restoredTable.streamArn, globalIndexes: d.indexes.map((index) => index.name),
    })
    : table;
  stack.addOutputs({ TableName: inUse.tableName });
  return { table: inUse, config };
}
