import { assistant, contacts, notes, type Actor } from "@omnicrm/core";
import { createTestDatabase, type TestDatabase } from "@omnicrm/db/testing";
import { startLocalModel, text, toolCall, type LocalModel } from "@omnicrm/openai-local";
import { readUIMessageStream, type UIMessage, type UIMessageChunk } from "ai";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { overrideAiEnv } from "../env.ts";
import { createAiProvider, type AiProvider } from "../provider.ts";
import { handleChatTurn } from "./handler.ts";

let testDb: TestDatabase;
let model: LocalModel;
let provider: AiProvider;
beforeAll(async () => {
  [testDb, model] = await Promise.all([createTestDatabase(), startLocalModel()]);
  provider = createAiProvider({
    OPENAI_API_KEY: model.apiKey,
    OPENAI_BASE_URL: model.baseURL,
    OMNICRM_AI_CHAT_MODEL: "gpt-local",
    OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
    OMNICRM_AI_API: "chat",
  });
});
afterAll(async () => {
  await Promise.all([testDb.drop(), model.close()]);
});
let restoreEnv: (() => void) | undefined;
beforeEach(() => {
  model.reset();
  restoreEnv = overrideAiEnv({ OMNICRM_AI_REQUESTS_PER_MINUTE: "1000" });
});
afterEach(() => restoreEnv?.());

let users = 0;
async function makeUser(name = "Ana Reyes") {
  const user = await testDb.db.user.create({ data: { email: `chat${++users}@ai.test`, name } });
  return { id: user.id, name: user.name };
}

async function addClient(actor: Actor, name: string, emails: string[] = [], consent = true) {
  const contact = await contacts.createContact(testDb.db, actor, {
    name,
    emails,
    phones: [],
    stage: "active",
  });
  if (!consent)
    await assistant.setAiConsent(testDb.db, actor, { contactIds: [contact.id], consent: false });
  return contact;
}

interface TurnResult {
  status: number;
  error?: string;
  chunks: UIMessageChunk[];
  message?: UIMessage;
}

let ids = 0;
const question = (text: string) => ({
  id: `q${++ids}`,
  role: "user" as const,
  parts: [{ type: "text", text }],
});

