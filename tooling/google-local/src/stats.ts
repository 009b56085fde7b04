import type { EndpointName } from "./router.ts";

export interface StatsSnapshot {
  /** Calls per endpoint (every call that matched a route, whatever its outcome). */
  calls: Partial<Record<EndpointName, number>>;
  /** Response status counts per endpoint. */
  responses: Partial<Record<EndpointName, Record<number, number>>>;
  /** 429s served (quota and injected). */
  rateLimited: number;
  /** 429s served because a user was over quota. */
  quotaRejected: number;
  faultsInjected: number;
  totalCalls: number;
}

export class Stats {
  private calls = new Map<EndpointName, number>();
  private responses = new Map<EndpointName, Map<number, number>>();
  private rateLimited = 0;
  private quotaRejected = 0;
  private faults = 0;
  private total = 0;

  call(endpoint: EndpointName): void {
    this.calls.set(endpoint, (this.calls.get(endpoint) ?? 0) + 1);
    this.total += 1;
  }

  response(endpoint: EndpointName, status: number): void {
    let byStatus = this.responses.get(endpoint);
    if (!byStatus) {
      byStatus = new Map();
      this.responses.set(endpoint, byStatus);
    }
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    if (status === 429) this.rateLimited += 1;
  }

  quotaRejection(): void {
    this.quotaRejected += 1;
  }

  fault(): void {
    this.faults += 1;
  }

  snapshot(): StatsSnapshot {
    return {
      calls: Object.fromEntries(this.calls),
      responses: Object.fromEntries(
        [...this.responses].map(([k, v]) => [k, Object.fromEntries(v)]),
      ),
      rateLimited: this.rateLimited,
      quotaRejected: this.quotaRejected,
      faultsInjected: this.faults,
      totalCalls: this.total,
    };
  }

  reset(): void {
    this.calls.clear();
    this.responses.clear();
    this.rateLimited = 0;
    this.quotaRejected = 0;
    this.faults = 0;
    this.total = 0;
  }
}
