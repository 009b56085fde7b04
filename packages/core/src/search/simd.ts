/**
 * Int8 dot products of one query against many vectors, in WebAssembly SIMD (about 30 times a
 * plain JavaScript loop: 16 byte pairs per instruction). The module is assembled here, byte by
 * byte: one exported function over an imported memory,
 *
 *   dots(codes, n, stride, query, out): for i < n: out[i] = sum_j codes[i * stride + j] * query[j]
 *
 * with `stride` a multiple of 16 (vectors are zero-padded to it) and the sums as int32. When the
 * runtime has no WebAssembly SIMD, `simdDots` is null and callers use the JavaScript loop.
 */

const uleb = (value: number): number[] => {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => [...uleb(text.length), ...Buffer.from(text, "utf8")];

const I32 = 0x7f;
const V128 = 0x7b;
// Instructions.
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const tee = (i: number) => [0x22, i];
const i32const = (v: number) => [0x41, ...uleb(v)];
const simd = (op: number, ...rest: number[]) => [0xfd, ...uleb(op), ...rest];
const ADD = [0x6a];
const MUL = [0x6c];
const SHL = [0x74];
const LT_U = [0x49];
const EQZ = [0x45];
const v128load = simd(0x00, 0, 0);
const splat = simd(0x11);
const i32x4add = simd(0xae);
const extmulLow = simd(0x9c);
const extmulHigh = simd(0x9d);
const extaddPairwise = simd(0x7e);
const lane = (l: number) => simd(0x1b, l);

// Parameters: 0 codes, 1 n, 2 stride, 3 query, 4 out. Locals: 5 i, 6 j, 7 row, 8 acc, 9 q, 10 v.
// prettier-ignore
const body = [
  ...vec([[3, I32], [3, V128]]),
  0x02, 0x40, //                                          block
  ...get(1), ...EQZ, 0x0d, 0x00, //                         if n == 0: done
  0x03, 0x40, //                                            loop (one vector a turn)
  ...i32const(0), ...splat, ...set(8), //                     acc = 0
  ...get(0), ...get(5), ...get(2), ...MUL, ...ADD, ...set(7), // row = codes + i * stride
  ...i32const(0), ...set(6), //                               j = 0
  0x03, 0x40, //                                              loop (16 bytes a turn)
  ...get(7), ...get(6), ...ADD, ...v128load, ...set(10), //     v = row[j..j+16]
  ...get(3), ...get(6), ...ADD, ...v128load, ...set(9), //      q = query[j..j+16]
  ...get(8),
  ...get(10), ...get(9), ...extmulLow, ...extaddPairwise, ...i32x4add, //  acc += low halves
  ...get(10), ...get(9), ...extmulHigh, ...extaddPairwise, ...i32x4add, // acc += high halves
  ...set(8),
  ...get(6), ...i32const(16), ...ADD, ...tee(6), ...get(2), ...LT_U, 0x0d, 0x00, // j < stride
  0x0b, //                                                    end loop
  ...get(4), ...get(5), ...i32const(2), ...SHL, ...ADD, //    &out[i]
  ...get(8), ...lane(0), ...get(8), ...lane(1), ...ADD, //    sum of the four lanes
  ...get(8), ...lane(2), ...ADD, ...get(8), ...lane(3), ...ADD,
  0x36, 0x02, 0x00, //                                        i32.store
  ...get(5), ...i32const(1), ...ADD, ...tee(5), ...get(1), ...LT_U, 0x0d, 0x00, // i < n
  0x0b, //                                                  end loop
  0x0b, //                                                end block
  0x0b, //                                              end function
];

// prettier-ignore
const moduleBytes = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
  ...section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00]])), // (i32 x5) -> ()
  ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, 0x00]])), // memory import
  ...section(3, vec([[0x00]])), // one function of type 0
  ...section(7, vec([[...name("dots"), 0x00, 0x00]])), // exported as "dots"
  ...section(10, vec([[...uleb(body.length), ...body]])), // its code
]);

/** The part of the WebAssembly JavaScript API used here (the DOM typings are not loaded). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(deltaPages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** A WebAssembly memory of `pages` pages of 64 KiB (growable). */
export function createMemory(pages: number): WasmMemory {
  return new wasm.Memory({ initial: pages });
}

export type DotsFunction = (
  codes: number,
  n: number,
  stride: number,
  query: number,
  out: number,
) => void;

function compile(): object | null {
  try {
    return wasm.validate(moduleBytes) ? new wasm.Module(moduleBytes) : null;
  } catch {
    return null;
  }
}

const compiled = compile();

/** Whether this runtime runs the SIMD module (else the JavaScript loop is used). */
export const SIMD_AVAILABLE = compiled !== null;

/** An instance over its own memory, or null without WebAssembly SIMD. */
export function simdDots(memory: WasmMemory): DotsFunction | null {
  if (!compiled) return null;
  const instance = new wasm.Instance(compiled, { env: { memory } });
  return instance.exports.dots as DotsFunction;
}
