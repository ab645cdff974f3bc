import { Logger } from "@aws-lambda-powertools/logger";

/** Structured JSON logs (Powertools). Never log bodies, codes, tokens or secrets: log ids and codes of errors. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? "twofactor" });
