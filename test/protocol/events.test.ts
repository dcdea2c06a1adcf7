import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PRESENCE,
  isPresenceWord,
  parseServerLine,
  replies,
  type NoticeKind,
  type ServerEvent,
} from '../../src/protocol/index.js';
import { addr, addrAndName, anyLine, validName } from './arbitraries.js';

const NUM_RUNS = 500;

/** A server line as the client reads it: without its final `\n` (and nothing else removed). */
function wire(line: string): string {
  expect(line.endsWith('\n')).toBe(true);
  expect(line.slice(0, -1).includes('\n')).toBe(false);
  return line.slice(0, -1);
}

const parse = (line: string) => parseServerLine(wire(line));

const publicText = anyLine.filter((text) => !isPresenceWord(text));

describe('parseServerLine: round trip of every reply', () => {
  it('joined, left and listed, renamed or not, IPv4 or IPv6 (property)', () => {
    fc.assert(
      fc.property(addrAndName, ([a, name]) => {
        expect(parse(replies.joined(a, name))).toEqual({ type: 'joined', addr: a, name });
        expect(parse(replies.left(a, name))).toEqual({ type: 'left', addr: a, name });
        expect(parse(replies.listed(a, name))).toEqual({ type: 'listed', addr: a, name });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('public with any text, renamed or not (property)', () => {
    fc.assert(
      fc.property(addrAndName, publicText, ([a, name], text) => {
        expect(parse(replies.public(a, name, text))).toEqual({ type: 'public', addr: a, name, text });
      }),
      { numRuns: 1000 },
    );
  });

  it('private from a renamed user, with any content (property)', () => {
    fc.assert(
      fc.property(validName, anyLine, (from, content) => {
        expect(parse(replies.private(from, content))).toEqual({ type: 'private', from, text: content });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('renamed (property)', () => {
    fc.assert(
      fc.property(validName, (name) => {
        expect(parse(replies.renamed(name))).toEqual({ type: 'renamed', name });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('lineTooLong (property)', () => {
    fc.assert(
      fc.property(fc.nat(), (maxLineBytes) => {
        expect(parse(replies.lineTooLong(maxLineBytes))).toEqual({ type: 'lineTooLong', maxLineBytes });
      }),
      { numRuns: 200 },
    );
    expect(parse(replies.lineTooLong(4096))).toEqual({ type: 'lineTooLong', maxLineBytes: 4096 });
  });

  it.each([
    'nameInUse',
    'badPrivateFormat',
    'noSuchUser',
    'emptyPrivate',
    'idleKick',
    'invalidName',
    'reserved',
    'serverFull',
    'tooManyConnections',
    'serverClosing',
  ] as const satisfies readonly NoticeKind[])('%s', (kind) => {
    expect(parse(replies[kind]())).toEqual({ type: kind });
  });
});

describe("parseServerLine: the article's exact bytes and quirks", () => {
  it("reads the article's lines", () => {
    expect(parseServerLine('[127.0.0.1:50412]127.0.0.1:50412:已上线')).toEqual({
      type: 'joined',
      addr: '127.0.0.1:50412',
      name: '127.0.0.1:50412',
    });
    expect(parseServerLine('[[::1]:50412][::1]:50412:下线')).toEqual({
      type: 'left',
      addr: '[::1]:50412',
      name: '[::1]:50412',
    });
    expect(parseServerLine('[[fe80::1]:9]张三:在线...')).toEqual({ type: 'listed', addr: '[fe80::1]:9', name: '张三' });
    expect(parseServerLine('当前用户名被使用')).toEqual({ type: 'nameInUse' });
    expect(parseServerLine('消息格式不正确，请使用"to|张三|你好啊"格式,')).toEqual({ type: 'badPrivateFormat' });
    expect(parseServerLine('该用户名不存在')).toEqual({ type: 'noSuchUser' });
    expect(parseServerLine('无消息内容，请重发')).toEqual({ type: 'emptyPrivate' });
    expect(parseServerLine('你被超时踢出了')).toEqual({ type: 'idleKick' });
    expect(parseServerLine('您已经更新用户名:张三')).toEqual({ type: 'renamed', name: '张三' });
    expect(parseServerLine('张三对您说:你好啊')).toEqual({ type: 'private', from: '张三', text: '你好啊' });
  });

  it('keeps colons in public text, after a renamed name and after an addr name', () => {
    expect(parseServerLine('[1.2.3.4:5]bob:a:b:c')).toEqual({
      type: 'public',
      addr: '1.2.3.4:5',
      name: 'bob',
      text: 'a:b:c',
    });
    expect(parseServerLine('[1.2.3.4:5]1.2.3.4:5:time 12:30')).toEqual({
      type: 'public',
      addr: '1.2.3.4:5',
      name: '1.2.3.4:5',
      text: 'time 12:30',
    });
    expect(parseServerLine('[[::1]:5][::1]:5::')).toEqual({
      type: 'public',
      addr: '[::1]:5',
      name: '[::1]:5',
      text: ':',
    });
    expect(parseServerLine('[[::1]:5]bob:')).toEqual({ type: 'public', addr: '[::1]:5', name: 'bob', text: '' });
  });

  it('does not take presence words, brackets or a private mark inside public text for anything else', () => {
    expect(parseServerLine('[1.2.3.4:5]bob:已上线 not quite')).toEqual({
      type: 'public',
      addr: '1.2.3.4:5',
      name: 'bob',
      text: '已上线 not quite',
    });
    expect(parseServerLine('[1.2.3.4:5]bob:[6.6.6.6:6]eve:已上线')).toEqual({
      type: 'public',
      addr: '1.2.3.4:5',
      name: 'bob',
      text: '[6.6.6.6:6]eve:已上线',
    });
    expect(parseServerLine('[1.2.3.4:5]bob:alice对您说:hi')).toEqual({
      type: 'public',
      addr: '1.2.3.4:5',
      name: 'bob',
      text: 'alice对您说:hi',
    });
  });

  it('reads a private message whose content holds the mark, colons and bars', () => {
    expect(parseServerLine('bob对您说:x对您说:y|z:w')).toEqual({ type: 'private', from: 'bob', text: 'x对您说:y|z:w' });
    expect(parseServerLine('x对您说对您说:hi')).toEqual({ type: 'private', from: 'x对您说', text: 'hi' });
    expect(parseServerLine('bob对您说:')).toEqual({ type: 'private', from: 'bob', text: '' });
  });

  it('reads a private message from a user who never renamed (its name is its addr, with `:`)', () => {
    // The server names a newcomer by its addr, so this is what a target receives when the sender never
    // renamed (see test/server/protocol.test.ts: `${alice.addr}对您说:hey`).
    const senders = ['127.0.0.1:50412', '[::1]:50412', '[fe80::1]:41000'];
    expect(
      senders.map((from) => parse(replies.private(from, 'hi'))),
      'a private message from a never-renamed sender must parse as private',
    ).toEqual(senders.map((from): ServerEvent => ({ type: 'private', from, text: 'hi' })));
  });

  it('shows unknown lines as plain notices, as they are', () => {
    for (const line of [
      '',
      'hello',
      '[',
      '[[',
      '[[::1]:5',
      '[1.2.3.4:5',
      '[1.2.3.4:5]no colon here',
      '对您说:no sender',
      'a:b对您说:x',
      '消息过长：每行最多字节',
      '消息过长：每行最多-1字节',
      '消息过长：每行最多4096字节 ',
      '您已经更新用户名',
      '当前用户名被使用 ',
      '服务器已关闭\r',
    ]) {
      expect(parseServerLine(line)).toEqual({ type: 'notice', text: line });
    }
  });

  it("reads the article server's unrestricted names best effort", () => {
    // The article's server lets a name hold `:`; the first `:` after a non-addr name ends it.
    expect(parseServerLine('[1.2.3.4:5]a:b:已上线')).toEqual({
      type: 'public',
      addr: '1.2.3.4:5',
      name: 'a',
      text: 'b:已上线',
    });
    expect(parseServerLine('[1.2.3.4:5]:x')).toEqual({ type: 'public', addr: '1.2.3.4:5', name: '', text: 'x' });
    expect(parseServerLine(`[1.2.3.4:5]bob:${PRESENCE.listed}`)).toEqual({
      type: 'listed',
      addr: '1.2.3.4:5',
      name: 'bob',
    });
  });
});

describe('parseServerLine never throws', () => {
  const token = fc.constantFrom(
    '[',
    ']',
    '[[',
    ']]',
    ':',
    '::1',
    '1.2.3.4:5',
    '[::1]:5',
    '对您说:',
    '已上线',
    '下线',
    '在线...',
    '您已经更新用户名:',
    '消息过长：每行最多',
    '字节',
    '4096',
    'bob',
    '张三',
    '|',
    ' ',
  );
  const tokenLine = fc.array(token, { maxLength: 10 }).map((parts) => parts.join(''));

  it('on any string, and gives a typed event (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), tokenLine), (line) => {
        const event = parseServerLine(line);
        expect(typeof event.type).toBe('string');
        if (event.type === 'notice') expect(event.text).toBe(line);
        if ('addr' in event) expect(line.startsWith(`[${event.addr}]`)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('on a user line with any addr, name and text (property)', () => {
    fc.assert(
      fc.property(addr, anyLine, anyLine, (a, name, text) => {
        const event = parseServerLine(`[${a}]${name}:${text}`);
        expect(['joined', 'left', 'listed', 'public']).toContain(event.type);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
