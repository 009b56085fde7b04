// What the integration tests' global setup hands to each test file.
declare module "vitest" {
  export interface ProvidedContext {
    omnicrmDbAdminUrl: string;
    omnicrmDbTemplate: string;
  }
}

export {};
