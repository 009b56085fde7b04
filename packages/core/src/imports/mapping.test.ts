import { describe, expect, it } from "vitest";
import {
  compileMapping,
  detectPreset,
  guessMapping,
  headerSignature,
  mapRow,
  presetMapping,
  type MappingContext,
} from "./mapping.ts";
import { importMappingSchema, importPreviewSchema } from "./schemas.ts";

const GOOGLE = [
  "First Name",
  "Middle Name",
  "Last Name",
  "Nickname",
  "Organization Name",
  "Birthday",
  "Notes",
  "Labels",
  "E-mail 1 - Label",
  "E-mail 1 - Value",
  "E-mail 2 - Label",
  "E-mail 2 - Value",
  "Phone 1 - Label",
  "Phone 1 - Value",
  "Phone 2 - Label",
  "Phone 2 - Value",
];
const OUTLOOK = [
  "First Name",
  "Middle Name",
  "Last Name",
  "Company",
  "Business Phone",
  "Home Phone",
  "Mobile Phone",
  "E-mail Address",
  "E-mail 2 Address",
  "E-mail 3 Address",
  "Categories",
  "Notes",
];

describe("presets and guesses", () => {
  it("recognizes Google Contacts and Outlook exports", () => {
    expect(detectPreset(GOOGLE)).toBe("googleContacts");
    expect(detectPreset(["Name", "Given Name", "Group Membership", "E-mail 1 - Value"])).toBe(
      "googleContacts",
    );
    expect(detectPreset(OUTLOOK)).toBe("outlook");
    expect(detectPreset(["Name", "Email"])).toBeNull();
  });

  it("maps the Google columns, ignoring labels and the rest", () => {
    expect(presetMapping("googleContacts", GOOGLE)).toMatchObject({
      "First Name": "firstName",
      "Middle Name": "ignore",
      "Last Name": "lastName",
      Labels: "tags",
      "E-mail 1 - Label": "ignore",
      "E-mail 1 - Value": "email",
      "E-mail 2 - Value": "email",
      "Phone 1 - Label": "ignore",
      "Phone 1 - Value": "phone",
      "Phone 2 - Value": "phone",
      Notes: "ignore",
    });
  });

  it("maps the Outlook columns", () => {
    expect(presetMapping("outlook", OUTLOOK)).toEqual({
      "First Name": "firstName",
      "Middle Name": "ignore",
      "Last Name": "lastName",
      Company: "ignore",
      "Business Phone": "phone",
      "Home Phone": "phone",
      "Mobile Phone": "phone",
      "E-mail Address": "email",
      "E-mail 2 Address": "email",
      "E-mail 3 Address": "email",
      Categories: "tags",
      Notes: "ignore",
    });
  });

  it("guesses from synonyms whatever the case, spacing or accents, and finds custom fields", () => {
    const fieldId = "0190b6a4-0000-7000-8000-00000000000f";
    expect(
      guessMapping(
        [
          "Full Name",
          "E-Mail",
          "Secondary email",
          "Work E-mail",
          "Mobile",
          "Téléphone",
          "STATUS",
          "Lead source",
          "Tags",
          "Date of birth",
          "Full name",
          "Whatever",
        ],
        [{ id: fieldId, key: "date_of_birth", label: "Birthday" }],
      ),
    ).toEqual({
      "Full Name": "name",
      "E-Mail": "email",
      "Secondary email": "email",
      "Work E-mail": "email",
      Mobile: "phone",
      Téléphone: "phone",
      STATUS: "stage",
      "Lead source": "source",
      Tags: "tags",
      "Date of birth": `custom:${fieldId}`,
      "Full name": "ignore",
      Whatever: "ignore",
    });
  });

  it("signs headers independently of order, case and spacing", () => {
    expect(headerSignature(["Email", "Full  Name"])).toBe(headerSignature(["full name", "EMAIL"]));
    expect(
      headerSignature([
        "a".repeat(300),
        ...Array.from({ length: 10 }, (_, i) => `${i}`.repeat(300)),
      ]),
    ).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});

describe("mapRow", () => {
  const fieldIds = {
    sessions: "0190b6a4-0000-7000-8000-000000000001",
    plan: "0190b6a4-0000-7000-8000-000000000002",
    birthday: "0190b6a4-0000-7000-8000-000000000003",
  };
  const headers = ["First", "Last", "Email", "Email 2", "Phone", "Stage", "Tags", "N", "P", "B"];
  const ctx: MappingContext = {
    mapping: compileMapping(headers, {
      First: "firstName",
      Last: "lastName",
      Email: "email",
      "Email 2": "email",
      Phone: "phone",
      Stage: "stage",
      Tags: "tags",
      N: `custom:${fieldIds.sessions}`,
      P: `custom:${fieldIds.plan}`,
      B: `custom:${fieldIds.birthday}`,
    }),
    stages: new Map([
      ["lead", "lead"],
      ["active", "active"],
      ["active client", "active"],
    ]),
    fields: new Map([
      [
        fieldIds.sessions,
        { id: fieldIds.sessions, label: "Sessions", type: "number", options: [] },
      ],
      [fieldIds.plan, { id: fieldIds.plan, label: "Plan", type: "select", options: ["Monthly"] }],
      [fieldIds.birthday, { id: fieldIds.birthday, label: "Birthday", type: "date", options: [] }],
    ]),
  };

  it("joins names, lower-cases emails, keeps the first of each as primary, reads every field", () => {
    expect(
      mapRow(
        2,
        {
          First: "Élodie",
          Last: " Martin ",
          Email: "",
          "Email 2": "Elodie@Example.FR ::: elodie@work.example",
          Phone: "+33 6 12 34 56 78; 06 12 34 56 78",
          Stage: "Active Client",
          Tags: "Yoga; pilates, * myContacts ::: * starred,YOGA",
          N: "12",
          P: "monthly",
          B: "1990-02-28",
        },
        ctx,
      ),
    ).toEqual({
      name: "Élodie Martin",
      emails: ["elodie@example.fr", "elodie@work.example"],
      phones: ["+33 6 12 34 56 78", "06 12 34 56 78"],
      stage: "active",
      source: null,
      tags: ["Yoga", "pilates", "starred"],
      fields: [
        { fieldId: fieldIds.sessions, value: { numberValue: 12 } },
        { fieldId: fieldIds.plan, value: { textValue: "Monthly" } },
        { fieldId: fieldIds.birthday, value: { dateValue: "1990-02-28" } },
      ],
      problems: [],
    });
  });

  it("reports each problem of a row, in words", () => {
    const row = mapRow(
      12,
      {
        First: "Bob",
        Email: "bob@",
        Phone: "call me",
        Stage: "VIP",
        N: "twelve",
        P: "Yearly",
        B: "1990-02-30",
      },
      ctx,
    );
    expect(row.problems).toEqual([
      "Row 12: “bob@” is not a valid email",
      "Row 12: “call me” is not a valid phone number",
      "Row 12: “VIP” is not one of your stages",
      "Row 12: Sessions: “twelve” must be a number",
      "Row 12: Plan: “Yearly” must be one of the field's options",
      "Row 12: Birthday: “1990-02-30” must be a date written YYYY-MM-DD",
    ]);
    expect(mapRow(3, { Stage: "" }, ctx).problems).toEqual(["Row 3: no name, email or phone"]);
  });

  it("keeps formula-looking cells as text, and takes back the apostrophe OmniCRM's export adds", () => {
    const row = mapRow(4, { First: '=HYPERLINK("http://x")', Phone: "'+1 555 0100" }, ctx);
    expect(row.name).toBe('=HYPERLINK("http://x")');
    expect(row.phones).toEqual(["+1 555 0100"]);
  });
});

describe("schemas", () => {
  it("accepts field targets and custom fields, nothing else", () => {
    expect(
      importMappingSchema.safeParse({
        A: "email",
        B: "custom:0190b6a4-0000-7000-8000-000000000001",
      }).success,
    ).toBe(true);
    expect(importMappingSchema.safeParse({ A: "password" }).success).toBe(false);
    expect(importMappingSchema.safeParse({ A: "custom:nope" }).success).toBe(false);
    expect(
      importPreviewSchema.safeParse({
        importId: "0190b6a4-0000-7000-8000-000000000001",
        mapping: {},
        options: { matchBy: "email", onMatch: "update", extra: true },
      }).success,
    ).toBe(false);
  });
});
