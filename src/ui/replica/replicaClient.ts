/** The page's side of its replica worker: requests matched to their answers by id. */
import type { ReplicaAnswer, ReplicaMessage, ReplicaPort, ReplicaReply, ReplicaRequest } from './replicaProtocol.ts';

export interface Replica {
  ask<R extends ReplicaRequest>(request: R): Promise<ReplicaAnswer<R>>;
}

/** `port` may come later (the worker is started once the first screen is painted): requests wait for it. */
export function connectReplica(port: Promise<ReplicaPort>): Replica {
  let nextId = 1;
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let stopped: Error | null = null;
  const ready = port.then((connected) => {
    connected.addEventListener('error', () => {
      stopped = new Error("this tab's data reader stopped; reload the page");
      for (const waiting of pending.values()) waiting.reject(stopped);
      pending.clear();
    });
    // An answer that could not be read names no request: every one waiting is told.
    connected.addEventListener('messageerror', () => {
      for (const waiting of pending.values()) waiting.reject(new Error("this tab's data could not be read"));
      pending.clear();
    });
    connected.addEventListener('message', (event) => {
      const reply = event.data as ReplicaReply;
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.ok) waiting.resolve(reply.value);
      else waiting.reject(new Error(reply.error));
    });
    return connected;
  });
  return {
    async ask<R extends ReplicaRequest>(request: R): Promise<ReplicaAnswer<R>> {
      const connected = await ready;
      if (stopped) throw stopped;
      const id = nextId++;
      return new Promise<ReplicaAnswer<R>>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        connected.postMessage({ id, request } satisfies ReplicaMessage);
      });
    },
  };
}
