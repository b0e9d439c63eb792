import { describe, expect, it } from 'vitest';
import { createAction } from '../../src/ui/models/action.ts';

describe('action', () => {
  it('is busy while it runs, then says how it went', async () => {
    const action = createAction();
    let finish: (text: string) => void = () => undefined;
    const running = action.run(() => new Promise((resolve) => (finish = resolve)));
    expect(action.busy.value).toBe(true);
    finish('Signed in.');
    await running;
    expect([action.busy.value, action.message.value]).toEqual([false, 'Signed in.']);
  });

  it("says an error's own words, and forgets them when run again", async () => {
    const action = createAction();
    await action.run(() => Promise.reject(new Error('"ftp://x" is not an http or https URL')));
    expect(action.message.value).toBe('"ftp://x" is not an http or https URL');
    await action.run(() => Promise.resolve(null));
    expect([action.busy.value, action.message.value]).toEqual([false, null]);
  });

  it("says words that carry the cloud's through showable, success or failure", async () => {
    const action = createAction();
    await action.run(() => Promise.resolve('Signed in. TFSA \u202egnp.exe synced'));
    expect(action.message.value).toBe('Signed in. TFSA \ufffdgnp.exe synced');
    await action.run(() => Promise.reject(new Error('The cloud refused: \u202egnp.exe')));
    expect(action.message.value).toBe('The cloud refused: \ufffdgnp.exe');
  });
});
