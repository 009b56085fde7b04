import { randomUUID } from "node:crypto";

/** A version-7 UUID (time-ordered), like the schema's `uuid(7)` defaults. */
export function uuidv7(): string {
  const time = Date.now().toString(16).padStart(12, "0");
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}
