import { randomUUID } from "node:crypto";
import { handleChatTurn } from "@omnicrm/ai";
import { getDb, type Db } from "@omnicrm/db";
import { logger } from "../logger.ts";
import type { SessionUser } from "../trpc.ts";

/**
 * POST /api/chat: one turn of a conversation with the assistant, streamed to the browser's
 * `useChat`. Refusals before streaming are a status and one sentence (which the chat shows);
 * failures while streaming arrive in the stream as a sentence too.
 */
export async function chatResponse(
  req: Request,
  user: SessionUser | null,
  db: Db = getDb(),
): Promise<Response> {
  const requestId = randomUUID();
  const log = logger.child({ requestId, path: "chat" });
  if (!user) {
    return new Response("Sign in to continue.", {
      status: 401,
      headers: { "content-type": "text/plain; charset=utf-8", "x-request-id": requestId },
    });
  }
  const started = performance.now();
  const response = await handleChatTurn({ db, user, request: req, log });
  log.info(
    {
      userId: user.id,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    },
    response.ok ? "chat turn streaming" : "chat turn refused",
  );
  response.headers.set("x-request-id", requestId);
  response.headers.set("cache-control", "no-store");
  return response;
}
