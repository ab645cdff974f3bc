import { execFileSync } from "node:child_process";
import path from "node:path";
import { RemovalPolicy } from "aws-cdk-lib";
import type { IDistribution } from "aws-cdk-lib/aws-cloudfront";
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, CacheControl, Source } from "aws-cdk-lib/aws-s3-deployment";
import type { Construct } from "constructs";

/**
 * The console's files, built at synth time (packages/console/src/build-site.ts) to call the API on
 * their own origin, in a private bucket that only the distribution reads (origin access control).
 * File names carry no hash, so browsers revalidate; the deployment invalidates CloudFront's copies.
 * The bucket holds nothing that a build cannot make again, so it goes with the stack on every stage.
 */
export function consoleBucket(scope: Construct): Bucket {
  return new Bucket(scope, "ConsoleBucket", {
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    encryption: BucketEncryption.S3_MANAGED,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    // The deployment below removes its files when the stack goes (retainOnDelete false), which empties the bucket.
    removalPolicy: RemovalPolicy.DESTROY,
  });
}

export function deployConsole(scope: Construct, bucket: Bucket, distribution: IDistribution, root: string): BucketDeployment {
  const site = path.join(root, ".sst", "console-site");
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "packages/console/src/build-site.ts"), site], {
    cwd: root,
    env: { ...process.env, CONSOLE_API_URL: "" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return new BucketDeployment(scope, "ConsoleFiles", {
    sources: [Source.asset(site)],
    destinationBucket: bucket,
    distribution,
    distributionPaths: ["/*"],
    cacheControl: [CacheControl.noCache()],
    prune: true,
    retainOnDelete: false,
  });
}