async function turn(
  user: { id: string; name: string | null },
  body: unknown,
  options: { provider?: AiProvider } = {},
): Promise<TurnResult> {
  const response = await handleChatTurn({
    db: testDb.db,
    user,
    provider: options.provider ?? provider,
    request: new Request("http://127.0.0.1/api/chat", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  });
  if (!response.ok) return { status: response.status, error: await response.text(), chunks: [] };
  const chunks: UIMessageChunk[] = [];
  let buffer = "";
  const decoder = new TextDecoder();
  const tee = response.body!.pipeThrough(
    new TransformStream<Uint8Array, UIMessageChunk>({
      transform(bytes, controller) {
        buffer += decoder.decode(bytes, { stream: true });
        const events = buffer.split("\n\n");
        buffer = events.pop() ?? "";
        for (const event of events) {
          const data = event.replace(/^data: /, "");
          if (data === "[DONE]" || !data) continue;
          const chunk = JSON.parse(data) as UIMessageChunk;
          chunks.push(chunk);
          controller.enqueue(chunk);
        }
      },
    }),
  );
  // A confirmation continues the answer the browser already shows.
  const shown = isRecord(body) && isRecord(body.message) && body.message.role === "assistant";
  let message: UIMessage | undefined;
  for await (const m of readUIMessageStream({
    stream: tee,
    message: shown ? structuredClone(body.message as UIMessage) : undefined,
  }))
    message = m;
  return { status: response.status, chunks, message };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null;

async function newThread(user: { id: string }) {
  return assistant.createThread(testDb.db, { userId: user.id });
}

describe("a question answered with a tool", () => {
  it("streams the answer token by token, shows the tool's records and keeps the thread", async () => {
    const user = await makeUser();
    const actor = { userId: user.id };
    const maya = await addClient(actor, "Maya Lopez", ["maya@gmail.com"]);
    await addClient(actor, "Maya Withheld", ["withheld@gmail.com"], false);
    const thread = await newThread(user);
    model.script([
      toolCall("searchContacts", { query: "maya" }),
      text((request) => {
        const output = JSON.parse(request.toolResults[0]!.output) as {
          contacts: { name: string; url: string }[];
        };
        return `You have [${output.contacts[0]!.name}](${output.contacts[0]!.url}).`;
      }),
    ]);

    const result = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: question("Who is Maya?"),
      timeZone: "Europe/Lisbon",
    });

    expect(result.status).toBe(200);
    const deltas = result.chunks.filter((c) => c.type === "text-delta");
    expect(deltas.length).toBeGreaterThan(3);
    const answer = result.message!.parts.find((p) => p.type === "text");
    expect(answer).toMatchObject({ text: `You have [Maya Lopez](/contacts/${maya.id}).` });
    const toolPart = result.message!.parts.find((p) => p.type === "tool-searchContacts") as {
      state: string;
      output: { contacts: { id: string; name: string }[]; note?: string };
    };
    expect(toolPart.state).toBe("output-available");
    expect(toolPart.output.contacts.map((c) => c.name)).toEqual(["Maya Lopez"]);
    expect(toolPart.output.note).toBe(
      "1 more match was left out: that client has not consented to AI use of their record.",
    );

    // Nothing about the client without consent reached the model.
    expect(model.requests).toHaveLength(2);
    for (const request of model.requests) {
      expect(request.text).not.toContain("Withheld");
      expect(request.text).not.toContain("withheld@gmail.com");
    }
    expect(model.requests[0]!.messages[0]).toMatchObject({ role: "system" });
    expect(model.requests[0]!.messages[0]!.content).toContain("Europe/Lisbon");
    expect(model.requests[0]!.tools.map((t) => t.name).sort()).toEqual([
      "addNote",
      "clientsNeedingAttention",
      "createTask",
      "getContact",
      "searchContacts",
      "upcomingSessions",
    ]);

    const saved = await assistant.getThread(testDb.db, actor, { id: thread.id });
    expect(saved.title).toBe("Who is Maya?");
    expect(saved.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(saved.messages[1]!.id).toBe(result.message!.id);

    const audit = await assistant.listAuditEvents(testDb.db, actor);
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      kind: "tool_call",
      tool: "searchContacts",
      outcome: "ok",
      input: { query: "maya" },
      contactIds: [maya.id],
      threadId: thread.id,
    });

    const usage = await testDb.db.aiUsage.findMany({ where: { userId: user.id } });
    expect(usage).toHaveLength(2);
    expect(usage.every((u) => u.feature === "chat" && u.inputTokens > 0)).toBe(true);
  });

  it("continues a thread with its stored history, whatever the browser holds", async () => {
    const user = await makeUser();
    const thread = await newThread(user);
    model.script("First answer.", "Second answer.");
    await turn(user, { threadId: thread.id, trigger: "submit-message", message: question("One?") });
    const second = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: question("Two?"),
    });
    expect(second.status).toBe(200);
    const sent = model.requests[1]!.messages.filter((m) => m.role !== "system");
    expect(sent.map((m) => [m.role, m.content])).toEqual([
      ["user", "One?"],
      ["assistant", "First answer."],
      ["user", "Two?"],
    ]);
    const saved = await assistant.getThread(testDb.db, { userId: user.id }, { id: thread.id });
    expect(saved.messages).toHaveLength(4);
  });

  it("regenerates the last answer in place", async () => {
    const user = await makeUser();
    const thread = await newThread(user);
    model.script("A weak answer.", "A better answer.");
    const first = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: question("Advice?"),
    });
    const again = await turn(user, {
      threadId: thread.id,
      trigger: "regenerate-message",
      messageId: first.message!.id,
    });
    expect(again.status).toBe(200);
    const saved = await assistant.getThread(testDb.db, { userId: user.id }, { id: thread.id });
    expect(saved.messages).toHaveLength(2);
    expect(JSON.stringify(saved.messages[1]!.parts)).toContain("A better answer.");
    expect(JSON.stringify(saved.messages)).not.toContain("A weak answer.");
  });
});

