import { describe, expect, it } from 'vitest';
import { coloursWanted, drawSplash, enterAlternateScreen, leaveAlternateScreen } from '../../src/tui/terminal.js';

function fakeStdout(columns = 80, rows = 24) {
  const written: string[] = [];
  const stdout = { columns, rows, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  return { stdout, output: () => written.join('') };
}

describe('the alternate screen', () => {
  it('is entered once and left once, by the returned function or by a crash handler', () => {
    const { stdout, output } = fakeStdout();
    const exitListeners = process.listenerCount('exit');
    const restore = enterAlternateScreen(stdout);
    expect(output()).toContain('\x1b[?1049h');
    expect(process.listenerCount('exit')).toBe(exitListeners + 1);
    leaveAlternateScreen();
    restore();
    expect(output().split('\x1b[?1049l')).toHaveLength(2);
    expect(output()).toContain('\x1b[?25h');
    expect(process.listenerCount('exit')).toBe(exitListeners);
  });
});

describe('the splash', () => {
  it('puts the header, the status bar and the prompt where the real frame has them', () => {
    const { stdout, output } = fakeStdout(80, 24);
    drawSplash(stdout, {
      title: ' chat-tui · 127.0.0.1:8888',
      status: '○ connecting',
      modes: ' [F2 Public]',
      hints: 'F1 help',
    });
    const text = output();
    expect(text).toMatch(/\x1b\[1;1H.*chat-tui · 127\.0\.0\.1:8888/);
    expect(text).toMatch(/\x1b\[22;1H \[F2 Public\]/);
    expect(text).toMatch(/\x1b\[23;1H.*› /);
  });

  it('uses no colour when told not to, keeping bold', () => {
    const { stdout, output } = fakeStdout(80, 24);
    drawSplash(stdout, { title: ' chat-tui', status: '○ connecting', modes: ' [F2 Public]', hints: 'F1 help' }, false);
    expect(output()).not.toMatch(/\x1b\[3\dm/);
    expect(output()).toContain('\x1b[1m');
    expect(coloursWanted({ NO_COLOR: '1' })).toBe(false);
    expect(coloursWanted({ NO_COLOR: '' })).toBe(true);
    expect(coloursWanted({})).toBe(true);
  });
});
