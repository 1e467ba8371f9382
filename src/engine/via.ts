// A transition as one 32-bit code: step id (high 16 bits), actor instance and choice (8 bits each). The
// store keeps it as a state's incoming edge; sleep sets keep sets of them.

export function encodeVia(step: number, actor: number, choice: number): number {
  return ((step << 16) | (actor << 8) | choice) >>> 0;
}

export const viaStep = (v: number): number => v >>> 16;
export const viaActor = (v: number): number => (v >>> 8) & 0xff;
export const viaChoice = (v: number): number => v & 0xff;

/** One transition: step id, actor instance and choice. */
export interface RawStep {
  readonly step: number;
  readonly actor: number;
  readonly choice: number;
}

export function decodeVia(v: number): RawStep {
  return { step: viaStep(v), actor: viaActor(v), choice: viaChoice(v) };
}
