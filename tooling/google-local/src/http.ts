import type { IncomingMessage } from "node:http";
import { badRequest, HttpError } from "./errors.ts";

const MAX_BODY_BYTES = 1 << 20;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, { error: "request_too_large" });
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses an `application/x-www-form-urlencoded` or JSON body into flat string fields. */
export function parseFields(body: string, contentType: string | undefined): Record<string, string> {
  const fields: Record<string, string> = {};
  if (!body) return fields;
  if (contentType?.includes("application/json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw new HttpError(400, { error: "invalid_request", error_description: "Invalid JSON" });
    }
    if (parsed && typeof parsed === "object") {
      for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
        if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
          fields[key] = String(value);
      }
    }
    return fields;
  }
  for (const [key, value] of new URLSearchParams(body)) fields[key] = value;
  return fields;
}

export interface IntParamOptions {
  min?: number;
  /** Larger values are clamped to this, as Google does for page sizes. */
  max?: number;
}

/** An integer query parameter; a malformed one is a 400 like Google's. */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  options: IntParamOptions = {},
  reason = "invalidArgument",
): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (!/^-?\d+$/.test(raw)) throw badRequest(`Invalid value '${raw}' for ${name}.`, reason);
  const value = Number(raw);
  if (options.min !== undefined && value < options.min)
    throw badRequest(
      `Invalid value '${raw}' for ${name}. Must be at least ${options.min}.`,
      reason,
    );
  if (options.max !== undefined && value > options.max) return options.max;
  return value;
}

export function boolParam(query: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw badRequest(`Invalid boolean value '${raw}' for ${name}.`);
}

/** Opaque page/sync tokens: base64url JSON with a kind tag, so a token of one kind is rejected by another. */
export function encodeToken(kind: string, payload: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify({ ...payload, _k: kind })).toString("base64url");
}

export function decodeToken(kind: string, token: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (parsed && typeof parsed === "object" && (parsed as { _k?: unknown })._k === kind)
      return parsed as Record<string, unknown>;
  } catch {
    // falls through: not one of ours
  }
  return undefined;
}
