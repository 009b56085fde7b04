import type { ServerResponse } from "node:http";
import type { Fault } from "./faults.ts";
import type { Latency } from "./options.ts";

export interface SseEvent {
  /** The SSE `event:` field (the Responses API names its events; chat completions does not). */
  event?: string;
  /** JSON-encoded as the `data:` field; a string is sent as is (e.g. "[DONE]"). */
  data: unknown;
  /** Set on content deltas (text or tool-call arguments): these are paced by the latency settings. */
  delta?: string;
}

export interface SseRun {
  res: ServerResponse;
  latency: Latency;
  countTokens: (text: string) => number;
  sleep: (ms: number) => Promise<void>;
  /** True once the server is closing or the client went away. */
  stopped: () => boolean;
  headers: Record<string, string>;
  fault?: Extract<Fault, { type: "streamError" }>;
  /** The event that reports an injected mid-stream error. */
  errorEvent: (message: string) => SseEvent;
}

function write(res: ServerResponse, e: SseEvent): void {
  const data = typeof e.data === "string" ? e.data : JSON.stringify(e.data);
  res.write(`${e.event ? `event: ${e.event}\n` : ""}data: ${data}\n\n`);
}

/** Streams events as SSE, pacing content deltas (time to first token, then per token). */
export async function runSse(
  run: SseRun,
  events: readonly SseEvent[],
): Promise<"done" | "error" | "dropped" | "aborted"> {
  const { res } = run;
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    ...run.headers,
  });
  res.flushHeaders();
  let deltas = 0;
  for (const e of events) {
    if (e.delta !== undefined) {
      if (run.fault && deltas >= run.fault.afterDeltas) {
        if (run.fault.drop) {
          // let what was written reach the client, then cut the connection
          await new Promise<void>((resolve) => res.write("", () => resolve()));
          res.socket?.destroy();
          return "dropped";
        }
        write(res, run.errorEvent(run.fault.message));
        res.end();
        return "error";
      }
      const wait =
        deltas === 0
          ? run.latency.timeToFirstTokenMs
          : run.latency.perTokenMs * Math.max(1, run.countTokens(e.delta));
      if (wait > 0) await run.sleep(wait);
      deltas += 1;
    }
    if (run.stopped() || res.destroyed) return "aborted";
    write(res, e);
  }
  if (run.fault && deltas >= run.fault.afterDeltas && !run.fault.drop) {
    // a fault after more deltas than the response had: fail at the end instead
    write(res, run.errorEvent(run.fault.message));
    res.end();
    return "error";
  }
  res.end();
  return "done";
}
