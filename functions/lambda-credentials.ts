import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the function bundles (infra/bundling.ts
 * aliases it): Lambda gives a function its role's credentials in the environment, the first link
 * of the SDK's default chain, so the chain's other links (SSO, profiles, STS web identity, instance
 * metadata: about 100 KB with their nested STS and SSO clients) could never run there, yet each
 * cold start would parse them. Local runs and tests are not bundled and keep the full chain.
 */
export const defaultProvider: typeof fromEnv = (init) => fromEnv(init);
