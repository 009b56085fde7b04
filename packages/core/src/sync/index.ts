export * from "./schemas.ts";
export * from "./channels.ts";
export * from "./records.ts";
export * from "./interactions.ts";
