import { randomUUID } from "node:crypto";
import { contactExport } from "@omnicrm/core";
import { getDb, type Db } from "@omnicrm/db";
import { z } from "zod";
import { logger } from "../logger.ts";
import type { SessionUser } from "../trpc.ts";
import { csvDownload, jsonError } from "./responses.ts";

/**
 * POST /api/contacts/export: the signed-in user's contacts (all, the current view, or a
 * selection) as a streamed CSV download. Plain HTTP rather than tRPC, so the browser can save
 * the body as it arrives.
 */
export async function contactsExportResponse(
  req: Request,
  user: SessionUser | null,
  db: Db = getDb(),
): Promise<Response> {
  const requestId = randomUUID();
  const log = logger.child({ requestId, path: "contacts.export" });
  if (!user) return jsonError(401, "Sign in to continue.", requestId);

  let body: unknown;
  try {
    body = await req.json();
  } catch {
    return jsonError(400, "The request body must be JSON.", requestId);
  }
  const parsed = contactExport.contactExportInputSchema.safeParse(body);
  if (!parsed.success) {
    return jsonError(
      400,
      "Some fields are not valid.",
      requestId,
      z.flattenError(parsed.error).fieldErrors,
    );
  }

  const started = performance.now();
  const chunks = contactExport.exportContactsCsv(db, { userId: user.id }, parsed.data);
  const date = new Date().toISOString().slice(0, 10);
  return csvDownload(chunks, {
    fileName: `omnicrm-contacts-${date}.csv`,
    requestId,
    failureMessage: "The export stopped before the end; try again.",
    onDone: () =>
      log.info(
        {
          userId: user.id,
          scope: parsed.data.scope,
          durationMs: Math.round(performance.now() - started),
          outcome: "ok",
        },
        "contacts exported",
      ),
    onError: (error) =>
      log.error({ userId: user.id, err: error, outcome: "error" }, "contacts export failed"),
  });
}
