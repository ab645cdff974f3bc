import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { CorsHttpMethod, HttpApi } from "aws-cdk-lib/aws-apigatewayv2";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import { NagSuppressions } from "cdk-nag";
import { use, type StackContext } from "sst/constructs";
import { ORIGIN_SECRET_SUPPRESSIONS } from "./nag.js";
import { Storage } from "./storage.js";

/**
 * The HTTP API itself, before anything that refers to it: the distribution (Edge stack) needs its
 * domain, and the route stacks that follow the distribution add routes and functions to it, so that
 * the functions can be told the stage's origin. Also the origin secret: CloudFront sends it with
 * every request it forwards, and the functions refuse any request without it (functions/edge), so
 * the execute-api URL does not bypass WAF. CORS only for the other origins the stage names; the
 * console is on the API's own origin.
 */
export function Gateway({ stack, app }: StackContext) {
  const { config } = use(Storage);
  const httpApi = new HttpApi(stack, "Api", {
    apiName: app.logicalPrefixedName("api"),
    description: "twofactor HTTP API (reached through the stage's CloudFront distribution)",
    createDefaultStage: false,
    corsPreflight: config.corsOrigins.length
      ? {
        allowOrigins: config.corsOrigins,
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        allowHeaders: ["content-type", "authorization", "x-device-token"],
        allowCredentials: true,
        exposeHeaders: ["link"], // the audit log's CSV names its next page there
        maxAge: Duration.hours(1),
      }
      : undefined,
  });
  const originSecret = new Secret(stack, "OriginSecret", {
    description: `Sent by the ${stack.stage} distribution to the twofactor API with every request; the functions refuse requests without it`,
    generateSecretString: { passwordLength: 48, excludePunctuation: true },
    // Nothing is lost with it: a new deploy makes another, given to CloudFront and the functions alike.
    removalPolicy: RemovalPolicy.DESTROY,
  });
  NagSuppressions.addResourceSuppressions(originSecret, ORIGIN_SECRET_SUPPRESSIONS);
  stack.addOutputs({ ApiId: httpApi.apiId });
  return { httpApi, originSecret };
}

/** The API's own host name, `<id>.execute-api.<region>.amazonaws.com`: the distribution's origin for `/v1/*`. */
export const apiDomainOf = (httpApi: HttpApi) => `${httpApi.apiId}.execute-api.${httpApi.stack.region}.${httpApi.stack.urlSuffix}`;
