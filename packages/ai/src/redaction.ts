// Redaction of contact details before a model call: email addresses and phone numbers become
// placeholders. It errs on the side of hiding (a long number that might be a phone is hidden),
// but leaves alone what the assistant needs to work: record ids, dates and times, amounts.
import type { LanguageModelV4Prompt } from "@ai-sdk/provider";

export const EMAIL_PLACEHOLDER = "[email hidden]";
export const PHONE_PLACEHOLDER = "[phone hidden]";

const EMAIL =
  /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+/g;
// A run of digits with the separators phone numbers are written with, not glued to a word,
// an id or a decimal.
const PHONE_CANDIDATE = /(?<![\w.:/-])(?:\+|00)?\(?\d[\d\s().\-/]{5,}\d(?![\w:-]|\.\d)/g;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}/;
const DATE_LIKE = /^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$/;

function isPhone(candidate: string): boolean {
  const digits = candidate.replace(/\D/g, "");
  if (digits.length < 7 || digits.length > 15) return false;
  const trimmed = candidate.trim();
  if (ISO_DATE.test(trimmed) || DATE_LIKE.test(trimmed)) return false;
  return true;
}

/** The text with every email address and phone number replaced by a placeholder. */
export function redactText(text: string): string {
  if (!/\d|@/.test(text)) return text;
  return text.replace(EMAIL, EMAIL_PLACEHOLDER).replace(PHONE_CANDIDATE, (match) => {
    // Keep the whitespace the greedy match may have taken at its edges.
    const lead = /^\s*/.exec(match)![0];
    const trail = /\s*$/.exec(match)![0];
    return isPhone(match) ? `${lead}${PHONE_PLACEHOLDER}${trail}` : match;
  });
}

/** Every string inside a JSON value redacted (keys are left alone). */
export function redactJson<T>(value: T): T {
  if (typeof value === "string") return redactText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactJson(item)) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, redactJson(v)]),
    ) as T;
  }
  return value;
}

/** A model prompt with contact details redacted in every text, tool input and tool result. */
export function redactPrompt(prompt: LanguageModelV4Prompt): LanguageModelV4Prompt {
  return prompt.map((message) => {
    switch (message.role) {
      case "system":
        return { ...message, content: redactText(message.content) };
      case "user":
        return {
          ...message,
          content: message.content.map((part) =>
            part.type === "text" ? { ...part, text: redactText(part.text) } : part,
          ),
        };
      case "assistant":
        return {
          ...message,
          content: message.content.map((part) => {
            if (part.type === "text" || part.type === "reasoning")
              return { ...part, text: redactText(part.text) };
            if (part.type === "tool-call") return { ...part, input: redactJson(part.input) };
            if (part.type === "tool-result") return { ...part, output: redactJson(part.output) };
            return part;
          }),
        };
      case "tool":
        return {
          ...message,
          content: message.content.map((part) =>
            part.type === "tool-result" ? { ...part, output: redactJson(part.output) } : part,
          ),
        };
      default:
        return message;
    }
  });
}
