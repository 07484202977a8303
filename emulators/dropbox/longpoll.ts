/**
 * files/list_folder/longpoll (notify host, no authentication: a request carrying an Authorization
 * header is a 400): `{cursor, timeout 30..480 (default 30)}` -> `{"changes": true}` as soon as
 * list_folder/continue has something to say after the cursor's position: a change in its scope, or
 * the listed folder (or a folder above it) deleted or moved (at once when that already happened), or
 * `{"changes": false}` when the timeout passes. Dropbox adds up
 * to 90 s of jitter and sometimes `backoff`; the emulator adds neither (?). The wait uses the injected
 * `sleep` and also ends when the emulator's clock is moved past its deadline (admin `advanceClock`),
 * so tests never wait in real time. An invalid cursor is 400; a cursor of an earlier store (admin reset)
 * is 409 `reset`; a client that hangs up stops the wait.
 */
import type { Clock } from '../shared/clock';
import type { Router } from '../shared/http';
import { required, string, struct, uint, withDefault } from './args';
import { decodeCursor, hasChanges } from './changes';
import { BadRequestError } from './errors';
import { registerRoute, type RpcDeps } from './rpc';
import type { DropboxStore } from './store';

interface Waiter {
  /** Re-evaluates the wait; true when it is over. */
  check(): boolean;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** Pending longpolls; `wake` re-checks them after a clock move or a reset. */
export class Longpolls {
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly clock: Clock,
    private readonly sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {}

  /**
   * Resolves `'changes'`, `'timeout'` or `'stale'` (the store was replaced: the caller re-reads the
   * cursor, which then reads as reset), or `'gone'` when `hangUp` fires first.
   */
  wait(
    store: () => DropboxStore | undefined,
    changed: (store: DropboxStore) => boolean,
    timeoutMs: number,
    hangUp: (listener: () => void) => void,
  ): Promise<'changes' | 'timeout' | 'stale' | 'gone'> {
    const initial = store();
    const deadline = this.clock.now() + timeoutMs;
    return new Promise((resolve) => {
      let done = false;
      const finish = (outcome: 'changes' | 'timeout' | 'stale' | 'gone') => {
        if (done) return;
        done = true;
        unwatch?.();
        this.waiters.delete(waiter);
        resolve(outcome);
      };
      const waiter: Waiter = {
        check: () => {
          const current = store();
          if (current !== initial || !current) finish('stale');
          else if (changed(current)) finish('changes');
          else if (this.clock.now() >= deadline) finish('timeout');
          return done;
        },
      };
      const unwatch = initial?.watch(() => waiter.check());
      this.waiters.add(waiter);
      hangUp(() => finish('gone'));
      void this.sleep(timeoutMs).then(() => finish('timeout'));
      waiter.check();
    });
  }

  /** Re-checks every pending longpoll (the clock moved, or the stores were rebuilt). */
  wake(): void {
    for (const waiter of [...this.waiters]) waiter.check();
  }
}

export function registerLongpollRoute(
  router: Router,
  deps: RpcDeps,
  longpolls: Longpolls,
  storeByNamespace: (namespaceId: string) => DropboxStore | undefined,
): void {
  registerRoute(router, deps, {
    name: 'files/list_folder/longpoll',
    style: 'rpc',
    auth: 'noauth',
    arg: struct({
      cursor: required(string({ min: 1 })),
      timeout: withDefault(uint(30, 480), 30),
    }),
    handle: async ({ ctx, arg }) => {
      const current = () => storeByNamespace(namespaceOf(arg.cursor));
      for (;;) {
        const store = current();
        if (!store) throw new BadRequestError(`Invalid "cursor" parameter: '${arg.cursor}'`);
        const state = decodeCursor(arg.cursor, store);
        const outcome = await longpolls.wait(
          current,
          (s) => hasChanges(s, state),
          arg.timeout * 1000,
          (listener) => ctx.res.once('close', listener),
        );
        if (outcome === 'gone') return undefined;
        if (outcome !== 'stale') return { changes: outcome === 'changes' };
      }
    },
  });
}

/** The namespace a cursor belongs to ('' when the text is not a cursor). */
function namespaceOf(cursor: string): string {
  try {
    const state = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { ns?: unknown };
    return typeof state.ns === 'string' ? state.ns : '';
  } catch {
    return '';
  }
}
