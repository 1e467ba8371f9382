// The state as a step sees it: `s.cpu[c].loadedMm`, `s.mm[m].cpumask`, `s.mmGen`. Views are built
// once per compiled model and backing array; every field accessor is generated JavaScript with its
// slot offset and domain bounds as constants, so a guard or effect runs as specialised code over the
// unpacked slots (no lookups, no allocation). A store outside the field's domain calls `mem.oob`.
// Views are sealed: every view object is non-extensible, so a write of a name the state does not
// declare (`s.cpu[c].loadedMM = …`, a misspelt field) throws a TypeError in the model's (strict, ES
// module) code instead of adding hidden state. A trapped view (for the diagnosis of that TypeError,
// never for the search: a Proxy in the prototype chain slows every field access) also ends each
// class's prototype chain with a trap that calls `mem.undeclared` with the object's path.
import type { Domain } from './domain.ts';
import { generatedFunction } from './generated.ts';
import type { Layout, LayoutNode, Slot } from './layout.ts';

/** What views need from the explorer: where stores go and how errors are raised. */
export interface ViewMemory {
  /** A store of `v` outside the domain of `slot`. Must throw. */
  oob(slot: number, v: unknown): never;
  /** An array index outside 0..length-1. Must throw. */
  badIndex(path: string, i: unknown): never;
  /** Load of a plain (TSO-buffered) field: the executing CPU's newest buffered store, else memory. */
  ld(slot: number): number;
  /** Store to a plain field: into the executing CPU's store buffer under TSO, else to memory. */
  st(slot: number, i: number): void;
  /** Recording views only: a read of `slot`. */
  r?(slot: number): void;
  /** Recording views only: a write of `slot`. */
  w?(slot: number): void;
  /** A write of `name`, which the view object at `path` (`s.cpu[0]`) does not declare; `declared` are its names. Must throw. */
  undeclared(path: string, name: string, declared: readonly string[]): never;
}

type Ctor = new ($: Int32Array, b: number, path: string) => object;

/**
 * Builds the root view over `$` (one Int32 slot per field, values stored as domain indices). A
 * recording view also reports every read and write to `mem.r` / `mem.w` (footprints).
 */
export function buildView(layout: Layout, $: Int32Array, mem: ViewMemory, tso: boolean, record = false, model = 'model', trapped = false): any {
  const trap = trapped ? undeclaredTrap(mem) : null;
  const Root = classFor(layout.root, mem, { tso, record, trap, model, prefix: record ? 'view-recording' : trapped ? 'view-trapped' : 'view' }, 's');
  return new Root($, 0, 's');
}

interface Gen {
  readonly tso: boolean;
  readonly record: boolean;
  /** Trapped views: the last prototype of every view class (a write of an undeclared name ends there). */
  readonly trap: object | null;
  /** Name the generated classes (`<prefix>.<path>`, e.g. `view.s.cpu[]`) in stack traces and dumps. */
  readonly model: string;
  readonly prefix: string;
}

/** A write that found no declared field on the view object `receiver` (nor its class) lands here. */
function undeclaredTrap(mem: ViewMemory): object {
  return new Proxy(
    {},
    {
      set(_target, key, _value, receiver: { $$p?: string }) {
        const own = Object.keys(receiver).filter((k) => !k.startsWith('$$'));
        const accessors = Object.getOwnPropertyNames(Object.getPrototypeOf(receiver)).filter((k) => k !== 'constructor' && !k.startsWith('$$'));
        return mem.undeclared(receiver.$$p ?? 's', String(key), [...own, ...accessors]);
      },
    },
  );
}

/**
 * The generated class `src` (a function body returning a class) of the view objects at `name`:
 * instances non-extensible; the trap, if any, last in its prototype chain.
 */
function sealedClass(g: Gen, name: string, params: string[], src: string, args: unknown[]): Ctor {
  const C = generatedFunction(g.model, `${g.prefix}.${name}`, params, src)(...args) as Ctor;
  if (g.trap) Object.setPrototypeOf(C.prototype, g.trap);
  return C;
}

