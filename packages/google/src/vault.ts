import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { googleEnv } from "./env.ts";

/**
 * The token vault: AES-256-GCM with a random 96-bit IV per message, the key's id in the
 * sealed text (so keys can rotate: the current key seals, older keys still open), and the
 * owner as additional authenticated data (a sealed value copied onto another user's row
 * does not open).
 *
 * Sealed format: `v1.<keyId>.<iv>.<tag>.<ciphertext>`, base64url parts.
 */

export interface KeyRing {
  current: { id: string; key: Buffer };
  all: Map<string, Buffer>;
}

export class VaultError extends Error {
  override name = "VaultError";
}

function parseKey(spec: string): { id: string; key: Buffer } {
  const at = spec.indexOf(":");
  const key = Buffer.from(spec.slice(at + 1), "base64");
  if (at < 1 || key.length !== 32) throw new VaultError("An encryption key is malformed.");
  return { id: spec.slice(0, at), key };
}

export function keyRing(current: string, previous: string[] = []): KeyRing {
  const now = parseKey(current);
  const all = new Map<string, Buffer>();
  for (const spec of previous) {
    const { id, key } = parseKey(spec);
    all.set(id, key);
  }
  all.set(now.id, now.key);
  return { current: now, all };
}

/** The key ring from the environment. */
export function envKeyRing(): KeyRing {
  const env = googleEnv();
  return keyRing(env.OMNICRM_ENCRYPTION_KEY, env.OMNICRM_PREVIOUS_ENCRYPTION_KEYS);
}

const b64 = (buffer: Buffer) => buffer.toString("base64url");

export function seal(
  ring: KeyRing,
  plaintext: string,
  context: string,
): { sealed: string; keyId: string } {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", ring.current.key, iv);
  cipher.setAAD(Buffer.from(context, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return {
    sealed: ["v1", ring.current.id, b64(iv), b64(tag), b64(ciphertext)].join("."),
    keyId: ring.current.id,
  };
}

/** Opens a sealed value; throws VaultError when the key is unknown or the text was altered. */
export function open(ring: KeyRing, sealed: string, context: string): string {
  const parts = sealed.split(".");
  if (parts.length !== 5 || parts[0] !== "v1")
    throw new VaultError("The sealed value is malformed.");
  const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  const key = ring.all.get(keyId);
  if (!key) {
    throw new VaultError(
      `The key "${keyId}" that sealed this value is not configured (OMNICRM_PREVIOUS_ENCRYPTION_KEYS).`,
    );
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAAD(Buffer.from(context, "utf8"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, "base64url")),
      decipher.final(),
    ]).toString("utf8");
  } catch {
    throw new VaultError("The sealed value does not open with its key: it was altered or moved.");
  }
}

/** Whether a sealed value should be sealed again with the current key. */
export function needsRotation(ring: KeyRing, sealed: string): boolean {
  return sealed.split(".")[1] !== ring.current.id;
}
