import type { NoticeKind } from '../protocol/index.js';
import type { Labels } from './i18n.js';

/**
 * What the screen itself says in the message pane, as a kind and its parameters: the words (English or
 * Chinese) are chosen when the line is drawn, so the state never holds finished text.
 */
export type Note =
  | { readonly key: 'connectedTo' | 'notChatServer'; readonly server: string }
  | { readonly key: 'connectionLost'; readonly reason: string }
  | { readonly key: 'unsent'; readonly count: number }
  | { readonly key: 'joined' | 'left'; readonly name: string }
  | { readonly key: 'listed'; readonly name: string; readonly addr: string }
  | { readonly key: 'renamed'; readonly name: string }
  | { readonly key: 'nowKnownAs'; readonly from: string; readonly name: string }
  | { readonly key: 'nameTaken'; readonly name: string; readonly next: string }
  | { readonly key: 'bell'; readonly on: boolean }
  | { readonly key: 'lineTooLong'; readonly maxLineBytes: number }
  | { readonly key: 'unknownCommand'; readonly command: string }
  | { readonly key: 'usage'; readonly command: 'msg' | 'nick' | 'me' | 'ignore' }
  | { readonly key: 'ignoring'; readonly name: string; readonly on: boolean }
  | { readonly key: 'setting'; readonly setting: 'joins' | 'seconds'; readonly on: boolean }
  /** --serve opened an SSH door: the command that comes in by it. */
  | { readonly key: 'sshOpen'; readonly command: string }
  /** --serve opened an SSH door for the `keys` keys its authorized keys file lists, and for no one else. */
  | { readonly key: 'sshPrivate'; readonly command: string; readonly keys: number }
  /** --serve could not open its SSH door at `where` (host:port), or for `reason`, and goes on without it. */
  | { readonly key: 'sshInUse' | 'sshDenied'; readonly where: string }
  | { readonly key: 'sshFailed'; readonly reason: string }
  | { readonly key: Exclude<NoticeKind, 'idleKick'> | 'kicked' | 'pressToReconnect' | 'notConnected' };

export function noteText(note: Note, labels: Labels): string {
  switch (note.key) {
    case 'connectedTo':
      return labels.connectedTo(note.server);
    case 'notChatServer':
      return labels.notChatServer(note.server);
    case 'connectionLost':
      return labels.connectionLost(note.reason);
    case 'unsent':
      return labels.unsent(note.count);
    case 'joined':
      return labels.joined(note.name);
    case 'left':
      return labels.left(note.name);
    case 'listed':
      return labels.listed(note.name, note.addr);
    case 'renamed':
      return labels.renamed(note.name);
    case 'bell':
      return labels.bell(note.on);
    case 'ignoring':
      return labels.ignoring(note.name, note.on);
    case 'setting':
      return labels.setting[note.setting](note.on);
    case 'nameTaken':
      return labels.nameTaken(note.name, note.next);
    case 'nowKnownAs':
      return labels.nowKnownAs(note.from, note.name);
    case 'lineTooLong':
      return labels.lineTooLong(note.maxLineBytes);
    case 'unknownCommand':
      return labels.unknownCommand(note.command);
    case 'usage':
      return labels.usage[note.command];
    case 'sshOpen':
      return labels.ssh.open(note.command);
    case 'sshPrivate':
      return labels.ssh.private(note.command, note.keys);
    case 'sshInUse':
      return labels.ssh.inUse(note.where);
    case 'sshDenied':
      return labels.ssh.denied(note.where);
    case 'sshFailed':
      return labels.ssh.failed(note.reason);
    default:
      return labels[note.key];
  }
}