describe("write actions wait for the practitioner", () => {
  async function proposeNote() {
    const user = await makeUser();
    const actor = { userId: user.id };
    const maya = await addClient(actor, "Maya Lopez");
    const thread = await newThread(user);
    model.script([
      toolCall("addNote", { contactId: maya.id, body: "Prefers morning sessions." }),
      text("Done: the note is on Maya's record."),
    ]);
    const proposed = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: question("Note that Maya prefers mornings"),
    });
    return { user, actor, maya, thread, proposed };
  }

  function decide(
    message: UIMessage,
    approved: boolean,
    tamper?: (part: Record<string, unknown>) => void,
  ) {
    return {
      ...message,
      parts: message.parts.map((part) => {
        const p = part as Record<string, unknown> & { approval?: { id: string } };
        if (p.state !== "approval-requested") return part;
        const next = { ...p, state: "approval-responded", approval: { ...p.approval, approved } };
        tamper?.(next);
        return next;
      }),
    };
  }

  it("writes nothing until confirmed, then saves the note and answers", async () => {
    const { user, actor, maya, thread, proposed } = await proposeNote();
    const part = proposed.message!.parts.find((p) => p.type === "tool-addNote") as {
      state: string;
      input: unknown;
    };
    expect(part.state).toBe("approval-requested");
    expect(part.input).toEqual({ contactId: maya.id, body: "Prefers morning sessions." });
    expect((await notes.listNotes(testDb.db, actor, { contactId: maya.id })).items).toHaveLength(0);

    const confirmed = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: decide(proposed.message!, true),
    });
    expect(confirmed.status).toBe(200);
    const saved = (await notes.listNotes(testDb.db, actor, { contactId: maya.id })).items;
    expect(saved.map((n) => n.body)).toEqual(["Prefers morning sessions."]);
    expect(confirmed.message!.id).toBe(proposed.message!.id);
    expect(JSON.stringify(confirmed.message!.parts)).toContain(
      "Done: the note is on Maya's record.",
    );
    const audit = await assistant.listAuditEvents(testDb.db, actor);
    expect(audit.items[0]).toMatchObject({ tool: "addNote", outcome: "ok", contactIds: [maya.id] });
  });

  it("uses the stored proposal, not what the browser sends back", async () => {
    const { user, actor, maya, thread, proposed } = await proposeNote();
    const confirmed = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: decide(proposed.message!, true, (part) => {
        part.input = { contactId: maya.id, body: "Something the practitioner never saw." };
      }),
    });
    expect(confirmed.status).toBe(200);
    const saved = (await notes.listNotes(testDb.db, actor, { contactId: maya.id })).items;
    expect(saved.map((n) => n.body)).toEqual(["Prefers morning sessions."]);
  });

  it("a declined action is never run and is audited as declined", async () => {
    const { user, actor, maya, thread, proposed } = await proposeNote();
    model.script("Alright, I will not add it.");
    const declined = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: decide(proposed.message!, false),
    });
    expect(declined.status).toBe(200);
    expect((await notes.listNotes(testDb.db, actor, { contactId: maya.id })).items).toHaveLength(0);
    const audit = await assistant.listAuditEvents(testDb.db, actor);
    expect(audit.items[0]).toMatchObject({ tool: "addNote", outcome: "denied" });
  });

  it("ends a turn that runs out of budget half way with the budget's sentence", async () => {
    const { user, thread, proposed } = await proposeNote();
    restoreEnv?.();
    restoreEnv = overrideAiEnv({ OMNICRM_AI_DAILY_TOKENS: "5000" });
    // Enough left to start the turn, not enough for the model to read the conversation.
    const used = await testDb.db.aiUsage.aggregate({
      where: { userId: user.id },
      _sum: { inputTokens: true, outputTokens: true },
    });
    const spent = (used._sum.inputTokens ?? 0) + (used._sum.outputTokens ?? 0);
    await testDb.db.aiUsage.create({
      data: { userId: user.id, feature: "chat", model: "gpt-local", inputTokens: 4900 - spent },
    });
    const confirmed = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: decide(proposed.message!, true),
    });
    expect(confirmed.status).toBe(200);
    const error = confirmed.chunks.find((c) => c.type === "error");
    expect(error).toMatchObject({ errorText: expect.stringMatching(/AI budget/) as unknown });
  });

  it("refuses a confirmation with nothing pending", async () => {
    const { user, thread, proposed } = await proposeNote();
    const result = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: { ...proposed.message!, parts: [{ type: "text", text: "approve everything" }] },
    });
    expect(result).toMatchObject({
      status: 409,
      error: "There is nothing waiting for your confirmation.",
    });
  });
});

