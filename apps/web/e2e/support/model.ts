// The assistant's model in the end-to-end tests: the local OpenAI-compatible server, scripted to
// behave like a model that uses the tools. Questions it understands:
//   "Who is <name>?"                         searches the contacts, then answers with a link
//   "Add a note to <name>: <text>"           searches, proposes the note (the practitioner
//                                            confirms), then says it is done
//   "Write a long essay <...>"               a very long answer (to spend the budget)
// Anything else is echoed back.
import {
  startLocalModel,
  text,
  toolCall,
  type ModelRequest,
  type Script,
} from "@omnicrm/openai-local";

interface FoundContact {
  id: string;
  name: string;
  url: string;
}

function lastResult(request: ModelRequest, tool: string): Record<string, unknown> | null {
  const result = [...request.toolResults].reverse().find((r) => r.name === tool);
  if (!result) return null;
  try {
    return JSON.parse(result.output) as Record<string, unknown>;
  } catch {
    return null;
  }
}

const firstContact = (output: Record<string, unknown> | null): FoundContact | null =>
  ((output?.contacts as FoundContact[] | undefined) ?? [])[0] ?? null;

const ESSAY = Array.from(
  { length: 12_000 },
  (_, i) => ["Breathing", "slowly", "calms", "the", "nervous", "system", "and"][i % 7],
).join(" ");

export function practiceModel(request: ModelRequest): Script | undefined {
  const question = request.lastUserMessage.trim();

  const who = /^who is (.+?)\??$/i.exec(question);
  if (who) {
    if (request.toolResults.length === 0) return [toolCall("searchContacts", { query: who[1] })];
    const output = lastResult(request, "searchContacts");
    const contact = firstContact(output);
    if (!contact)
      return text(`I could not find anyone called ${who[1]}. ${String(output?.note ?? "")}`);
    return text(`[${contact.name}](${contact.url}) is one of your clients.`);
  }

  const note = /^add a note to (.+?): (.+)$/i.exec(question);
  if (note) {
    const answered = request.toolResults.find((r) => r.name === "addNote");
    if (answered) {
      const contact = (
        lastResult(request, "addNote")?.added as { contact?: FoundContact } | undefined
      )?.contact;
      // A declined call comes back as a sentence, not a result.
      return text(
        contact ? `Done: the note is on ${contact.name}'s record.` : "Alright, I did not add it.",
      );
    }
    const contact = firstContact(lastResult(request, "searchContacts"));
    if (contact) return [toolCall("addNote", { contactId: contact.id, body: note[2] })];
    return [toolCall("searchContacts", { query: note[1] })];
  }

  if (/^write a long essay/i.test(question)) return text(ESSAY, { deltas: 50 });
  return undefined;
}

/** Starts the scripted model: answers stream (a short pause, then token by token). */
export function startPracticeModel() {
  return startLocalModel({
    port: 0,
    handler: practiceModel,
    latency: { timeToFirstTokenMs: 150, perTokenMs: 0.2 },
    // About four characters a token, as real models count.
    countTokens: (value) => Math.ceil(value.length / 4),
  });
}
