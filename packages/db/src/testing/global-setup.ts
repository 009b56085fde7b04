import type { TestProject } from "vitest/node";
import { ensureTemplateDatabase, startTestServer } from "./server.ts";

import "./provided-context.ts";

/** Vitest global setup for `*.int.test.ts`: one server and one migrated template per run. */
export default async function setup(project: TestProject) {
  const server = await startTestServer();
  const template = await ensureTemplateDatabase(server.adminUrl);
  project.provide("omnicrmDbAdminUrl", server.adminUrl);
  project.provide("omnicrmDbTemplate", template);
  return async () => {
    await server.stop();
  };
}
