import { assistant, search, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import { embedMany } from "ai";
import { aiEnv } from "../env.ts";
import { guardModels } from "../guarded.ts";
import { BudgetExceededError, type BudgetScope } from "../guardrails.ts";
import { createAiProvider, type AiProvider } from "../provider.ts";
import { vectorSpace } from "./space.ts";

/**
 * One batch of the background index: the next documents without a current embedding (AI
 * consent given, contact not deleted), embedded in one guarded model call (a background call,
 * feature "embeddings") and stored with the hash of the text that was sent. Idempotent: a
 * document whose stored hash is current is never picked again, so re-running or replaying a
 * batch changes nothing. One audit entry names the records whose text went to the model.
 */

export interface IndexBatchOutcome {
  /** Documents sent to the model. */
  sent: number;
  /** Embeddings stored (fewer than sent when a record changed or lost consent meanwhile). */
  stored: number;
  /** More documents may be waiting. */
  more: boolean;
  /** The batch did not run: budget, rate or no provider. Nothing was sent. */
  stopped: { reason: string; retryAfterSeconds: number; scope: BudgetScope | "setup" } | null;
}

export interface IndexDeps {
  provider?: AiProvider;
  now?: () => Date;
  batchSize?: number;
}

export async function indexNextBatch(
  db: Db,
  actor: Actor,
  deps: IndexDeps = {},
): Promise<IndexBatchOutcome> {
  const provider = deps.provider ?? createAiProvider();
  const space = vectorSpace(provider);
  if (!provider.configured || !space) {
    return {
      sent: 0,
      stored: 0,
      more: false,
      stopped: {
        reason: provider.configured ? "" : provider.reason,
        retryAfterSeconds: 3600,
        scope: "setup",
      },
    };
  }
  const batchSize = deps.batchSize ?? aiEnv().OMNICRM_SEARCH_BATCH_SIZE;
  const pending = await search.pendingDocuments(db, actor, space, batchSize);
  if (pending.length === 0) return { sent: 0, stored: 0, more: false, stopped: null };

  const { redactContactDetails: redact } = await assistant.getAiSettings(db, actor);
  const guarded = guardModels(provider, {
    db,
    userId: actor.userId,
    feature: "embeddings",
    redact,
    background: true,
    embeddingDimensions: space.dimensions,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const contactIds = [...new Set(pending.flatMap((doc) => doc.contactIds))];
  const records = {
    notes: pending.filter((d) => d.kind === "note").map((d) => d.recordId),
    interactions: pending
      .filter((d) => d.kind === "email" || d.kind === "session")
      .map((d) => d.recordId),
  };
  let embeddings: number[][];
  try {
    ({ embeddings } = await embedMany({
      model: guarded.embeddingModel,
      values: pending.map((doc) => doc.text),
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(60_000),
    }));
  } catch (error) {
    if (error instanceof BudgetExceededError) {
      await assistant.recordAuditEvent(db, actor, {
        kind: "model_input",
        feature: "embeddings",
        outcome: "refused",
        detail: error.message,
      });
      return {
        sent: 0,
        stored: 0,
        more: true,
        stopped: {
          reason: error.message,
          retryAfterSeconds: error.retryAfterSeconds,
          scope: error.scope,
        },
      };
    }
    // The texts may have reached the model: say so, then let the job retry.
    await assistant.recordAuditEvent(db, actor, {
      kind: "model_input",
      feature: "embeddings",
      outcome: "error",
      contactIds,
      records,
      detail: `Embedding ${pending.length} records for search by meaning failed.`,
    });
    throw error;
  }
  await assistant.recordAuditEvent(db, actor, {
    kind: "model_input",
    feature: "embeddings",
    outcome: "ok",
    contactIds,
    records,
    detail: `${pending.length} records embedded for search by meaning.`,
  });
  const stored = await search.storeEmbeddings(
    db,
    actor,
    space,
    pending.map((doc, index) => ({
      recordId: doc.recordId,
      contentHash: doc.contentHash,
      vector: search.normalize(embeddings[index]!),
    })),
    contactIds,
  );
  return {
    sent: pending.length,
    stored: stored.length,
    more: pending.length === batchSize,
    stopped: null,
  };
}
