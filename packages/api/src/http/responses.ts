/** Response helpers shared by the plain-HTTP edges (file downloads and uploads). */

export function jsonError(
  status: number,
  message: string,
  requestId: string,
  fieldErrors?: Record<string, string[]>,
): Response {
  return Response.json(
    { error: { message, requestId, fieldErrors: fieldErrors ?? null } },
    { status, headers: { "x-request-id": requestId, "cache-control": "no-store" } },
  );
}

/**
 * Streams CSV text chunks as a file download, pulling the next chunk only when the client
 * reads, so memory stays flat. A failure half way aborts the download with `failureMessage`.
 */
export function csvDownload(
  chunks: AsyncGenerator<string>,
  options: {
    fileName: string;
    requestId: string;
    failureMessage: string;
    /** A chunk already read from `chunks`, sent first. */
    first?: string | null;
    onDone?: () => void;
    onError: (error: unknown) => void;
  },
): Response {
  const encoder = new TextEncoder();
  let pending = options.first ?? null;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (pending !== null) {
          controller.enqueue(encoder.encode(pending));
          pending = null;
          return;
        }
        const next = await chunks.next();
        if (next.done) {
          options.onDone?.();
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        options.onError(error);
        controller.error(new Error(options.failureMessage));
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${options.fileName}"`,
      "cache-control": "no-store",
      "x-request-id": options.requestId,
    },
  });
}
