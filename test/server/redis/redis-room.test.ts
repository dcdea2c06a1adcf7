import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ChatServer } from '../../../src/server/chat-server.js';
import { redactedUrl } from '../../../src/server/room/redis-room.js';
import { RedisUnreachableError } from '../../../src/server/room/redis-unreachable.js';
import { LineClient, startCluster, stopAll } from '../../support/chat-server.js';
import { RedisServer } from '../../support/redis-server.js';

let redis: RedisServer;
beforeAll(async () => {
  redis = await RedisServer.start();
});
afterAll(() => redis.stop());
afterEach(stopAll);

describe('the shared room', () => {
  it('fails the start, in one line without the password, when Redis cannot be reached', async () => {
    const server = new ChatServer({
      host: '127.0.0.1',
      port: 0,
      redis: { url: 'redis://:secret@127.0.0.1:1/0', prefix: 'chat', outageLimitMs: 30_000 },
    });
    const started = server.start();
    await expect(started).rejects.toBeInstanceOf(RedisUnreachableError);
    await expect(started).rejects.toThrow(/^cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1\/0: /);
  });

  it('never shows a password in a URL it reports', () => {
    expect(redactedUrl('redis://user:pw@redis.internal:6379/2')).toBe('redis://user:***@redis.internal:6379/2');
    expect(redactedUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(redactedUrl('not a url')).toBe('not a url');
  });

  it('announces one who came and went while Redis was away in full (joined, then left) or not at all', async () => {
    const { ports } = await startCluster(redis.url, {}, 2);
    const bob = await LineClient.join(ports[1]!);
    await redis.stop();
    const passing = await LineClient.open(ports[0]!);
    passing.send('who\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    passing.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await redis.resume();
    const later = await LineClient.join(ports[0]!);
    await bob.waitForLine((line) => line === `[${later.addr}]${later.addr}:已上线`, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const about = bob.lines.filter((line) => line.includes(passing.addr));
    // A client that half-closes is still owed the end of its join: the session finishes it, then leaves.
    if (about.length > 0) {
      expect(about).toEqual([`[${passing.addr}]${passing.addr}:已上线`, `[${passing.addr}]${passing.addr}:下线`]);
    }
    expect(passing.lines).toEqual([]);
  }, 30_000);
});