describe("guardrails and privacy", () => {
  it("refuses over budget with the budget's sentence, before anything reaches the model", async () => {
    restoreEnv?.();
    restoreEnv = overrideAiEnv({ OMNICRM_AI_DAILY_TOKENS: "50" });
    const user = await makeUser();
    const thread = await newThread(user);
    await testDb.db.aiUsage.create({
      data: { userId: user.id, feature: "chat", model: "gpt-local", inputTokens: 60 },
    });
    const result = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: question("Hello?"),
    });
    expect(result).toMatchObject({
      status: 429,
      error: "You have used today's AI budget (50 tokens); it resets at midnight UTC.",
    });
    expect(model.requests).toHaveLength(0);
    // The question is kept, to be asked again later.
    const saved = await assistant.getThread(testDb.db, { userId: user.id }, { id: thread.id });
    expect(saved.messages.map((m) => m.role)).toEqual(["user"]);
  });

  it("never lets one answer run past what is left of the budget", async () => {
    restoreEnv?.();
    restoreEnv = overrideAiEnv({ OMNICRM_AI_DAILY_TOKENS: "2500" });
    const user = await makeUser();
    const thread = await newThread(user);
    model.script(Array.from({ length: 2_000 }, (_, i) => `word${i}`).join(" "));
    const result = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: question("Write a very long essay."),
    });
    expect(result.status).toBe(200);
    // The answer was cut to what the budget had left after the question (estimated before the
    // call), and the budget then refuses the next question.
    const body = model.requests[0]!.body as { max_tokens?: number };
    expect(body.max_tokens).toBeGreaterThan(0);
    expect(body.max_tokens).toBeLessThan(2500 - 1500);
    const usage = await testDb.db.aiUsage.findMany({ where: { userId: user.id } });
    expect(usage).toHaveLength(1);
    expect(usage[0]!.outputTokens).toBe(body.max_tokens);
    const next = await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: question("And another?"),
    });
    expect(next.status).toBe(429);
    expect(model.requests).toHaveLength(1);
  });

  it("redacts emails and phone numbers when the practitioner asked for it", async () => {
    const user = await makeUser();
    const actor = { userId: user.id };
    await assistant.updateAiSettings(testDb.db, actor, { redactContactDetails: true });
    await contacts.createContact(testDb.db, actor, {
      name: "Bo Chen",
      emails: ["bo.chen@gmail.com"],
      phones: ["+1 415 555 0132"],
      stage: "active",
    });
    const thread = await newThread(user);
    model.script([toolCall("searchContacts", { query: "bo" }), "Found Bo."]);
    await turn(user, {
      threadId: thread.id,
      trigger: "submit-message",
      message: question("Is bo.chen@gmail.com a client? Call +44 7700 900123"),
    });
    expect(model.requests).toHaveLength(2);
    for (const request of model.requests) {
      expect(request.text).not.toContain("bo.chen@gmail.com");
      expect(request.text).not.toContain("555 0132");
      expect(request.text).not.toContain("7700 900123");
    }
    expect(model.requests[1]!.toolResults[0]!.output).toContain("Bo Chen");
  });

  it("says how to configure a provider when there is none", async () => {
    const user = await makeUser();
    const thread = await newThread(user);
    const result = await turn(
      user,
      { threadId: thread.id, trigger: "submit-message", message: question("Hi") },
      { provider: createAiProvider({ ...unconfigured }) },
    );
    expect(result.status).toBe(503);
    expect(result.error).toMatch(/^The AI assistant is not configured: set OPENAI_API_KEY/);
  });
});

