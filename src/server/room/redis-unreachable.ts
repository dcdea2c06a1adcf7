/** Redis could not be reached (or used) at start. Apart from the room, so the command can name it cheaply. */
export class RedisUnreachableError extends Error {}