function classFor(node: LayoutNode & { kind: 'record' }, mem: ViewMemory, tso: Gen, name: string): Ctor {
  const kids: Ctor[] = [];
  const ctor: string[] = [];
  const accessors: string[] = [];
  const at = name;
  for (const [name, f] of node.fields) {
    const rel = relBase(f) - node.base;
    if (f.kind === 'scalar') {
      accessors.push(scalarAccessors(name, f.slot, `this.$$b+${f.slot.index - node.base}`, tso));
    } else if (f.kind === 'record') {
      kids.push(classFor(f, mem, tso, `${at}.${name}`));
      ctor.push(`this.${name}=new K[${kids.length - 1}]($,b+${rel},p+${JSON.stringify('.' + name)});`);
    } else if (f.elems.length > 0 && f.elems[0].kind === 'record') {
      kids.push(classFor(f.elems[0] as LayoutNode & { kind: 'record' }, mem, tso, `${at}.${name}[]`));
      const k = kids.length - 1;
      const items = f.elems.map((_, i) => `new K[${k}]($,b+${rel + i * f.stride},p+${JSON.stringify(`.${name}[${i}]`)})`).join(',');
      ctor.push(`this.${name}=Object.freeze([${items}]);`);
    } else {
      kids.push(scalarArrayClass(f as LayoutNode & { kind: 'array' }, mem, tso, `${at}.${name}`));
      ctor.push(`this.${name}=new K[${kids.length - 1}]($,b+${rel},p+${JSON.stringify('.' + name)});`);
    }
  }
  // Own fields are declared (defined, not assigned: an assignment of a new name would reach the trap).
  const own = ['$$s', '$$b', '$$p', ...[...node.fields].filter(([, f]) => f.kind !== 'scalar').map(([n]) => n)];
  const src = `return class{${own.join(';')};constructor($,b,p){this.$$s=$;this.$$b=b;this.$$p=p;${ctor.join('')}Object.preventExtensions(this);}${accessors.join('')}}`;
  return sealedClass(tso, at, ['K', 'M'], src, [kids, mem]);
}

function relBase(n: LayoutNode): number {
  return n.kind === 'scalar' ? n.slot.index : n.base;
}

/** Getter and setter of one scalar field at slot expression `at`. */
function scalarAccessors(name: string, slot: Slot, at: string, tso: Gen): string {
  return `get ${name}(){${load(slot, at, tso, 'const i=')}return ${decode(slot.domain, 'i')};}` +
    `set ${name}(v){${encodeAndStore(slot, at, tso)}}`;
}

function load(slot: Slot, at: string, g: Gen, into: string): string {
  if (slot.plain && g.tso) return `${into}M.ld(${at});`;
  return `${g.record ? `M.r(${at});` : ''}${into}this.$$s[${at}];`;
}

function decode(d: Domain, i: string): string {
  if (d.kind === 'bool') return `${i}!==0`;
  return d.lo === 0 ? i : `${i}+(${d.lo})`;
}

function encodeAndStore(slot: Slot, at: string, g: Gen): string {
  const store = (i: string) => (slot.plain && g.tso ? `M.st(${at},${i});` : `${g.record ? `M.w(${at});` : ''}this.$$s[${at}]=${i};`);
  const d = slot.domain;
  if (d.kind === 'bool') return `if(v===true){${store('1')}}else if(v===false){${store('0')}}else M.oob(${at},v);`;
  // `e` (not `i`): the scalar-array setter's index is called `i`.
  const e = d.lo === 0 ? 'v' : `v-(${d.lo})`;
  return `if(typeof v==='number'){const e=${e};if(e>=0&&e<${d.size}&&(e|0)===e){${store('e')}return;}}M.oob(${at},v);`;
}

/** An array of scalars: get(i) / set(i, v) with the index checked. */
function scalarArrayClass(node: LayoutNode & { kind: 'array' }, mem: ViewMemory, tso: Gen, name: string): Ctor {
  const n = node.elems.length;
  const first = node.elems[0] as LayoutNode & { kind: 'scalar' } | undefined;
  if (!first) return sealedClass(tso, name, [], `return class{$$p;length;constructor($,b,p){this.$$p=p;this.length=0;Object.preventExtensions(this);}get(i){throw new RangeError('empty array')}set(i){throw new RangeError('empty array')}}`, []);
  const path = first.slot.path.replace(/\[0\]$/, '');
  const check = `if(!(i>=0&&i<${n}&&(i|0)===i))M.badIndex(${JSON.stringify(path)},i);`;
  const at = 'this.$$b+i';
  const src =
    `return class{$$s;$$b;$$p;length;constructor($,b,p){this.$$s=$;this.$$b=b;this.$$p=p;this.length=${n};Object.preventExtensions(this);}` +
    `get(i){${check}${load(first.slot, at, tso, 'const x=')}return ${decode(first.slot.domain, 'x')};}` +
    `set(i,v){${check}${encodeAndStore(first.slot, at, tso)}}}`;
  return sealedClass(tso, name, ['M'], src, [mem]);
}
