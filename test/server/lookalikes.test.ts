import { afterEach, describe, expect, it } from 'vitest';
import { LineClient, startServer, stopAll } from '../support/chat-server.js';

afterEach(stopAll);

const RESERVED = '该内容为系统保留，未发送';
const INVALID_NAME = '用户名不合法：只能用1-32个字母、数字、汉字或_-.，须含字母或数字，不能含形似:[]|的字符';
const NAME_IN_USE = '当前用户名被使用';

async function twoUsers() {
  const { port } = await startServer();
  const alice = await LineClient.join(port);
  const bob = await LineClient.join(port);
  await alice.waitForLine((line) => line === `[${bob.addr}]${bob.addr}:已上线`);
  return { port, alice, bob };
}

describe('presence cannot be faked with invisible characters or spaces', () => {
  it.each([
    ['a zero-width space after', '下线\u200b'],
    ['a space after', '下线 '],
    ['a tab after', '下线\t'],
    ['a zero-width space before', '\u200b已上线'],
    ['a Hangul filler after', '已上线\u3164'],
    ['a soft hyphen after', '下线\u00ad'],
    ['a word joiner inside', '在\u2060线...'],
  ])('refuses a presence word with %s, and nobody else sees it', async (_, text) => {
    const { alice, bob } = await twoUsers();
    const before = bob.lines.length;
    expect(await alice.request(`${text}\n`)).toEqual([RESERVED]);
    expect(await alice.request('still here\n')).toEqual([`[${alice.addr}]${alice.addr}:still here`]);
    await bob.waitForLine((line) => line === `[${alice.addr}]${alice.addr}:still here`);
    expect(bob.lines.slice(before)).toEqual([`[${alice.addr}]${alice.addr}:still here`]);
  });
});

describe('names cannot pass for someone else', () => {
  it.each([
    ['upper case', 'Bob'],
    ['a Cyrillic о', 'b\u043eb'],
    ['fullwidth letters', 'ｂｏｂ'],
    ['a zero for the o', 'b0b'],
  ])('refuses a rename to bob in %s while bob is online', async (_, lookalike) => {
    const { alice, bob } = await twoUsers();
    expect(await bob.request('rename|bob\n')).toEqual(['您已经更新用户名:bob']);
    expect(await alice.request(`rename|${lookalike}\n`)).toEqual([NAME_IN_USE]);
    expect(await alice.request('who\n', 2)).toEqual([
      `[${alice.addr}]${alice.addr}:在线...`,
      `[${bob.addr}]bob:在线...`,
    ]);
  });

  it('refuses bob with an invisible character as invalid, so it never reaches the room', async () => {
    const { alice, bob } = await twoUsers();
    await bob.request('rename|bob\n');
    for (const name of ['bob\u200b', 'bob\u3164', 'bo\u00adb']) {
      expect(await alice.request(`rename|${name}\n`)).toEqual([INVALID_NAME]);
    }
  });

  it('frees the name for every spelling once its holder leaves', async () => {
    const { alice, bob } = await twoUsers();
    await bob.request('rename|bob\n');
    bob.end();
    await alice.waitForLine((line) => line === `[${bob.addr}]bob:下线`);
    expect(await alice.request('rename|Bob\n')).toEqual(['您已经更新用户名:Bob']);
  });

  it('refuses another spelling of the renamer’s own name, as it refuses the name itself', async () => {
    const { alice } = await twoUsers();
    await alice.request('rename|alice\n');
    expect(await alice.request('rename|Alice\n')).toEqual([NAME_IN_USE]);
  });

  it('refuses a name that looks like an addr', async () => {
    const { alice, bob } = await twoUsers();
    expect(await alice.request('rename|127.0.0.1\u02d040000\n')).toEqual([INVALID_NAME]);
    expect(await alice.request('rename|127.0.0.1\uff1a40000\n')).toEqual([INVALID_NAME]);
    alice.send('to|' + bob.addr + '|still from my addr\n');
    await bob.waitForLine((line) => line === `${alice.addr}对您说:still from my addr`);
  });

  it.each(['.', '..', '-', '_', '\u3164'])('refuses %j', async (name) => {
    const { alice } = await twoUsers();
    expect(await alice.request(`rename|${name}\n`)).toEqual([INVALID_NAME]);
  });

  it.each(['हिन्दी', 'ภาษาไทย', 'สมศักดิ์', 'Jos\u00e9'])('accepts %s and shows it as typed', async (name) => {
    const { alice, bob } = await twoUsers();
    expect(await alice.request(`rename|${name}\n`)).toEqual([`您已经更新用户名:${name}`]);
    expect(await alice.request('hello\n')).toEqual([`[${alice.addr}]${name}:hello`]);
    await bob.waitForLine((line) => line === `[${alice.addr}]${name}:hello`);
    expect(await bob.request('who\n', 2)).toEqual([
      `[${alice.addr}]${name}:在线...`,
      `[${bob.addr}]${bob.addr}:在线...`,
    ]);
  });
});

describe('a private message finds its target by how the name looks', () => {
  it.each([
    ['upper case', 'BOB'],
    ['a Cyrillic о', 'b\u043eb'],
    ['the NFD form', 'bo\u0308b'],
  ])('reaches bob when the sender types the name in %s', async (_, typed) => {
    const { alice, bob } = await twoUsers();
    const target = typed === 'bo\u0308b' ? 'b\u00f6b' : 'bob';
    expect(await bob.request(`rename|${target}\n`)).toEqual([`您已经更新用户名:${target}`]);
    alice.send(`to|${typed}|hi\n\n`);
    await bob.waitForLine((line) => line === `${alice.addr}对您说:hi`);
  });

  it('still answers 该用户名不存在 for a name nobody online looks like', async () => {
    const { alice, bob } = await twoUsers();
    await bob.request('rename|bob\n');
    expect(await alice.request('to|bobby|hi\n')).toEqual(['该用户名不存在']);
    expect(await alice.request(`to|${'b\u043eb'.repeat(1000)}|hi\n`)).toEqual(['该用户名不存在']);
  });
});

describe('bidi controls never travel', () => {
  it('removes embeddings, overrides and isolates from a public line, and from a name', async () => {
    const { alice, bob } = await twoUsers();
    alice.send('invoice\u202egpj.exe \u2067שלום\u2069 \u202a\u202b\u202c\u202d\u2066\u2068\n');
    await bob.waitForLine((line) => line === `[${alice.addr}]${alice.addr}:invoicegpj.exe שלום `);
    expect(await alice.request('rename|\u202ebob\n')).toEqual(['您已经更新用户名:bob']);
  });
});
