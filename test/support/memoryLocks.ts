import type { Locks } from '../../sw/syncHost.ts';

/** The Web Locks API in one process (Node 20 has none): exclusive locks by name, queued in order. */
export function memoryLocks(): Locks {
  const tails = new Map<string, Promise<unknown>>();
  const held = new Set<string>();
  async function run<T>(name: string, callback: () => Promise<T>): Promise<T> {
    const previous = tails.get(name) ?? Promise.resolve();
    let release: () => void = () => undefined;
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    tails.set(
      name,
      previous.then(() => mine),
    );
    await previous.catch(() => undefined);
    held.add(name);
    try {
      return await callback();
    } finally {
      held.delete(name);
      release();
    }
  }
  return {
    request<T>(name: string, ...args: unknown[]): Promise<T> {
      if (args.length === 1) return run(name, args[0] as () => Promise<T>);
      // { ifAvailable: true }: a held lock means no lock, at once.
      const callback = args[1] as (lock: unknown) => Promise<T>;
      return held.has(name) ? callback(null) : run(name, () => callback({ name }));
    },
  } as Locks;
}
