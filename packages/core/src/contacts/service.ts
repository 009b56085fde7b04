import { Prisma, type Contact, type Db } from "@omnicrm/db";
import type { Actor } from "../actor.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import {
  contactIdInputSchema,
  contactInputSchema,
  contactListInputSchema,
  contactUpdateSchema,
  type ContactInput,
  type ContactListInput,
  type ContactSortField,
  type ContactUpdateInput,
} from "../schemas.ts";
import { decodeCursor, encodeCursor, type Cursor } from "./cursor.ts";

/** The key contacts are sorted by name with: lower case, without accents. */
export function nameSortKey(name: string): string {
  return name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().trim().slice(0, 200);
}

/** The column each sort field orders by. */
const sortColumn = {
  name: "nameSort",
  email: "email",
  phone: "phone",
  createdAt: "createdAt",
} as const satisfies Record<ContactSortField, keyof Contact>;
type SortColumn = (typeof sortColumn)[ContactSortField];

type ContactRow = ContactRecord & { nameSort: string };

export type ContactRecord = Pick<
  Contact,
  "id" | "name" | "email" | "phone" | "createdAt" | "updatedAt"
>;

export interface ContactPage {
  items: ContactRecord[];
  /** Cursor of the next page, or null on the last page. */
  nextCursor: string | null;
  /** Cursor of the previous page, or null on the first page. */
  prevCursor: string | null;
}

const select = {
  id: true,
  name: true,
  nameSort: true,
  email: true,
  phone: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.ContactSelect;

function conflictOnDuplicateEmail(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new ConflictError("You already have a contact with this email.", {
      email: ["You already have a contact with this email."],
    });
  }
  throw error;
}

function notFoundOnMissing(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025") {
    throw new NotFoundError("This contact does not exist or was deleted.");
  }
  throw error;
}

export async function createContact(
  db: Db,
  actor: Actor,
  input: ContactInput,
): Promise<ContactRecord> {
  const data = contactInputSchema.parse(input);
  return db.contact
    .create({ data: { ...data, nameSort: nameSortKey(data.name), userId: actor.userId }, select })
    .then(toRecord)
    .catch(conflictOnDuplicateEmail);
}

export async function getContact(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<ContactRecord> {
  const { id } = contactIdInputSchema.parse(input);
  const contact = await db.contact.findFirst({ where: { id, userId: actor.userId }, select });
  if (!contact) throw new NotFoundError("This contact does not exist or was deleted.");
  return toRecord(contact);
}

export async function updateContact(
  db: Db,
  actor: Actor,
  input: ContactUpdateInput,
): Promise<ContactRecord> {
  const { id, data } = contactUpdateSchema.parse(input);
  return db.contact
    .update({
      where: { id, userId: actor.userId },
      data: { ...data, nameSort: nameSortKey(data.name) },
      select,
    })
    .then(toRecord)
    .catch(notFoundOnMissing)
    .catch(conflictOnDuplicateEmail);
}

export async function deleteContact(
  db: Db,
  actor: Actor,
  input: { id: string },
): Promise<{ id: string }> {
  const { id } = contactIdInputSchema.parse(input);
  const { count } = await db.contact.deleteMany({ where: { id, userId: actor.userId } });
  if (count === 0) throw new NotFoundError("This contact does not exist or was deleted.");
  return { id };
}

function toRecord({ nameSort: _nameSort, ...record }: ContactRow): ContactRecord {
  return record;
}

function sortValue(contact: ContactRow, field: ContactSortField): string | null {
  const value = contact[sortColumn[field]];
  return value instanceof Date ? value.toISOString() : value;
}

function parseSortValue(field: ContactSortField, value: string | null): string | Date | null {
  return field === "createdAt" && value !== null ? new Date(value) : value;
}

/**
 * Rows strictly after (`forward`) or before the cursor row in the canonical order
 * `field ASC NULLS LAST, id ASC`.
 */
function keysetWhere(
  sortField: ContactSortField,
  cursor: Cursor,
  forward: boolean,
): Prisma.ContactWhereInput {
  const value = parseSortValue(sortField, cursor.v);
  const field: SortColumn = sortColumn[sortField];
  const nullable = field === "email" || field === "phone";
  if (forward) {
    if (value === null) return { [field]: null, id: { gt: cursor.id } };
    const after: Prisma.ContactWhereInput[] = [
      { [field]: { gt: value } },
      { [field]: value, id: { gt: cursor.id } },
    ];
    if (nullable) after.push({ [field]: null });
    return { OR: after };
  }
  if (value === null)
    return { OR: [{ [field]: { not: null } }, { [field]: null, id: { lt: cursor.id } }] };
  return { OR: [{ [field]: { lt: value } }, { [field]: value, id: { lt: cursor.id } }] };
}

function orderBy(
  sortField: ContactSortField,
  ascending: boolean,
): Prisma.ContactOrderByWithRelationInput[] {
  const field: SortColumn = sortColumn[sortField];
  const sort = ascending ? "asc" : "desc";
  const byField: Prisma.ContactOrderByWithRelationInput =
    field === "email" || field === "phone"
      ? { [field]: { sort, nulls: ascending ? "last" : "first" } }
      : { [field]: sort };
  return [byField, { id: sort }];
}

/**
 * One page of the actor's contacts, sorted by any column, with keyset cursors for the next
 * and previous pages (no OFFSET, no count over the table).
 */
export async function listContacts(
  db: Db,
  actor: Actor,
  input: ContactListInput = {},
): Promise<ContactPage> {
  const { limit, sort, search, cursor: rawCursor } = contactListInputSchema.parse(input);
  const cursor = rawCursor ? decodeCursor(rawCursor, sort.field) : null;
  const ascending = sort.direction === "asc";
  // Paging backwards reads in the opposite order, then restores the display order.
  const readingBackwards = cursor?.d === "p";
  const readAscending = ascending !== readingBackwards;

  const filters: Prisma.ContactWhereInput[] = [{ userId: actor.userId }];
  if (search) {
    filters.push({
      OR: [
        { name: { contains: search, mode: "insensitive" } },
        { email: { contains: search, mode: "insensitive" } },
        { phone: { contains: search } },
      ],
    });
  }
  if (cursor) filters.push(keysetWhere(sort.field, cursor, readAscending));

  const rows = await db.contact.findMany({
    where: { AND: filters },
    orderBy: orderBy(sort.field, readAscending),
    take: limit + 1,
    select,
  });
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (readingBackwards) page.reverse();

  const first = page[0];
  const last = page.at(-1);
  const cursorFor = (row: ContactRow | undefined, d: "n" | "p") =>
    row ? encodeCursor({ f: sort.field, d, v: sortValue(row, sort.field), id: row.id }) : null;

  const hasNext = readingBackwards ? true : hasMore;
  const hasPrev = readingBackwards ? hasMore : cursor !== null;
  return {
    items: page.map(toRecord),
    nextCursor: hasNext ? cursorFor(last, "n") : null,
    prevCursor: hasPrev ? cursorFor(first, "p") : null,
  };
}
