import { RateLimitedError } from "@omnicrm/core";
import { describe, expect, it } from "vitest";
import { BudgetExceededError, costMicros, type AiPrices } from "./guardrails.ts";

const prices: AiPrices = { inputPerMTok: 0.4, outputPerMTok: 1.6, embeddingPerMTok: 0.02 };

describe("cost", () => {
  it("prices input and output tokens in micro-dollars", () => {
    // 1,000 input at $0.40/M = 400 µ$; 500 output at $1.60/M = 800 µ$.
    expect(costMicros({ inputTokens: 1000, outputTokens: 500 }, prices)).toBe(1200n);
    expect(costMicros({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, prices)).toBe(
      2_000_000n,
    );
  });

  it("prices embeddings by their input tokens alone", () => {
    expect(
      costMicros({ inputTokens: 1_000_000, outputTokens: 99, kind: "embedding" }, prices),
    ).toBe(20_000n);
    expect(costMicros({ inputTokens: 100, kind: "embedding" }, prices)).toBe(2n);
  });

  it("rounds to whole micro-dollars and never goes negative", () => {
    expect(costMicros({ inputTokens: 1, outputTokens: 1 }, prices)).toBe(2n); // 0.4 + 1.6
    expect(costMicros({ inputTokens: 1 }, prices)).toBe(0n); // 0.4 rounds down
    expect(costMicros({ inputTokens: -5, outputTokens: 0 }, prices)).toBe(0n);
    expect(costMicros({ inputTokens: 0, outputTokens: 0 }, prices)).toBe(0n);
  });
});

describe("BudgetExceededError", () => {
  it("is the domain's rate_limited error, with a retry hint", () => {
    const error = new BudgetExceededError("Too many.", 12, "minute");
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.kind).toBe("rate_limited");
    expect(error.retryAfterSeconds).toBe(12);
    expect(error.scope).toBe("minute");
    expect(error.name).toBe("BudgetExceededError");
  });
});
