export { buildConsole, contentSecurityPolicy, type ConsoleBuildOptions, type ConsoleFile } from "./build-console.js";