const unconfigured = {
  OPENAI_API_KEY: undefined,
  OPENAI_BASE_URL: undefined,
  OMNICRM_AI_CHAT_MODEL: "gpt-local",
  OMNICRM_AI_EMBEDDING_MODEL: "text-embedding-local",
  OMNICRM_AI_API: "chat" as const,
};

describe("bad requests", () => {
  it("answers each with a clear sentence and a matching status", async () => {
    const user = await makeUser();
    const other = await makeUser("Other Person");
    const thread = await newThread(user);
    const theirs = await newThread(other);
    const cases: [unknown, number, string][] = [
      ["{not json", 400, "The chat request is not valid JSON."],
      [
        { threadId: "nope", trigger: "submit-message", message: question("x") },
        400,
        "Not a valid conversation.",
      ],
      [{ threadId: thread.id, trigger: "submit-message" }, 400, "Nothing was sent."],
      [
        { threadId: thread.id, trigger: "explode", message: question("x") },
        400,
        "Unknown chat action.",
      ],
      [
        { threadId: thread.id, trigger: "submit-message", message: question("x"), extra: 1 },
        400,
        'Unrecognized key: "extra"',
      ],
      [
        { threadId: thread.id, trigger: "submit-message", message: question("a".repeat(8_001)) },
        400,
        "A question can be at most 8,000 characters.",
      ],
      [
        { threadId: thread.id, trigger: "submit-message", message: question("   ") },
        400,
        "Write a question first.",
      ],
      [
        { threadId: theirs.id, trigger: "submit-message", message: question("Whose is this?") },
        404,
        "This conversation does not exist or was deleted.",
      ],
      [
        { threadId: thread.id, trigger: "regenerate-message" },
        409,
        "There is no question to answer again.",
      ],
    ];
    for (const [body, status, message] of cases) {
      const result = await turn(user, body);
      expect({ status: result.status, error: result.error }).toEqual({ status, error: message });
    }
    expect(model.requests).toHaveLength(0);
    // Nothing was written to the other user's conversation.
    expect(
      (await assistant.getThread(testDb.db, { userId: other.id }, { id: theirs.id })).messages,
    ).toEqual([]);
  });
});

describe("stop", () => {
  it("keeps what was streamed and records its tokens when the practitioner stops", async () => {
    const user = await makeUser();
    const thread = await newThread(user);
    model.setLatency({ timeToFirstTokenMs: 0, perTokenMs: 15 });
    model.script(Array.from({ length: 400 }, (_, i) => `w${i}`).join(" "));
    const controller = new AbortController();
    const response = await handleChatTurn({
      db: testDb.db,
      user,
      provider,
      request: new Request("http://127.0.0.1/api/chat", {
        method: "POST",
        body: JSON.stringify({
          threadId: thread.id,
          trigger: "submit-message",
          message: question("Go on"),
        }),
        signal: controller.signal,
      }),
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let received = "";
    while (!received.includes('"w10"') && !received.includes('" w10"')) {
      const next = await reader.read();
      if (next.done) throw new Error(`the stream ended before w10: ${received.slice(-500)}`);
      received += new TextDecoder().decode(next.value);
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);
    await expect
      .poll(
        async () =>
          (await assistant.getThread(testDb.db, { userId: user.id }, { id: thread.id })).messages
            .length,
      )
      .toBe(2);
    const saved = await assistant.getThread(testDb.db, { userId: user.id }, { id: thread.id });
    const answer = JSON.stringify(saved.messages[1]!.parts);
    expect(answer).toContain("w10");
    expect(answer).not.toContain("w399");
    const usage = await testDb.db.aiUsage.findMany({ where: { userId: user.id } });
    expect(usage).toHaveLength(1);
    expect(usage[0]!.outputTokens).toBeGreaterThan(5);
    model.setLatency({ timeToFirstTokenMs: 0, perTokenMs: 0 });
  });
});
