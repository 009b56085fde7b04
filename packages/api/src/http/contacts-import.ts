import { randomUUID } from "node:crypto";
import { DomainError, imports } from "@omnicrm/core";
import { getDb, type Db } from "@omnicrm/db";
import { z, ZodError } from "zod";
import { logger } from "../logger.ts";
import type { SessionUser } from "../trpc.ts";
import { csvDownload, jsonError } from "./responses.ts";

/** The largest CSV file an upload may carry. */
export const IMPORT_UPLOAD_LIMIT_BYTES = 50 * 1024 * 1024;

const TOO_LARGE =
  "This file is larger than 50 MB. Split it into smaller files (for example by year or by label) and import them one after the other.";

const domainStatus: Record<DomainError["kind"], number> = {
  not_found: 404,
  conflict: 409,
  invalid: 400,
  rate_limited: 429,
  forbidden: 403,
};

class PayloadTooLarge extends Error {}

/** The request body, chunk by chunk, refused past `limit` bytes whatever Content-Length said. */
async function* limitedBody(
  body: ReadableStream<Uint8Array>,
  limit: number,
): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      total += value.byteLength;
      if (total > limit) throw new PayloadTooLarge();
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** The file's own name: percent-decoded (browsers can only send ASCII headers), no folders. */
function fileNameOf(header: string | null): string | null {
  if (!header) return null;
  let name = header;
  try {
    name = decodeURIComponent(header);
  } catch {
    // Not percent-encoded: use it as it is.
  }
  name = name.split(/[\\/]/).at(-1)?.trim() ?? "";
  return name === "" ? null : name.slice(0, 255);
}

/**
 * POST /api/contacts/import: stages a CSV file for import. The body is the file's bytes as they
 * are (not a form), its name in the `x-file-name` header (percent-encoded when not ASCII).
 * Answers 201 with the headers, the row count, the first rows and a suggested mapping; the
 * preview and the run then go through tRPC (`imports.preview`, `imports.run`).
 */
export async function contactsImportUploadResponse(
  req: Request,
  user: SessionUser | null,
  db: Db = getDb(),
  limitBytes = IMPORT_UPLOAD_LIMIT_BYTES,
): Promise<Response> {
  const requestId = randomUUID();
  const log = logger.child({ requestId, path: "contacts.import" });
  if (!user) return jsonError(401, "Sign in to continue.", requestId);

  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limitBytes) {
    return jsonError(413, TOO_LARGE, requestId);
  }
  const fileName = fileNameOf(req.headers.get("x-file-name"));
  if (!fileName) {
    return jsonError(400, "Send the file's name in the x-file-name header.", requestId, {
      fileName: ["The file needs a name."],
    });
  }
  if (!req.body) return jsonError(400, "The request has no file in its body.", requestId);

  const started = performance.now();
  try {
    const staged = await imports.stageImport(
      db,
      { userId: user.id },
      { fileName, csv: limitedBody(req.body, limitBytes) },
    );
    log.info(
      {
        userId: user.id,
        importId: staged.importId,
        rows: staged.totalRows,
        durationMs: Math.round(performance.now() - started),
        outcome: "ok",
      },
      "contacts import staged",
    );
    return Response.json(staged, {
      status: 201,
      headers: { "x-request-id": requestId, "cache-control": "no-store" },
    });
  } catch (error) {
    const durationMs = Math.round(performance.now() - started);
    if (error instanceof PayloadTooLarge) {
      log.info({ userId: user.id, durationMs, outcome: "refused", code: 413 }, "import too large");
      return jsonError(413, TOO_LARGE, requestId);
    }
    if (error instanceof DomainError) {
      log.info(
        { userId: user.id, durationMs, outcome: "refused", code: domainStatus[error.kind] },
        "contacts import refused",
      );
      return jsonError(domainStatus[error.kind], error.message, requestId, error.fieldErrors);
    }
    if (error instanceof ZodError) {
      return jsonError(
        400,
        "Some fields are not valid.",
        requestId,
        z.flattenError(error).fieldErrors,
      );
    }
    log.error(
      { userId: user.id, err: error, durationMs, outcome: "error" },
      "contacts import failed",
    );
    return jsonError(
      500,
      "Something went wrong on our side. Try again; if it keeps happening, quote the request id.",
      requestId,
    );
  }
}

/**
 * GET /api/contacts/import/report?importId=…: the rows of an import that were not imported
 * (invalid or duplicate), with the problem and the original cells, as a CSV download.
 */
export async function contactsImportReportResponse(
  req: Request,
  user: SessionUser | null,
  db: Db = getDb(),
): Promise<Response> {
  const requestId = randomUUID();
  const log = logger.child({ requestId, path: "contacts.import.report" });
  if (!user) return jsonError(401, "Sign in to continue.", requestId);

  const parsed = imports.importIdInputSchema.safeParse({
    importId: new URL(req.url).searchParams.get("importId") ?? undefined,
  });
  if (!parsed.success) {
    return jsonError(
      400,
      "Some fields are not valid.",
      requestId,
      z.flattenError(parsed.error).fieldErrors,
    );
  }

  const chunks = imports.importErrorReportCsv(db, { userId: user.id }, parsed.data);
  // The first chunk (the header) is read before answering, so a wrong id is a clean 404.
  let first: IteratorResult<string>;
  try {
    first = await chunks.next();
  } catch (error) {
    if (error instanceof DomainError) {
      return jsonError(domainStatus[error.kind], error.message, requestId);
    }
    log.error({ userId: user.id, err: error, outcome: "error" }, "import report failed");
    return jsonError(500, "The report could not be made; try again.", requestId);
  }

  const date = new Date().toISOString().slice(0, 10);
  return csvDownload(chunks, {
    fileName: `omnicrm-import-problems-${date}.csv`,
    requestId,
    failureMessage: "The report stopped before the end; try again.",
    first: first.done ? null : first.value,
    onError: (error) =>
      log.error({ userId: user.id, err: error, outcome: "error" }, "import report failed"),
  });
}
