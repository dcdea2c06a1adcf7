import { describe, expect, it } from 'vitest';
import { sshCommand, sshDoorNote } from '../../src/tui/ssh-door.js';

describe('the pane’s line about the SSH door of --serve', () => {
  it('gives the command as it is typed on this machine', () => {
    expect(sshCommand('127.0.0.1', 2222)).toBe('ssh -p 2222 127.0.0.1');
    expect(sshCommand('::1', 2222)).toBe('ssh -p 2222 ::1');
    expect(sshCommand('localhost', 2200)).toBe('ssh -p 2200 localhost');
    expect(sshCommand('0.0.0.0', 2222)).toBe('ssh -p 2222 127.0.0.1');
    expect(sshCommand('::', 2222)).toBe('ssh -p 2222 ::1');
    expect(sshCommand('192.168.1.20', 22)).toBe('ssh 192.168.1.20');
  });

  it('says how to come in, or why not', () => {
    expect(sshDoorNote('127.0.0.1', 0, { open: true, port: 40022 })).toEqual({
      key: 'sshOpen',
      command: 'ssh -p 40022 127.0.0.1',
    });
    expect(sshDoorNote('127.0.0.1', 0, { open: true, port: 40022, listedKeys: 2 })).toEqual({
      key: 'sshPrivate',
      command: 'ssh -p 40022 127.0.0.1',
      keys: 2,
    });
    const shut = { open: false, reason: 'the words of the server' } as const;
    expect(sshDoorNote('::1', 2222, { ...shut, code: 'EADDRINUSE' })).toEqual({ key: 'sshInUse', where: '[::1]:2222' });
    expect(sshDoorNote('0.0.0.0', 22, { ...shut, code: 'EACCES' })).toEqual({ key: 'sshDenied', where: '0.0.0.0:22' });
    expect(sshDoorNote('127.0.0.1', 2222, { ...shut, code: 'EADDRNOTAVAIL' })).toEqual({
      key: 'sshFailed',
      reason: 'the words of the server',
    });
    expect(sshDoorNote('127.0.0.1', 2222, shut)).toEqual({ key: 'sshFailed', reason: 'the words of the server' });
  });
});
