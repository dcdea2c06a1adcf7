import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { parseServerLine, replies } from '../../src/protocol/index.js';
import type { ClientEvent, ClientListener } from '../../src/tui/client.js';
import { useChatClient, type RoomClient } from '../../src/tui/hooks/useChatClient.js';
import { initialState } from '../../src/tui/store.js';

class FakeClient implements RoomClient {
  private listener: ClientListener | undefined;
  subscribe(listener: ClientListener) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  /** How often the screen asked who is online: it does after a line it could not place (see store.ts). */
  whoAsked = 0;
  refreshWho() {
    this.whoAsked += 1;
    return true;
  }
  /** A private line from someone the screen does not know of. */
  whisper() {
    this.listener?.({ type: 'server', event: parseServerLine(replies.private('stranger', 'hi').trimEnd()) });
  }
  say(...texts: string[]) {
    for (const [index, text] of texts.entries()) {
      const line = `[127.0.0.1:${6000 + index}]bob${index}:${text}`;
      this.listener?.({ type: 'server', event: parseServerLine(line) } satisfies ClientEvent);
    }
  }
}

/** The number of lines each render drew. */
function probe(client: FakeClient, gatherMs: number) {
  const drawn: number[] = [];
  function Probe() {
    const { state } = useChatClient(client, initialState({ server: 'x' }), gatherMs);
    drawn.push(state.lines.length);
    return <Text>{state.lines.length}</Text>;
  }
  return { drawn, app: render(<Probe />) };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('useChatClient', () => {
  it('applies lines that come already gathered in one render, once the chunk they came in is read', async () => {
    const client = new FakeClient();
    const { drawn, app } = probe(client, 0);
    client.say('one', 'two', 'three');
    client.whisper();
    expect(client.whoAsked).toBe(0);
    // Applied before any timer could fire: the stranger's line already asked who is online.
    await Promise.resolve();
    expect(client.whoAsked).toBe(1);
    await pause(5);
    expect(drawn).toEqual([0, 4]);
    app.unmount();
  });

  it('gathers lines for a frame before it draws them', async () => {
    const client = new FakeClient();
    const { drawn, app } = probe(client, 40);
    client.say('one');
    await pause(10);
    client.say('two', 'three');
    await pause(10);
    expect(drawn).toEqual([0]);
    await pause(60);
    expect(drawn).toEqual([0, 3]);
    app.unmount();
  });

  it('applies nothing once the screen is gone', async () => {
    for (const gatherMs of [0, 20]) {
      const client = new FakeClient();
      const { drawn, app } = probe(client, gatherMs);
      client.say('one');
      client.whisper();
      app.unmount();
      await pause(40);
      expect(drawn).toEqual([0]);
      expect(client.whoAsked).toBe(0);
    }
  });
});
