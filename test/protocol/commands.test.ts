import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clientCommands, parseCommand, type Command } from '../../src/protocol/index.js';
import { anyLine, validName } from './arbitraries.js';

const NUM_RUNS = 500;

/** Lines made of the pieces the parser looks for, so prefixes and bars are common. */
const tokenLine = fc
  .array(fc.constantFrom('to', 'rename', 'who', '|', '||', 'to|', 'rename|', ' ', '张三', 'x', ':', '\t', '\r', ''), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

describe('parseCommand: the client-to-server table, in order', () => {
  const rows: [string, Command][] = [
    ['', { kind: 'empty' }],
    ['who', { kind: 'who' }],
    ['who ', { kind: 'public', text: 'who ' }],
    [' who', { kind: 'public', text: ' who' }],
    ['WHO', { kind: 'public', text: 'WHO' }],
    ['whoami', { kind: 'public', text: 'whoami' }],
    ['rename|张三', { kind: 'rename', name: '张三' }],
    ['rename|bob|ignored|too', { kind: 'rename', name: 'bob' }],
    ['rename|', { kind: 'rename', name: '' }],
    ['rename||x', { kind: 'rename', name: '' }],
    ['rename|a b', { kind: 'rename', name: 'a b' }],
    ['rename', { kind: 'public', text: 'rename' }],
    ['Rename|bob', { kind: 'public', text: 'Rename|bob' }],
    [' rename|bob', { kind: 'public', text: ' rename|bob' }],
    ['to|张三|你好啊', { kind: 'private', target: '张三', content: '你好啊' }],
    ['to|bob|a|b c', { kind: 'private', target: 'bob', content: 'a|b c' }],
    ['to|bob|', { kind: 'private', target: 'bob', content: '' }],
    ['to|bob', { kind: 'private', target: 'bob', content: '' }],
    ['to||你好', { kind: 'private', target: '', content: '你好' }],
    ['to|', { kind: 'private', target: '', content: '' }],
    ['to|127.0.0.1:5000|hi', { kind: 'private', target: '127.0.0.1:5000', content: 'hi' }],
    ['to', { kind: 'public', text: 'to' }],
    ['to bob', { kind: 'public', text: 'to bob' }],
    ['TO|bob|hi', { kind: 'public', text: 'TO|bob|hi' }],
    ['hello 大家好', { kind: 'public', text: 'hello 大家好' }],
    ['a|b', { kind: 'public', text: 'a|b' }],
    ['已上线', { kind: 'public', text: '已上线' }],
    [' ', { kind: 'public', text: ' ' }],
  ];

  it.each(rows)('%j', (line, command) => {
    expect(parseCommand(line)).toEqual(command);
  });
});

describe('parseCommand properties', () => {
  it('never throws and always gives a well-formed command (property)', () => {
    fc.assert(
      fc.property(fc.oneof(anyLine, tokenLine, fc.string({ unit: 'binary' })), (line) => {
        const command = parseCommand(line);
        switch (command.kind) {
          case 'empty':
            expect(line).toBe('');
            break;
          case 'who':
            expect(line).toBe('who');
            break;
          case 'rename':
            expect(line.startsWith('rename|')).toBe(true);
            expect(command.name.includes('|')).toBe(false);
            expect(line.startsWith(`rename|${command.name}`)).toBe(true);
            break;
          case 'private':
            expect(line.startsWith('to|')).toBe(true);
            expect(command.target.includes('|')).toBe(false);
            expect(line === `to|${command.target}` || line === `to|${command.target}|${command.content}`).toBe(true);
            break;
          case 'public':
            expect(command.text).toBe(line);
            expect(line === '' || line === 'who' || line.startsWith('rename|') || line.startsWith('to|')).toBe(false);
            break;
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('parses what clientCommands sends back into the same command (property)', () => {
    const text = anyLine.map((s) => s.replace(/\r/g, ''));
    const chop = (wire: string) => wire.split('\n').slice(0, -1);
    fc.assert(
      fc.property(validName, text, (name, body) => {
        expect(chop(clientCommands.rename(name)).map(parseCommand)).toEqual([{ kind: 'rename', name }]);
        expect(chop(clientCommands.who()).map(parseCommand)).toEqual([{ kind: 'who' }]);
        // The article's client ends a private message with \n\n: the second line is empty, never public.
        expect(chop(clientCommands.private(name, body)).map(parseCommand)).toEqual([
          { kind: 'private', target: name, content: body },
          { kind: 'empty' },
        ]);
        const publicLine = chop(clientCommands.public(body));
        expect(publicLine).toEqual([body]);
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("writes the article's exact client bytes", () => {
    expect(clientCommands.public('hi')).toBe('hi\n');
    expect(clientCommands.private('张三', '你好啊')).toBe('to|张三|你好啊\n\n');
    expect(clientCommands.rename('bob')).toBe('rename|bob\n');
    expect(clientCommands.who()).toBe('who\n');
  });
});
