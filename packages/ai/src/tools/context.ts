import { assistant, isDomainError, type Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";

/** Who the tools act as, and where their calls are audited. */
export interface ToolContext {
  db: Db;
  actor: Actor;
  /** The conversation the calls belong to, for the audit log. */
  threadId: string | null;
  now?: () => Date;
}

/** Where a contact is shown in the app: tool results carry it so answers can link to it. */
export const contactUrl = (id: string) => `/contacts/${id}`;

/** What a tool answers when it could not do its work: a sentence the model can relay. */
export interface ToolRefusal {
  error: string;
}

/**
 * Runs a tool's work and writes its audit entry: the input, the outcome and the records whose
 * data the result hands to the model. A domain refusal (not found, no consent, bad input)
 * becomes a sentence for the model; anything else is audited and rethrown.
 */
export async function audited<T extends object>(
  ctx: ToolContext,
  tool: string,
  input: unknown,
  run: () => Promise<{
    result: T;
    contactIds: string[];
    records?: assistant.AuditedRecords;
    detail?: string;
  }>,
): Promise<T | ToolRefusal> {
  const base = {
    kind: "tool_call" as const,
    feature: "chat" as const,
    tool,
    input: input as object,
    threadId: ctx.threadId,
  };
  try {
    const { result, contactIds, records, detail } = await run();
    await assistant.recordAuditEvent(ctx.db, ctx.actor, {
      ...base,
      outcome: "ok",
      contactIds,
      records,
      detail,
    });
    return result;
  } catch (error) {
    const refusal = isDomainError(error);
    await assistant.recordAuditEvent(ctx.db, ctx.actor, {
      ...base,
      outcome: refusal ? "refused" : "error",
      detail: refusal ? error.message : "The tool failed.",
    });
    if (refusal) return { error: (error as Error).message };
    throw error;
  }
}

/** A sentence for results that left contacts out for lack of consent. */
export function withheldNote(withheld: number): string | undefined {
  if (withheld === 0) return undefined;
  return `${withheld} more ${withheld === 1 ? "match was" : "matches were"} left out: ${
    withheld === 1 ? "that client has" : "those clients have"
  } not consented to AI use of their record.`;
}
