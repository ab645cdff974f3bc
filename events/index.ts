export * from "./catalog.js";
export * from "./envelope.js";
export * from "./team-role.js";
