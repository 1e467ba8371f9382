// The stuck-actor check: after a complete search, a reachable state in which an actor is inside a
// procedure (or a model's busy entry is in progress) and no execution brings it back to rest is a
// violation `stuck`, with a shortest trace to the most definite such state. The fixture keeps every
// state busy (NMIs, ticks), so none of these is a deadlock.
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/check.ts';
import { waiter } from '../fixtures/models/waiter.ts';
import { run, runJson } from '../cli/run.ts';

const steps = (r: ReturnType<typeof check>) => (r.trace ?? []).map((t) => `${t.actor} ${t.procedure}:${t.label}`);
const WAIT = 'waiter at WAIT (wait until a token is posted, take it)';

describe('stuck actors', () => {
  it('one token for two CPUs: the one that started first waits forever at WAIT, although NMIs keep it moving', () => {
    const r = check(waiter, [], { params: { posts: 1 } });
    expect(r.verdict).toBe('violation');
    expect(r.property).toBe('stuck');
    expect(r.reason).toBe(`cpu0 is stuck in ${WAIT}: that step's guard is false here, and no execution from here brings cpu0 back to rest`);
    expect(steps(r)).toEqual(['cpu0 waiter:START', 'cpu0 post:POST', 'cpu1 waiter:START', 'cpu1 waiter:WAIT']);
    expect(r.liveness).toMatchObject({ verdict: 'violation', states: 48, graph: 'search' });
  });

  it('without NMIs the waiting CPU never takes a step again: its guard stays false', () => {
    const r = check(waiter, [], { params: { posts: 1, ticks: 2 }, flags: { nmi: false } }); // ticks keep it from being a deadlock
    expect(r.reason).toBe(`cpu0 is stuck in ${WAIT}: that step's guard stays false in every state reachable from here`);
    expect(steps(r)).toEqual(['cpu0 waiter:START', 'cpu0 post:POST', 'cpu1 waiter:START', 'cpu1 waiter:WAIT']);
  });

  it('without the check (liveness: false) the same model passes: the old verdict', () => {
    const r = check(waiter, [], { params: { posts: 1 }, liveness: false });
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(48);
    expect(r.liveness).toBeNull();
  });

  it('enough tokens: ok, and the check analysed the search graph without changing its counts', () => {
    const r = check(waiter, []);
    expect(r.verdict).toBe('ok');
    expect(r.states).toBe(84);
    expect(r.liveness).toMatchObject({ verdict: 'ok', states: 84, transitions: r.transitions, graph: 'search' });
  });

  it('a wait that loops (goto) instead of blocking: reported as never getting back to rest', () => {
    const r = check(waiter, [], { params: { posts: 1 }, flags: { spin: true } });
    expect(r.property).toBe('stuck');
    expect(r.reason).toBe(`cpu0 never gets back to rest from ${WAIT}: every execution from here keeps it inside its procedures`);
    expect(steps(r)).toHaveLength(4);
  });

  it("a wait the scope's bound cuts off (the step's `bounded`) is where the explored behaviour ends, not a hang", () => {
    expect(check(waiter, [], { params: { posts: 1 }, flags: { bounded: true } })).toMatchObject({ verdict: 'ok', states: 48 });
  });

  it('under partial-order and symmetry reduction: the same verdict and trace, from an unreduced graph', () => {
    const plain = check(waiter, [], { params: { cpus: 3, posts: 2 } });
    const reduced = check(waiter, [], { params: { cpus: 3, posts: 2 }, por: true, symmetry: true });
    expect(plain.property).toBe('stuck');
    expect(reduced.property).toBe('stuck');
    expect(reduced.reason).toBe(plain.reason);
    expect(steps(reduced)).toEqual(steps(plain));
    expect(reduced.states).toBeLessThan(plain.states);
    expect(reduced.liveness).toMatchObject({ graph: 'unreduced', states: plain.states });
  });

  it('a limit hit by the unreduced exploration makes the verdict incomplete, never ok', () => {
    const opts = { params: { cpus: 3, posts: 3, ticks: 2 }, symmetry: true };
    expect(check(waiter, [], opts)).toMatchObject({ verdict: 'ok', states: 1092 });
    const r = check(waiter, [], { ...opts, maxStates: 2000 });
    expect(r.verdict).toBe('incomplete');
    expect(r.states).toBe(1092);
    expect(r.limit).toBe('max-states 2000 (the unreduced exploration of the stuck-actor check)');
  });

  it('a memory limit the graph would pass makes the verdict incomplete', () => {
    const r = check(waiter, [], { params: { posts: 1 }, maxMemoryBytes: 2 ** 20 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe("max-memory 1 MiB (the stuck-actor check's graph)");
  });

  it('a search that hits a limit does not run the check', () => {
    const r = check(waiter, [], { params: { cpus: 3, posts: 2, ticks: 2 }, maxStates: 1500 });
    expect(r.verdict).toBe('incomplete');
    expect(r.limit).toBe('max-states 1500');
    expect(r.liveness).toBeNull();
  });
});

describe('check --no-liveness and the JSON fields', () => {
  const file = 'test/fixtures/variants/shootdown-lost-ipi.ts';
  const stuckFlush = "the flush never completes: flush_tlb_mm_range of generation 1 waits for the flush IPIs of cpu1, and stays there in every execution from here";

  it('a model busy entry (shootdown: a flush whose IPI is never taken): exit 1, property stuck', async () => {
    const { code, json } = await runJson('check', 'shootdown', '--variant', file);
    expect(code).toBe(1);
    expect(json.verdict).toBe('violation');
    expect(json.property).toBe('stuck');
    expect(json.reason).toBe(stuckFlush);
    expect(json.trace.map((t: any) => `${t.actor} ${t.procedure}:${t.label}`)).toEqual(['cpu0 switch_to_user:U', 'cpu1 switch_to_user:U', 'cpu0 flush_start:F']);
    expect(json.states).toBe(481); // the reduced search's count is unchanged
    expect(json.liveness).toMatchObject({ stuck: 'violation', graph: 'unreduced', states: 2169 });
  });

  it('--no-liveness: the old verdict, exit 0, no liveness object', async () => {
    const { code, json } = await runJson('check', 'shootdown', '--variant', file, '--no-liveness');
    expect(code).toBe(0);
    expect(json.verdict).toBe('ok');
    expect(json.liveness).toBeNull();
  });

  it('the text report names the property and the reason', async () => {
    const r = await run('check', 'shootdown', '--variant', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/violation of stuck after 3 steps/);
    expect(r.out).toContain(stuckFlush);
  });
});
