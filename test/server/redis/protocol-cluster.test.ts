// The protocol conformance suite again, with the clients of each test spread over three processes that
// share one room through Redis: nothing a client sees may tell it the room is spread.
import { afterAll } from 'vitest';
import { spreadOverCluster } from '../../support/chat-server.js';
import { RedisServer } from '../../support/redis-server.js';

const redis = await RedisServer.start();
spreadOverCluster(redis.url);
afterAll(() => redis.stop());

await import('../protocol.test.js');
