import { EventEmitter } from 'node:events';
import type ssh2 from 'ssh2';
import { describe, expect, it } from 'vitest';
import { ChannelTerminal } from '../../src/ssh/terminal.js';

/** The channel's side of it: what was written, one entry per write (each an SSH packet of its own). */
function fakeChannel(): { channel: ssh2.ServerChannel; writes: string[] } {
  const writes: string[] = [];
  const channel = Object.assign(new EventEmitter(), {
    writable: true,
    write: (data: string) => {
      writes.push(data);
      return true;
    },
  });
  return { channel: channel as unknown as ssh2.ServerChannel, writes };
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

  it('lets a client go once more than the bound waits for it, counting what waits to be sent', async () => {
    const { channel } = fakeChannel();
    let tooSlow = 0;
    const terminal = new ChannelTerminal(channel, { columns: 80, rows: 24, term: 'xterm' }, 100, () => (tooSlow += 1));
    terminal.output.write('x'.repeat(60));
    expect(tooSlow).toBe(0);
    terminal.output.write('x'.repeat(60));
    expect(tooSlow).toBe(1);
    await turn();
  });

  it('takes the colours out for a dumb terminal', async () => {
    const { channel, writes } = fakeChannel();
    const terminal = new ChannelTerminal(channel, { columns: 80, rows: 24, term: 'dumb' }, 1 << 20, () => {});
    terminal.output.write('\x1b[31mred\x1b[39m plain');
    await turn();
    expect(writes).toEqual(['red plain']);
  });
});
