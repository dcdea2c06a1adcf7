import { EventEmitter } from 'node:events';
import type ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ChannelTerminal } from '../../src/ssh/terminal.js';
import { until } from '../support/until.js';

/**
 * The channel's side of it: what was written, one entry per write (each an SSH packet of its own). A
 * channel that is `full` takes the write but asks for no more until it drains.
 */
function fakeChannel(full = false): { channel: ssh2.ServerChannel & EventEmitter; writes: string[] } {
  const writes: string[] = [];
  const channel = Object.assign(new EventEmitter(), {
    writable: true,
    write: (data: string) => {
      writes.push(data);
      return !full;
    },
  });
  return { channel: channel as unknown as ssh2.ServerChannel & EventEmitter, writes };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ChannelTerminal', () => {
  it('sends what is written in one turn of the loop as one write, with \\r\\n for \\n', async () => {
    const { channel, writes } = fakeChannel();
    const terminal = new ChannelTerminal(channel, { columns: 80, rows: 24, term: 'xterm' }, 1 << 20, () => {});
    // A frame as Ink writes it: the synchronized-update marks, then the frame.
    terminal.output.write('\x1b[?2026h');
    terminal.output.write('one\ntwo\n');
    terminal.output.write('\x1b[?2026l');
    await turn();
    expect(writes).toEqual(['\x1b[?2026hone\r\ntwo\r\n\x1b[?2026l']);
    terminal.output.write('three\n');
    await turn();
    expect(writes).toEqual(['\x1b[?2026hone\r\ntwo\r\n\x1b[?2026l', 'three\r\n']);
  });

  it('lets a client go once more than the bound waits for its channel to drain, and not before', async () => {
    const { channel, writes } = fakeChannel(true);
    let tooSlow = 0;
    const terminal = new ChannelTerminal(channel, { columns: 80, rows: 24, term: 'xterm' }, 100, () => (tooSlow += 1));
    terminal.output.write('a'.repeat(60));
    await turn();
    // The first frame went to the channel, which has not drained: the next ones wait here.
    expect(writes).toHaveLength(1);
    terminal.output.write('b'.repeat(30));
    await turn();
    expect(tooSlow).toBe(0);
    terminal.output.write('c'.repeat(80));
    await turn();
    expect(tooSlow).toBe(1);
    // Once it drains, what waited goes out, in order.
    channel.emit('drain');
    await turn();
    expect(writes.join('')).toBe(`${'a'.repeat(60)}${'b'.repeat(30)}${'c'.repeat(80)}`);
  });

  it('keeps a client that reads, however large one frame is', async () => {
    const { channel, writes } = fakeChannel();
    let tooSlow = 0;
    const terminal = new ChannelTerminal(channel, { columns: 80, rows: 24, term: 'xterm' }, 100, () => (tooSlow += 1));
    terminal.output.write('x'.repeat(300));
    await turn();
    expect(tooSlow).toBe(0);
    expect(writes).toEqual(['x'.repeat(300)]);
  });

  it('takes the colours out for a dumb terminal', async () => {
    const { channel, writes } = fakeChannel();
    const terminal = new ChannelTerminal(channel, { columns: 80, rows: 24, term: 'dumb' }, 1 << 20, () => {});
    terminal.output.write('\x1b[31mred\x1b[39m plain');
    await turn();
    expect(writes).toEqual(['red plain']);
  });

  it('draws a burst of window changes once, at the last size', async () => {
    const { channel } = fakeChannel();
    const terminal = new ChannelTerminal(channel, { columns: 80, rows: 24, term: 'xterm' }, 1 << 20, () => {});
    const seen: string[] = [];
    terminal.output.on('resize', () => seen.push(`${terminal.output.columns}x${terminal.output.rows}`));
    for (let i = 0; i < 1000; i++) terminal.output.resize(81 + (i % 7), 25);
    expect(seen).toEqual([]);
    await until(() => seen.length > 0, { what: 'the resize' });
    expect(seen).toEqual([`${81 + (999 % 7)}x25`]);
    terminal.output.resize(100, 30);
    await until(() => seen.length > 1, { what: 'the next resize' });
    expect(seen).toEqual([`${81 + (999 % 7)}x25`, '100x30']);
    // Back where it was within one gathering: nothing to redraw.
    terminal.output.resize(90, 30);
    terminal.output.resize(100, 30);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(seen).toHaveLength(2);
  });

  it('hands keys to the app at once after a pause, and keys that come fast together', async () => {
    const { channel } = fakeChannel();
    const terminal = new ChannelTerminal(channel, { columns: 80, rows: 24, term: 'xterm' }, 1 << 20, () => {});
    const handed: string[] = [];
    terminal.input.on('data', (chunk: Buffer) => handed.push(chunk.toString()));
    channel.emit('data', Buffer.from('h'));
    await turn();
    expect(handed).toEqual(['h']);
    // A packet a key, as fast as a client can send them: a few hand-overs, every key in order.
    const keys = 'ello, this is a flood of keys typed one packet at a time';
    for (const key of keys) channel.emit('data', Buffer.from(key));
    await until(() => handed.join('') === `h${keys}`, { what: 'every key' });
    expect(handed.length).toBeLessThanOrEqual(3);
    // After a pause, the next key goes at once again.
    await new Promise((resolve) => setTimeout(resolve, 30));
    channel.emit('data', Buffer.from('!'));
    await turn();
    expect(handed.at(-1)).toBe('!');
  });
});
