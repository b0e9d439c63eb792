/**
 * A small EventSource for Node tests (Node 20 has none): one connection to a real event stream,
 * framed as the HTML standard says, dispatching `open`, each named event with its `data` and
 * `lastEventId`, and `error` with `readyState` CLOSED when the answer is not a stream or ends.
 * It does not reconnect by itself: the code under test decides what to do after `error`.
 */
type Listener = (event: MessageEvent<string>) => void;

export interface TestEventSource {
  readonly url: string;
  readonly readyState: number;
  addEventListener(type: string, listener: Listener): void;
  close(): void;
}

export function openTestEventSource(url: string): TestEventSource {
  const listeners = new Map<string, Listener[]>();
  const controller = new AbortController();
  let readyState = 0;
  const dispatch = (type: string, init: MessageEventInit<string> = {}) => {
    for (const listener of listeners.get(type) ?? []) listener(new MessageEvent(type, init));
  };
  const fail = () => {
    if (readyState === 2) return;
    readyState = 2;
    dispatch('error');
  };
  void (async () => {
    const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
    if (!response.ok || !response.headers.get('content-type')?.startsWith('text/event-stream') || !response.body) {
      fail();
      return;
    }
    readyState = 1;
    dispatch('open');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let lastEventId = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let type = 'message';
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) continue;
          const [field = '', ...rest] = line.split(':');
          const text = rest.join(':').replace(/^ /, '');
          if (field === 'event') type = text;
          else if (field === 'data') data.push(text);
          else if (field === 'id') lastEventId = text;
        }
        if (data.length > 0) dispatch(type, { data: data.join('\n'), lastEventId });
      }
    }
    fail();
  })().catch(fail);
  return {
    url,
    get readyState() {
      return readyState;
    },
    addEventListener(type, listener) {
      listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    },
    close() {
      readyState = 2;
      controller.abort();
    },
  };
}
