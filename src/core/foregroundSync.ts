/**
 * Foreground triggers (docs/sync-rules.md, "Throttle"): the app starting, the window
 * gaining focus, the page becoming visible, a page restored from the back/forward cache, and
 * the network coming back each ask for an automatic sync; the runner's throttle and join turn
 * a burst into one sync.
 *
 * The platform's events enter through a seam, `ForegroundEvents` (as TanStack Query's
 * focusManager does), so this stays free of DOM types and tests can fire events at will.
 */

/** Subscribes `onForeground` to the platform's "user is back" events; returns the unsubscribe. */
export type ForegroundEvents = (onForeground: () => void) => () => void;

/** The parts of `window` and `document` we listen to, typed structurally. */
interface Listenable {
  addEventListener(type: string, listener: (event: unknown) => void): void;
  removeEventListener(type: string, listener: (event: unknown) => void): void;
}

export function browserForegroundEvents(
  win: Listenable,
  doc: Listenable & { visibilityState: string },
): ForegroundEvents {
  return (onForeground) => {
    const onFocus = () => onForeground();

    const onVisibility = () => {
      if (doc.visibilityState === 'visible') onForeground();
    };
    const onPageShow = (event: unknown) => {
      if ((event as { persisted?: boolean }).persisted) onForeground();
    };
    win.addEventListener('focus', onFocus);
    win.addEventListener('online', onFocus);
    doc.addEventListener('visibilitychange', onVisibility);
    win.addEventListener('pageshow', onPageShow);
    return () => {
      win.removeEventListener('focus', onFocus);
      win.removeEventListener('online', onFocus);
      doc.removeEventListener('visibilitychange', onVisibility);
      win.removeEventListener('pageshow', onPageShow);
    };
  };
}

/** Asks for a sync now (app start) and on every foreground event; returns the stop function. */
export function startForegroundSync(
  requestAutoSync: () => Promise<unknown>,
  events: ForegroundEvents,
  onError: (error: unknown) => void,
): () => void {
  const request = () => {
    requestAutoSync().catch(onError);
  };
  request();
  return events(request);
}
