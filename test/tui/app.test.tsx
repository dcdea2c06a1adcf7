import chalk from 'chalk';
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServerLine, replies } from '../../src/protocol/index.js';
import { App } from '../../src/tui/app.js';
import type { ChatClient, ClientEvent, ClientListener } from '../../src/tui/client.js';
import { labelsFor } from '../../src/tui/i18n.js';
import type { Note } from '../../src/tui/notes.js';
import { initialState } from '../../src/tui/store.js';
import { until } from '../support/until.js';

const ANSI = /\x1b\[[0-9;?]*[a-zA-Z]|\x1b\][^\x07]*\x07/g;
const ME = '127.0.0.1:5000';
const BOB = '127.0.0.1:5001';

/** Records what the app asks of the network, and lets the test play the server. */
class FakeClient {
  readonly sent: string[] = [];
  private listener: ClientListener | undefined;
  readonly server = '127.0.0.1:8888';
  subscribe(listener: ClientListener) {
    this.listener = listener;
    return () => (this.listener = undefined);
  }
  emit(...events: ClientEvent[]) {
    for (const event of events) this.listener?.(event);
  }
  wire(...lines: string[]) {
    this.emit(...lines.map((line) => ({ type: 'server', event: parseServerLine(line.trimEnd()) }) as const));
  }
  sendPublic(text: string) {
    this.sent.push(`public:${text}`);
    return true;
  }
  private privateIds = 0;
  sendPrivate(name: string, text: string) {
    this.sent.push(`private:${name}:${text}`);
    const id = this.privateIds++;
    this.emit({ type: 'privateSent', to: name, text, id });
    if (name === 'nobody') this.wire(replies.noSuchUser());
    this.emit({ type: 'privateResult', id, delivered: name !== 'nobody' });
    return true;
  }
  rename(name: string) {
    this.sent.push(`rename:${name}`);
    return true;
  }
  who() {
    this.sent.push('who');
    return true;
  }
  refreshWho() {
    this.sent.push('refreshWho');
    return true;
  }
  reconnectNow() {
    this.sent.push('reconnect');
  }
}

const mounted: Array<{ unmount: () => void }> = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const instance of mounted.splice(0)) instance.unmount();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

