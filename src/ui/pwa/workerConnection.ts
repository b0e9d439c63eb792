/**
 * The page's line to the service worker: registers it (workbox-window, as a module worker),
 * sends it commands and hears its broadcasts, and notices when a new version is waiting.
 * The page never reloads on its own: only after the user accepted the update here.
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import { Workbox } from 'workbox-window';
import {
  BROADCAST_CHANNEL,
  type Broadcast,
  type Command,
  CommandError,
  type CommandMap,
  type CommandName,
  type CommandReply,
} from '../../pwa/swProtocol.ts';

export interface WorkerConnection {
  send<K extends CommandName>(command: Extract<Command, { type: K }>): Promise<CommandMap[K]['reply']>;
  onBroadcast(listener: (message: Broadcast) => void): () => void;
  /** A new version is installed and waiting, or has taken over from another tab: this tab should reload. */
  updateWaiting: ReadonlySignal<boolean>;
  /** Let the waiting version take over (if it has not yet), then reload this tab. */
  acceptUpdate(): Promise<void>;
  /** Set when the worker could not be registered: the app cannot sync here. */
  failure: ReadonlySignal<string | null>;
}

export function connectWorker(scriptUrl: string): WorkerConnection {
  const updateWaiting = signal(false);
  const failure = signal<string | null>(null);
  const channel = new BroadcastChannel(BROADCAST_CHANNEL);
  let accepted = false;

  const workbox = 'serviceWorker' in navigator ? new Workbox(scriptUrl, { type: 'module' }) : null;
  if (workbox) {
    workbox.addEventListener('waiting', () => {
      updateWaiting.value = true;
    });
    // A change of controller when there was one before is a new version taking over; the
    // first install claiming this page is not. Accepted here: reload now. Accepted in another
    // tab: this tab runs old code against the new worker, so offer the reload.
    let controlled = navigator.serviceWorker.controller !== null;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      const update = controlled;
      controlled = true;
      if (!update) return;
      if (accepted) window.location.reload();
      else updateWaiting.value = true;
    });
    workbox.register().catch((error: unknown) => {
      failure.value = `The app's background worker could not start: ${String(error)}`;
    });
  } else {
    failure.value = 'This browser cannot run service workers, so Folio Sync cannot sync here.';
  }

  return {
    async send(command) {
      if (!workbox) throw new Error(failure.value ?? 'No service worker');
      const registration = await navigator.serviceWorker.ready;
      const worker = registration.active;
      if (!worker) throw new Error('The background worker is not running');
      const { port1, port2 } = new MessageChannel();
      const reply = new Promise<CommandReply<CommandName>>((resolve) => {
        port1.onmessage = (event: MessageEvent<CommandReply<CommandName>>) => resolve(event.data);
      });
      worker.postMessage(command, [port2]);
      const answer = await reply;
      port1.close();
      if (!answer.ok) throw new CommandError(answer.failure.message, answer.failure.code, answer.failure.field);
      return answer.value as CommandMap[typeof command.type]['reply'];
    },
    onBroadcast(listener) {
      const handler = (event: MessageEvent<Broadcast>) => listener(event.data);
      channel.addEventListener('message', handler);
      return () => channel.removeEventListener('message', handler);
    },
    updateWaiting,
    async acceptUpdate() {
      accepted = true;
      const registration = await navigator.serviceWorker.getRegistration();
      if (registration?.waiting) workbox?.messageSkipWaiting();
      else window.location.reload();
    },
    failure,
  };
}
