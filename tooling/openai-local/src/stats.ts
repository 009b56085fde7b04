import type { Api } from "./types.ts";

export interface StatsSnapshot {
  /** Requests per API (every request that matched an endpoint, whatever its outcome). */
  requests: Partial<Record<Api, number>>;
  /** Response status counts per API. */
  responses: Partial<Record<Api, Record<number, number>>>;
  totalRequests: number;
  streamed: number;
  unauthorized: number;
  faultsInjected: number;
  promptTokens: number;
  completionTokens: number;
  toolCalls: number;
  embeddedInputs: number;
}

export class Stats {
  private data: StatsSnapshot = Stats.empty();

  private static empty(): StatsSnapshot {
    return {
      requests: {},
      responses: {},
      totalRequests: 0,
      streamed: 0,
      unauthorized: 0,
      faultsInjected: 0,
      promptTokens: 0,
      completionTokens: 0,
      toolCalls: 0,
      embeddedInputs: 0,
    };
  }

  request(api: Api): void {
    this.data.requests[api] = (this.data.requests[api] ?? 0) + 1;
    this.data.totalRequests += 1;
  }

  response(api: Api, status: number): void {
    const byStatus = (this.data.responses[api] ??= {});
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (status === 401) this.data.unauthorized += 1;
  }

  add(
    counts: Partial<
      Pick<
        StatsSnapshot,
        | "streamed"
        | "faultsInjected"
        | "promptTokens"
        | "completionTokens"
        | "toolCalls"
        | "embeddedInputs"
      >
    >,
  ): void {
    for (const [key, value] of Object.entries(counts) as [keyof typeof counts, number][])
      this.data[key] += value;
  }

  snapshot(): StatsSnapshot {
    return structuredClone(this.data);
  }

  reset(): void {
    this.data = Stats.empty();
  }
}
