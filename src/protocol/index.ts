export { formatAddr } from './addr.js';
export { MAX_COMMAND_BYTES, isCommandLike, splitText } from './client-limits.js';
export { clientCommands, parseCommand, type Command } from './commands.js';
export { parseServerLine, type NoticeKind, type ServerEvent } from './events.js';
export { LineSplitter, type Framed } from './lines.js';
export { MAX_NAME_CHARACTERS, isValidName, nameKey, namesFor } from './names.js';
export { PRESENCE, isPresenceWord, replies } from './replies.js';
export { stripControlCharacters } from './sanitize.js';