async function mount(lang: 'en' | 'zh' = 'en', colour = true, links = false) {
  const client = new FakeClient();
  const signals: string[] = [];
  const transcript: string[] = [];
  const instance = render(
    <App
      client={client as unknown as ChatClient}
      initial={initialState({ server: client.server })}
      labels={labelsFor(lang)}
      colour={colour}
      links={links}
      signal={(sequence) => signals.push(sequence)}
      transcript={(text) => transcript.push(text)}
    />,
  );
  mounted.push(instance);
  const screen = () => (instance.lastFrame() ?? '').replace(ANSI, '');
  const screenUntil = (check: (frame: string) => boolean, what: string) =>
    until(() => check(screen()), { timeoutMs: 2_000, what, seen: screen });
  const waitFor = (text: string | RegExp) =>
    screenUntil((frame) => (typeof text === 'string' ? frame.includes(text) : text.test(frame)), String(text));
  const waitForGone = (text: string) => screenUntil((frame) => !frame.includes(text), `${text} to go`);
  client.emit({ type: 'connected', localAddr: ME }, { type: 'self', addr: ME });
  client.wire(replies.joined(ME, 'me'), replies.joined(BOB, 'bob'));
  await waitFor(lang === 'zh' ? '在线 (2)' : 'Online (2)');
  const type = async (keys: string) => {
    instance.stdin.write(keys);
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
  return { client, instance, screen, waitFor, waitForGone, type, signals, transcript };
}

describe('App', () => {
  it('draws the header, pane, sidebar, status bar and input', async () => {
    const { screen } = await mount();
    const text = screen();
    expect(text).toContain('chat-tui · 127.0.0.1:8888 · you are me');
    expect(text).toContain('● connected');
    expect(text).toContain('me (you)');
    expect(text).toContain('[F2 Public]');
    expect(text).toMatch(/^›/m);
  });

  it('sends typed text as a public message and keeps it in the history', async () => {
    const { client, type, waitFor } = await mount();
    await type('hello');
    await waitFor('› hello');
    await type('\r');
    expect(client.sent).toContain('public:hello');
    await type('\x1b[A');
    await waitFor('› hello');
  });

  it('chooses a private target from the list and keeps pasted lines private', async () => {
    const { client, type, waitFor } = await mount();
    await type('\t');
    await waitFor('choose a user');
    expect(client.sent).toEqual(['who']);
    await waitFor('› bob');
    await type('\r');
    await waitFor('to bob ›');
    await type('one\rtwo\r');
    await waitFor('you → bob: two');
    expect(client.sent.filter((sent) => sent.startsWith('public'))).toEqual([]);
    expect(client.sent).toEqual(expect.arrayContaining(['private:bob:one', 'private:bob:two']));
  });

  it('asks who again when a private message comes from a name not in the list', async () => {
    const { client, waitFor } = await mount();
    client.wire(replies.private('bob', 'known'));
    await waitFor('bob → you: known');
    expect(client.sent).not.toContain('refreshWho');
    client.wire(replies.private('dave', 'who am I?'));
    await waitFor('dave → you: who am I?');
    expect(client.sent).toContain('refreshWho');
  });

  it('recalls a private line as a private line to the same person, even from public chat', async () => {
    const { client, type, waitFor } = await mount();
    await type('\t');
    await waitFor('› bob');
    await type('\r');
    await waitFor('to bob ›');
    await type('secret\r');
    await waitFor('you → bob: secret');
    await type('\x1bOQ'); // F2: public
    await waitFor('[F2 Public]');
    await type('\x1b[A');
    await waitFor('to bob › secret');
    await type('\r');
    await until(() => client.sent.filter((sent) => sent === 'private:bob:secret').length === 2, {
      seen: () => client.sent.join(),
    });
    expect(client.sent.filter((sent) => sent.startsWith('public'))).toEqual([]);
  });

  it('appends each line of the pane to the transcript once, as plain text with the date and time', async () => {
    const { client, type, waitFor, transcript } = await mount();
    client.wire(replies.public(BOB, 'bob', 'hello'));
    await type('/msg bob psst\r');
    await waitFor('you → bob: psst');
    await until(() => transcript.join('').includes('psst'), { seen: () => transcript.join('') });
    const lines = transcript.join('').split('\n').filter(Boolean);
    const stamp = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /;
    for (const line of lines) expect(line).toMatch(stamp);
    expect(lines.map((line) => line.replace(stamp, ''))).toEqual([
      '- connected to 127.0.0.1:8888',
      '* me joined',
      '* bob joined',
      'bob: hello',
      'you → bob: psst',
    ]);
  });

  it('draws an address as an OSC 8 hyperlink where the terminal has them, and as text elsewhere', async () => {
    const linked = await mount('en', true, true);
    linked.client.wire(replies.public(BOB, 'bob', 'docs at https://example.com/docs now'));
    await linked.waitFor('bob: docs at https://example.com/docs now');
    expect(linked.instance.lastFrame()).toContain('\x1b]8;;https://example.com/docs\x07');
    const plain = await mount();
    plain.client.wire(replies.public(BOB, 'bob', 'docs at https://example.com/docs now'));
    await plain.waitFor('bob: docs at https://example.com/docs now');
    expect(plain.instance.lastFrame()).not.toContain('\x1b]8;;');
  });

  it('sends /me as an action in the mode you are in', async () => {
    const { client, type } = await mount();
    await type('/me waves\r');
    await until(() => client.sent.includes('public:* me waves'), { seen: () => client.sent.join() });
  });

  it('marks a private message to nobody as not sent', async () => {
    const { type, waitFor } = await mount();
    await type('/msg nobody hi\r');
    await waitFor(/you → nobody: hi ✗ not sent/);
    await waitFor('! no such user online');
  });

  it('switches modes with F-keys and Alt+digits, and Esc goes back to public', async () => {
    const { client, type, waitFor, waitForGone } = await mount();
    await type('\x1b3');
    await waitFor('new name ›');
    await type('robert\r');
    expect(client.sent).toContain('rename:robert');
    await waitForGone('new name');
    await type('\x1bOR');
    await waitFor('choose a user');
    expect(client.sent).toContain('who');
    await type('\x1b');
    await waitForGone('choose a user');
  });

  it('never sends the rest of a block pasted in rename mode to public chat', async () => {
    const { client, type, waitFor } = await mount();
    await type('\x1bOS');
    await waitFor('new name ›');
    await type('robert\rmy secret plans\rmore\r');
    await waitFor('› my secret plans more');
    expect(client.sent).toContain('rename:robert');
    expect(client.sent.filter((sent) => sent.startsWith('public'))).toEqual([]);
  });

  it('completes names with Tab', async () => {
    const { type, waitFor } = await mount();
    await type('hi b');
    await type('\t');
    await waitFor('› hi bob');
  });

  it('completes a name when Tab arrives in the same read as the text before it', async () => {
    const { type, waitFor } = await mount();
    await type('hi bo\t');
    await waitFor('› hi bob');
    await type('\x15a\tb');
    await waitFor(/› ab\s*$/m);
  });

  it('opens and closes the help overlay', async () => {
    const { type, waitFor, waitForGone, screen } = await mount();
    await type('\x1bOP');
    await waitFor('Keys');
    expect(screen()).toContain('PgUp PgDn Home End');
    await type('\x1b');
    await waitForGone('PgUp PgDn Home End');
  });

  it('scrolls back with PgUp and marks new lines below', async () => {
    const { client, type, waitFor } = await mount();
    client.wire(...Array.from({ length: 60 }, (_, index) => replies.public(BOB, 'bob', `line ${index}`)));
    await waitFor('bob: line 59');
    await type('\x1b[5~');
    await waitFor('↓ End: newest');
    client.wire(replies.public(BOB, 'bob', 'fresh'));
    await waitFor('↓ 1 new');
    await type('\x1b[F');
    await waitFor('bob: fresh');
  });

  it('reaches the first line of the scrollback with Home, and with PgUp', async () => {
    const { client, type, waitFor, screen } = await mount();
    client.wire(...Array.from({ length: 60 }, (_, index) => replies.public(BOB, 'bob', `line ${index}`)));
    await waitFor('bob: line 59');
    await type('\x1b[H');
    await waitFor('- connected to 127.0.0.1:8888');
    await type('\x1b[F');
    await waitFor('bob: line 59');
    for (let page = 0; page < 5; page++) await type('\x1b[5~');
    await waitFor('- connected to 127.0.0.1:8888');
    expect(screen()).toContain('↓ End: newest');
  });

  it('draws no colour under NO_COLOR, and keeps bold and inverse', async () => {
    const COLOUR = /\x1b\[(?:3[0-7]|9[0-7]|38;[0-9;]+)m/;
    // Ink styles through chalk, which styles nothing when the test's output is not a terminal.
    const level = chalk.level;
    chalk.level = 1;
    cleanups.push(() => (chalk.level = level));
    const coloured = await mount();
    coloured.client.wire(replies.public(BOB, 'bob', 'hello'), replies.private('bob', 'psst'));
    await coloured.waitFor('bob → you: psst');
    expect(coloured.instance.lastFrame()).toMatch(COLOUR);
    const plain = await mount('en', false);
    plain.client.wire(replies.public(BOB, 'bob', 'hello'), replies.private('bob', 'psst'));
    await plain.waitFor('bob → you: psst');
    const frame = plain.instance.lastFrame() ?? '';
    expect(frame).not.toMatch(COLOUR);
    expect(frame).toContain('\x1b[1m');
    expect(frame).toContain('\x1b[7m');
  });

  it('rings and counts in the title for a mention or a private message, until a key is pressed; /bell mutes', async () => {
    const { client, type, waitFor, signals, screen } = await mount();
    client.wire(replies.public(BOB, 'bob', 'hello me'));
    await until(() => signals.length === 1, { seen: screen });
    expect(signals).toEqual(['\x07\x1b]2;(1) chat-tui\x07']);
    expect(screen()).toContain('bob: hello me');
    client.wire(replies.private('bob', 'psst'));
    await until(() => signals.length === 2, { seen: screen });
    expect(signals[1]).toBe('\x07\x1b]2;(2) chat-tui\x07');
    await type('x');
    await until(() => signals.length === 3, { seen: screen });
    expect(signals[2]).toBe('\x1b]2;chat-tui\x07');
    await type('\x15/bell\r');
    await waitFor('bell off');
    client.wire(replies.private('bob', 'quiet'));
    await until(() => signals.length === 4, { seen: screen });
    expect(signals[3]).toBe('\x1b]2;(1) chat-tui\x07');
  });

  it('speaks Chinese with --lang zh', async () => {
    const { screen, type, waitFor } = await mount('zh');
    expect(screen()).toContain('你是 me');
    expect(screen()).toContain('[F2 公聊]');
    expect(screen()).toContain('me (你)');
    await type('\x1bOP');
    await waitFor('按键');
  });

  it('adds a note to the pane when it comes after the first frame, as the SSH door of --serve does', async () => {
    const client = new FakeClient();
    let settle: (note: Note) => void = () => {};
    const lateNote = new Promise<Note>((resolve) => (settle = resolve));
    const instance = render(
      <App
        client={client as unknown as ChatClient}
        initial={initialState({ server: client.server })}
        labels={labelsFor('en')}
        lateNote={lateNote}
      />,
    );
    mounted.push(instance);
    const frame = () => (instance.lastFrame() ?? '').replace(ANSI, '');
    client.emit({ type: 'connected', localAddr: ME });
    await until(() => frame().includes('connected to 127.0.0.1:8888'), { what: 'the first notice', seen: frame });
    expect(frame()).not.toContain('SSH');
    settle({ key: 'sshOpen', command: 'ssh -p 2222 127.0.0.1' });
    await until(() => frame().includes('others can join by SSH: ssh -p 2222 127.0.0.1'), {
      what: 'the late note',
      seen: frame,
    });
  });

  it('quits on Ctrl+D only when the line is empty', async () => {
    const { type, waitFor, screen } = await mount();
    await type('x');
    await type('\x04');
    await type('y');
    await waitFor('› xy');
    await type('\x15');
    await waitFor(/^›$/m);
    await type('\x04');
    await type('z');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen()).not.toContain('› z');
  });

  it('says when a line cannot be sent, and handles slash commands locally', async () => {
    const { client, type, waitFor } = await mount();
    client.sendPublic = () => false;
    await type('lost\r');
    await waitFor('not connected');
    await type('/frob\r');
    await waitFor('unknown command /frob');
  });
});
