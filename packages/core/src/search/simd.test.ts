import { describe, expect, it } from "vitest";
import { createMemory, SIMD_AVAILABLE, simdDots } from "./simd.ts";

describe("the WebAssembly SIMD dot products", () => {
  it("runs here, and equals a plain loop for every size, sign and edge", () => {
    expect(SIMD_AVAILABLE).toBe(true);
    for (const [n, stride] of [
      [0, 16],
      [1, 16],
      [7, 32],
      [1000, 256],
      [3, 1536],
    ] as const) {
      const bytesNeeded = stride + n * stride + n * 4;
      const memory = createMemory(Math.ceil(bytesNeeded / 65_536) + 1);
      const dots = simdDots(memory)!;
      const bytes = new Int8Array(memory.buffer);
      let seed = n * 31 + stride;
      const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) % 255) - 127;
      for (let i = 0; i < stride * (n + 1); i++) bytes[i] = next();
      // The extremes, where a 16-bit product would overflow if it were summed too early.
      if (n > 0) for (let j = 0; j < stride; j++) bytes[j] = bytes[stride + j] = -127;
      const out = stride + n * stride;
      dots(stride, n, stride, 0, out);
      const got = new Int32Array(memory.buffer, out, n);
      for (let i = 0; i < n; i++) {
        let expected = 0;
        for (let j = 0; j < stride; j++) expected += bytes[j]! * bytes[stride + i * stride + j]!;
        expect(got[i]).toBe(expected);
      }
    }
  });
});
