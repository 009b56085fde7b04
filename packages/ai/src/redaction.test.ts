import { describe, expect, it } from "vitest";
import {
  EMAIL_PLACEHOLDER as E,
  PHONE_PLACEHOLDER as P,
  redactJson,
  redactPrompt,
  redactText,
} from "./redaction.ts";

describe("redactText", () => {
  it.each([
    ["Write to maya.lopez+yoga@gmail.com today", `Write to ${E} today`],
    ["MAYA@Example.CO.UK, or j.o'neil@studio.io.", `${E}, or ${E}.`],
    ["Call +1 (415) 555-0132 after 6", `Call ${P} after 6`],
    ["mobile 07700 900123; office 020 7946 0958", `mobile ${P}; office ${P}`],
    ["phone: 415.555.0132", `phone: ${P}`],
    ["0033 6 12 34 56 78 (France)", `${P} (France)`],
    ["+33612345678", P],
  ])("hides %j", (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it.each([
    "Session on 2026-12-04T10:00:00.000Z for 60 minutes",
    "Due 04/12/2026, paid $1,250.00 for 10 sessions",
    "contact 0190b6a4-0000-7000-8000-000000000000 and note 0193c1de-7a1b-7c2d-9e3f-123456789abc",
    "Weight went from 72.5 to 70.1 kg; 3 sessions a week; BP 120/80",
    "Open at 09:30-17:00, room 12",
    "Ticket #123456",
  ])("keeps %j", (input) => {
    expect(redactText(input)).toBe(input);
  });
});

describe("redactJson", () => {
  it("redacts string values at any depth and keeps keys, numbers and ids", () => {
    const value = {
      contacts: [
        {
          id: "0190b6a4-0000-7000-8000-000000000000",
          email: "maya@gmail.com",
          phones: ["+44 7700 900123"],
          visits: 12,
        },
      ],
    };
    expect(redactJson(value)).toEqual({
      contacts: [{ id: "0190b6a4-0000-7000-8000-000000000000", email: E, phones: [P], visits: 12 }],
    });
  });
});

describe("redactPrompt", () => {
  it("redacts the system text, user text and tool results, and leaves structure alone", () => {
    const redacted = redactPrompt([
      { role: "system", content: "The practitioner is ana@studio.com." },
      {
        role: "user",
        content: [{ type: "text", text: "Is bob@mail.com booked? +1 415 555 0132" }],
      },
      {
        role: "assistant",
        content: [
          {
            type: "tool-call",
            toolCallId: "c1",
            toolName: "searchContacts",
            input: { query: "bob@mail.com" },
          },
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "c1",
            toolName: "searchContacts",
            output: { type: "json", value: { contacts: [{ name: "Bob", email: "bob@mail.com" }] } },
          },
        ],
      },
    ]);
    expect(redacted).toEqual([
      { role: "system", content: `The practitioner is ${E}.` },
      { role: "user", content: [{ type: "text", text: `Is ${E} booked? ${P}` }] },
      {
        role: "assistant",
        content: [
          { type: "tool-call", toolCallId: "c1", toolName: "searchContacts", input: { query: E } },
        ],
      },
      {
        role: "tool",
        content: [
          {
            type: "tool-result",
            toolCallId: "c1",
            toolName: "searchContacts",
            output: { type: "json", value: { contacts: [{ name: "Bob", email: E }] } },
          },
        ],
      },
    ]);
  });
});
