// A search worker's thread (started by spawn.ts): it rebuilds the Program from its recipe, keeps its
// partition (partition.ts) and runs the coordinator's commands, one reply each. Successors for other
// workers go straight to them through their own ports (transferred, not copied); the coordinator
// starts an insert phase only when every worker has replied to the expand phase, so by then each
// worker's records for this one are waiting on its ports.
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { isOutOfMemory } from '../../lang/errors.ts';
import { Partition, Stopped } from './partition.ts';
import { CTL, type Command, type Reply } from './protocol.ts';
import { programFromRecipe } from './recipe.ts';

/** What a search worker is started with. */
export interface SearchWorkerData {
  readonly index: number;
  readonly workers: number;
  readonly ctl: Int32Array;
  /** To the coordinator. */
  readonly port: MessagePort;
  /** Per worker: the port to send it successors (null at this worker's own index), and the port to receive its successors. */
  readonly to: readonly (MessagePort | null)[];
  readonly from: readonly (MessagePort | null)[];
}

/** A worker's successors for another one, after an expand phase. */
interface Outbox {
  readonly len: number;
  readonly box: Uint32Array | null;
}

export async function serveSearchWorker(): Promise<void> {
  const d = (workerData as { lazytlbSearch: SearchWorkerData }).lazytlbSearch;
  const reply = (r: Reply, transfer: ArrayBuffer[] = []) => {
    d.port.postMessage(r, transfer);
    Atomics.add(d.ctl, CTL.replies, 1);
    Atomics.notify(d.ctl, CTL.replies);
  };
  const me = d.index;
  /** Per other worker: the shared buffer of its records for this one. */
  let inbox: Uint32Array[] = [];
  /** The search's partition (between a start and an end). */
  let part: Partition | null = null;
  d.port.on('message', (c: Command) => {
    try {
      if (c.cmd === 'start') {
        // Records of a search that stopped in the middle of a layer are not this search's.
        for (const p of d.from) while (p !== null && receiveMessageOnPort(p) !== undefined);
        inbox = [];
        part = null;
        void programFromRecipe(c.recipe).then(
          (prog) => {
            part = new Partition(prog, d.ctl, { ...c.options, index: me, workers: d.workers });
            reply({ ready: true });
          },
          (e: unknown) => reply({ fatal: `the search worker could not build the program: ${(e as Error).message ?? String(e)}` }),
        );
        return;
      }
      if (c.cmd === 'end') {
        part = null;
        return;
      }
      if (part === null) throw new Error(`internal: ${c.cmd} before the search started`);
      if (c.cmd === 'expand') {
        if (c.layer !== null) part.startLayer(c.layer.ranks, c.layer.firsts);
        const r = part.expand(c.views);
        // Every other worker gets one message from this one per round: the length of its records, and
        // their shared buffer when it is a new one.
        for (let v = 0; v < d.to.length; v++) {
          if (v === me) continue;
          d.to[v]!.postMessage({ len: part.outLen[v], box: part.grew[v] ? part.outbox[v] : null } satisfies Outbox);
          part.grew[v] = 0;
        }
        reply({ ...r, stats: part.statistics });
      } else if (c.cmd === 'insert') {
        const boxes: Uint32Array[] = [];
        const lens: number[] = [];
        if (c.seed) {
          boxes.push(c.seed);
          lens.push(c.seed.length);
        }
        for (let v = 0; v < d.from.length; v++) {
          if (v === me) {
            boxes.push(part.outbox[v]);
            lens.push(part.outLen[v]);
            continue;
          }
          const m = receiveMessageOnPort(d.from[v]!);
          if (m === undefined) continue; // nothing expanded yet (the initial state's insert)
          const o = m.message as Outbox;
          if (o.box !== null) inbox[v] = o.box;
          boxes.push(inbox[v]);
          lens.push(o.len);
        }
        part.insert(boxes, lens);
        part.outLen[me] = 0;
        reply({ layer: c.close ? part.close() : null, bytes: part.bytes, view: part.view });
      } else if (c.cmd === 'count') reply(part.countBefore(c.rank, c.j));
      else reply(part.link(c.id));
    } catch (e) {
      if (e instanceof Stopped) reply({ stopped: e.limit });
      else if (isOutOfMemory(e)) reply({ stopped: 'memory' });
      else reply({ fatal: (e as Error).stack ?? String(e) });
    }
  });
}
