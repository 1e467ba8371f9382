// Generated JavaScript (pack/unpack in compile.ts, the view classes in view.ts): every function is
// built here, named in stack traces by its sourceURL (`lazytlb-generated/<model>/<what>.js`), and
// offered to the collector while one runs (`check --dump-generated DIR` writes them out, one file each).
import { generatedURL } from './errors.ts';

export interface GeneratedSource {
  readonly model: string;
  /** The function: `pack`, `unpack`, `view.s.cpu[]` (the view class of the records `s.cpu[i]`). */
  readonly what: string;
  /** The full text, as `new Function` got it (parameters in a header comment). */
  readonly source: string;
}

let sink: GeneratedSource[] | null = null;

/** `new Function(...params, body)` with its sourceURL; recorded while `collectGenerated` runs. */
export function generatedFunction(model: string, what: string, params: readonly string[], body: string): Function {
  const text = `${body}\n//# sourceURL=${generatedURL(model, what)}`;
  if (sink !== null && !sink.some((g) => g.model === model && g.what === what)) sink.push({ model, what, source: `// (${params.join(', ')}) =>\n${text}\n` });
  return new Function(...params, text);
}

/** Runs `run` and returns what it generated (each model's function once, in the order first built). */
export function collectGenerated<T>(run: () => T): { result: T; generated: GeneratedSource[] } {
  const outer = sink;
  const mine: GeneratedSource[] = [];
  sink = mine;
  try {
    return { result: run(), generated: mine };
  } finally {
    sink = outer;
  }
}
