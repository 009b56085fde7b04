// Test support for the search integration tests (not exported from the package).
import type { Actor } from "@omnicrm/core";
import type { Db } from "@omnicrm/db";
import type { LocalModel } from "@omnicrm/openai-local";
import { createAiProvider, type ConfiguredAiProvider } from "../provider.ts";

export function localProvider(model: LocalModel): ConfiguredAiProvider {
  const provider = createAiProvider({
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_CHAT_MODEL: "gpt-local",
    OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
    OMNICRM_AI_API: "chat",
  });
  if (!provider.configured) throw new Error("expected a configured provider");
  return provider;
}

let users = 0;

export async function makeUser(db: Db, label = "user"): Promise<Actor> {
  const user = await db.user.create({ data: { email: `${label}${++users}@search.test` } });
  return { userId: user.id };
}

export async function makeContact(
  db: Db,
  actor: Actor,
  name: string,
  options: { aiConsent?: boolean; email?: string } = {},
): Promise<string> {
  const contact = await db.contact.create({
    data: {
      userId: actor.userId,
      name,
      nameSort: name.toLowerCase(),
      email: options.email ?? null,
      aiConsent: options.aiConsent ?? true,
    },
  });
  return contact.id;
}

export async function makeNote(db: Db, actor: Actor, contactId: string, body: string) {
  return (await db.note.create({ data: { userId: actor.userId, contactId, body } })).id;
}

let externalIds = 0;

export async function makeEmail(
  db: Db,
  actor: Actor,
  contactIds: string[],
  subject: string,
  snippet: string,
  kind: "email" | "session" = "email",
): Promise<string> {
  const interaction = await db.interaction.create({
    data: {
      userId: actor.userId,
      kind,
      provider: kind === "email" ? "gmail" : "calendar",
      externalId: `ext-${++externalIds}`,
      direction: kind === "email" ? "inbound" : null,
      subject,
      snippet,
      occurredAt: new Date("2026-11-20T10:00:00Z"),
      participants: [],
    },
  });
  await db.interactionContact.createMany({
    data: contactIds.map((contactId, index) => ({
      interactionId: interaction.id,
      contactId,
      userId: actor.userId,
      role: index === 0 ? "from" : "to",
    })),
  });
  return interaction.id;
}

/** Every text the model was sent, joined (for "never sent to a model" checks). */
export function sentText(model: LocalModel): string {
  return model.requests.map((r) => r.text).join("\n");
}
