import { removeInvisible } from './invisible.js';
import { lookalikeKey } from './lookalike.js';

// Every line the server sends. The wire strings live here and in events.ts's matchers only.

export const PRESENCE = { joined: '已上线', left: '下线', listed: '在线...' } as const;

export const PRIVATE_MARK = '对您说:';
export const RENAMED_PREFIX = '您已经更新用户名:';
export const LINE_TOO_LONG = { before: '消息过长：每行最多', after: '字节' } as const;

const userLine = (addr: string, name: string, text: string) => `[${addr}]${name}:${text}\n`;

export const replies = {
  joined: (addr: string, name: string) => userLine(addr, name, PRESENCE.joined),
  left: (addr: string, name: string) => userLine(addr, name, PRESENCE.left),
  listed: (addr: string, name: string) => userLine(addr, name, PRESENCE.listed),
  public: (addr: string, name: string, text: string) => userLine(addr, name, text),
  private: (fromName: string, content: string) => `${fromName}${PRIVATE_MARK}${content}\n`,
  renamed: (name: string) => `${RENAMED_PREFIX}${name}\n`,
  nameInUse: () => '当前用户名被使用\n',
  badPrivateFormat: () => '消息格式不正确，请使用"to|张三|你好啊"格式,\n',
  noSuchUser: () => '该用户名不存在\n',
  emptyPrivate: () => '无消息内容，请重发\n',
  idleKick: () => '你被超时踢出了\n',
  invalidName: () => '用户名不合法：只能用1-32个字母、数字、汉字或_-.，须含字母或数字，不能含形似:[]|的字符\n',
  lineTooLong: (maxLineBytes: number) => `${LINE_TOO_LONG.before}${maxLineBytes}${LINE_TOO_LONG.after}\n`,
  reserved: () => '该内容为系统保留，未发送\n',
  serverFull: () => '服务器已满，请稍后再试\n',
  tooManyConnections: () => '来自您地址的连接过多，请稍后再试\n',
  serverClosing: () => '服务器已关闭\n',
  signedInElsewhere: () => '您已从别处重新登录，此连接已关闭\n',
  roomUnreachable: () => '服务器与聊天室失去联系，未发送的消息请重新连接后再发\n',
} as const;

let presenceKeys: Set<string> | undefined;
const PRESENCE_MAX_LENGTH = 4 * Math.max(...Object.values(PRESENCE).map((word) => word.length));

/**
 * Whether a public message would pass for a join, leave or `who` line: a presence word, however padded
 * with spaces or invisible characters and in whatever look-alike spelling (`下线\u200b`, ` 已上线\u3164`).
 */
export function isPresenceWord(text: string): boolean {
  const visible = removeInvisible(text).trim();
  // Far longer than any spelling of a presence word: not worth a key, and public lines are many.
  if (visible.length > PRESENCE_MAX_LENGTH) return false;
  presenceKeys ??= new Set(Object.values(PRESENCE).map(lookalikeKey));
  return presenceKeys.has(lookalikeKey(visible).trim());
}
