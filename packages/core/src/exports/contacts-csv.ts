import type { Db } from "@omnicrm/db";
import { stringify } from "csv-stringify/sync";
import { z } from "zod";
import type { Actor } from "../actor.ts";
import { listContacts } from "../contacts/service.ts";
import {
  contactFiltersSchema,
  contactListInputSchema,
  contactSortFields,
  idSchema,
} from "../schemas.ts";

export const contactExportInputSchema = z.discriminatedUnion("scope", [
  z.strictObject({ scope: z.literal("all") }),
  z.strictObject({
    scope: z.literal("view"),
    search: z.string().trim().max(200).optional(),
    filters: contactFiltersSchema.default({ tagMode: "any" }),
    sort: z
      .strictObject({ field: z.enum(contactSortFields), direction: z.enum(["asc", "desc"]) })
      .default({ field: "name", direction: "asc" }),
    timeZone: contactListInputSchema.shape.timeZone,
  }),
  z.strictObject({
    scope: z.literal("selection"),
    ids: z.array(idSchema).min(1, "Select at least one contact.").max(100_000),
  }),
]);
export type ContactExportInput = z.input<typeof contactExportInputSchema>;

/**
 * Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a
 * formula. Such values are written with a leading apostrophe, which spreadsheets show as text.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const BATCH = 200;

/**
 * The actor's contacts as CSV, produced batch by batch (keyset pages), so memory stays flat
 * whatever the number of rows, and nothing is capped. Yields the header first.
 */
export async function* exportContactsCsv(
  db: Db,
  actor: Actor,
  input: ContactExportInput,
): AsyncGenerator<string> {
  const request = contactExportInputSchema.parse(input);
  const fields = await db.customField.findMany({
    where: { userId: actor.userId },
    orderBy: [{ position: "asc" }, { createdAt: "asc" }],
    select: { id: true, label: true, type: true },
  });
  const header = [
    "Name",
    "Email",
    "Other emails",
    "Phone",
    "Other phones",
    "Stage",
    "Source",
    "Tags",
    "Created",
    "Last interaction",
    ...fields.map((f) => f.label),
  ];
  // A byte-order mark makes Excel read the file as UTF-8.
  yield "\uFEFF" + stringify([header]);

  for await (const ids of idBatches(db, actor, request)) {
    const rows = await db.contact.findMany({
      where: { id: { in: ids }, userId: actor.userId, deletedAt: null },
      select: {
        id: true,
        name: true,
        stage: true,
        source: true,
        createdAt: true,
        lastInteractionAt: true,
        emails: { select: { email: true }, orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }] },
        phones: { select: { phone: true }, orderBy: [{ isPrimary: "desc" }, { createdAt: "asc" }] },
        tags: { select: { tag: { select: { name: true } } } },
        fieldValues: {
          select: { fieldId: true, textValue: true, numberValue: true, dateValue: true },
        },
      },
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    const records: string[][] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (!row) continue;
      const values = new Map(row.fieldValues.map((v) => [v.fieldId, v]));
      records.push(
        [
          row.name,
          row.emails[0]?.email ?? "",
          row.emails
            .slice(1)
            .map((e) => e.email)
            .join("; "),
          row.phones[0]?.phone ?? "",
          row.phones
            .slice(1)
            .map((p) => p.phone)
            .join("; "),
          row.stage,
          row.source ?? "",
          row.tags
            .map((t) => t.tag.name)
            .sort()
            .join("; "),
          row.createdAt.toISOString(),
          row.lastInteractionAt?.toISOString() ?? "",
          ...fields.map((field) => {
            const value = values.get(field.id);
            if (!value) return "";
            if (field.type === "number") return value.numberValue?.toString() ?? "";
            if (field.type === "date") return value.dateValue?.toISOString().slice(0, 10) ?? "";
            return value.textValue ?? "";
          }),
        ].map(neutralizeFormula),
      );
    }
    if (records.length > 0) yield stringify(records);
  }
}

async function* idBatches(
  db: Db,
  actor: Actor,
  request: z.output<typeof contactExportInputSchema>,
): AsyncGenerator<string[]> {
  if (request.scope === "selection") {
    const unique = [...new Set(request.ids)];
    for (let i = 0; i < unique.length; i += BATCH) yield unique.slice(i, i + BATCH);
    return;
  }
  const view =
    request.scope === "view"
      ? {
          search: request.search,
          filters: request.filters,
          sort: request.sort,
          timeZone: request.timeZone,
        }
      : { sort: { field: "name" as const, direction: "asc" as const } };
  let cursor: string | null = null;
  do {
    const page = await listContacts(db, actor, { ...view, limit: BATCH, cursor });
    if (page.items.length > 0) yield page.items.map((c) => c.id);
    cursor = page.nextCursor;
  } while (cursor);
}
