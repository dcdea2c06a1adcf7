export type Lang = 'en' | 'zh';

/** Every label the screen shows. Lines from the wire are shown as they came; only our own words are here. */
export interface Labels {
  lang: Lang;
  youAre: (name: string) => string;
  you: string;
  /** In the sidebar: spoke less than a minute ago. */
  justNow: string;
  online: (count: number) => string;
  status: {
    connecting: string;
    connected: string;
    reconnecting: (seconds: number) => string;
    kicked: string;
    notChat: string;
  };
  modes: { public: string; private: (name: string) => string; privateChoose: string; rename: string };
  hints: { scroll: string; help: string };
  newMessages: (count: number, mentions: number) => string;
  bell: (on: boolean) => string;
  scrolledBack: string;
  joined: (name: string) => string;
  left: (name: string) => string;
  listed: (name: string, addr: string) => string;
  renamed: (name: string) => string;
  /** Someone else's rename, inferred from a line under a new name. */
  nowKnownAs: (from: string, name: string) => string;
  nameTaken: (name: string, next: string) => string;
  connectedTo: (server: string) => string;
  notChatServer: (server: string) => string;
  connectionLost: (reason: string) => string;
  /** Messages typed but still queued when the connection closed. */
  unsent: (count: number) => string;
  kicked: string;
  pressToReconnect: string;
  serverClosing: string;
  serverFull: string;
  tooManyConnections: string;
  nameInUse: string;
  invalidName: string;
  noSuchUser: string;
  /** After a private message the server refused. */
  privateRefused: string;
  emptyPrivate: string;
  badPrivateFormat: string;
  reserved: string;
  lineTooLong: (maxLineBytes: number) => string;
  unknownCommand: (command: string) => string;
  notConnected: string;
  usage: { msg: string; nick: string; me: string; ignore: string };
  ignoring: (name: string, on: boolean) => string;
  setting: { joins: (on: boolean) => string; seconds: (on: boolean) => string };
  /** The SSH door of --serve: how to come in by it, or why it is shut. */
  ssh: {
    open: (command: string) => string;
    /** Open to the keys an authorized keys file lists, and no one else. */
    private: (command: string, keys: number) => string;
    inUse: (where: string) => string;
    denied: (where: string) => string;
    failed: (reason: string) => string;
  };
  renamePrompt: string;
  privatePrompt: string;
  chooseUser: string;
  help: { title: string };
}

const en: Labels = {
  lang: 'en',
  youAre: (name) => `you are ${name}`,
  you: 'you',
  justNow: 'now',
  online: (count) => `Online (${count})`,
  status: {
    connecting: '○ connecting',
    connected: '● connected',
    reconnecting: (seconds) => `○ retry in ${seconds}s`,
    kicked: '○ idle kick · Ctrl+R',
    notChat: '○ not a chat server · Ctrl+R',
  },
  modes: {
    public: 'Public',
    private: (name) => `Private: ${name}`,
    privateChoose: 'Private',
    rename: 'Rename',
  },
  hints: { scroll: 'PgUp/PgDn', help: 'F1 help' },
  newMessages: (count, mentions) => `↓ ${count} new${mentions > 0 ? ` · ${mentions} for you` : ''}`,
  bell: (on) => (on ? 'bell on: private messages and mentions ring' : 'bell off'),
  scrolledBack: '↓ End: newest',
  joined: (name) => `${name} joined`,
  left: (name) => `${name} left`,
  listed: (name, addr) => `online: ${name} (${addr})`,
  renamed: (name) => `you are now ${name}`,
  nowKnownAs: (from, name) => `${from} is now ${name}`,
  nameTaken: (name, next) => `${name} is taken: asking for ${next}`,
  connectedTo: (server) => `connected to ${server}`,
  notChatServer: (server) => `${server} is not a chat server: it does not speak the chat protocol. Disconnected.`,
  connectionLost: (reason) => `connection lost (${reason})`,
  unsent: (count) =>
    count === 1
      ? '1 message was not sent: the connection closed before it went out'
      : `${count} messages were not sent: the connection closed before they went out`,
  kicked: 'the server disconnected you for being idle',
  pressToReconnect: 'press Ctrl+R (or type /reconnect) to reconnect',
  serverClosing: 'the server is shutting down',
  serverFull: 'the server is full',
  tooManyConnections: 'too many connections from your address; try again later',
  nameInUse: 'that name is already in use',
  invalidName: 'invalid name: 1-32 letters, digits, CJK or _ - .',
  noSuchUser: 'no such user online',
  privateRefused: 'not sent',
  emptyPrivate: 'empty private message not sent',
  badPrivateFormat: 'private message needs a name',
  reserved: 'that text is reserved by the server; not sent',
  lineTooLong: (max) => `message too long (max ${max} bytes per line)`,
  unknownCommand: (command) => `unknown command ${command} (try /help)`,
  notConnected: 'not connected: nothing was sent',
  usage: {
    msg: 'usage: /msg name text',
    nick: 'usage: /nick name',
    me: 'usage: /me action',
    ignore: 'usage: /ignore name, /unignore name (or /unignore alone for everyone)',
  },
  ignoring: (name, on) => (on ? `ignoring ${name}: their lines are hidden here` : `no longer ignoring ${name}`),
  setting: {
    joins: (on) => (on ? 'joins and leaves shown' : 'joins and leaves hidden'),
    seconds: (on) => (on ? 'times with seconds' : 'times without seconds'),
  },
  ssh: {
    open: (command) => `others can join by SSH: ${command}`,
    private: (command, keys) => `only the ${keys === 1 ? 'key' : `${keys} keys`} listed can join by SSH: ${command}`,
    inUse: (where) => `no SSH door: ${where} is already in use`,
    denied: (where) => `no SSH door: no permission to listen on ${where}`,
    failed: (reason) => `no SSH door: ${reason}`,
  },
  renamePrompt: 'new name',
  privatePrompt: 'to',
  chooseUser: 'choose a user with ↑/↓ and Enter (Esc to cancel)',
  help: { title: 'Keys · Esc or F1 closes this help' },
};

const zh: Labels = {
  lang: 'zh',
  youAre: (name) => `你是 ${name}`,
  you: '你',
  justNow: '刚刚',
  online: (count) => `在线 (${count})`,
  status: {
    connecting: '○ 连接中',
    connected: '● 已连接',
    reconnecting: (seconds) => `○ ${seconds}秒后重连`,
    kicked: '○ 超时断开 · Ctrl+R',
    notChat: '○ 不是聊天服务器 · Ctrl+R',
  },
  modes: {
    public: '公聊',
    private: (name) => `私聊: ${name}`,
    privateChoose: '私聊',
    rename: '改名',
  },
  hints: { scroll: 'PgUp/PgDn', help: 'F1 帮助' },
  newMessages: (count, mentions) => `↓ ${count} 条新消息${mentions > 0 ? ` · ${mentions} 条提到你` : ''}`,
  bell: (on) => (on ? '提示音已开：私聊和提到你时响铃' : '提示音已关'),
  scrolledBack: '↓ End：最新',
  joined: (name) => `${name} 上线了`,
  left: (name) => `${name} 下线了`,
  listed: (name, addr) => `在线: ${name} (${addr})`,
  renamed: (name) => `你的用户名已改为 ${name}`,
  nowKnownAs: (from, name) => `${from} 现在叫 ${name}`,
  nameTaken: (name, next) => `${name} 已被使用，改用 ${next}`,
  connectedTo: (server) => `已连接 ${server}`,
  notChatServer: (server) => `${server} 不是聊天服务器（不使用聊天协议），已断开`,
  connectionLost: (reason) => `连接断开 (${reason})`,
  unsent: (count) => `连接在发出前断开：${count}条消息未发送`,
  kicked: '你因长时间未发言被服务器断开',
  pressToReconnect: '按 Ctrl+R（或输入 /reconnect）重新连接',
  serverClosing: '服务器正在关闭',
  serverFull: '服务器已满',
  tooManyConnections: '来自您地址的连接过多，请稍后再试',
  nameInUse: '当前用户名被使用',
  invalidName: '用户名不合法：只能用1-32个字母、数字、汉字或_-.',
  noSuchUser: '该用户名不存在',
  privateRefused: '未发送',
  emptyPrivate: '无消息内容，未发送',
  badPrivateFormat: '私聊需要用户名',
  reserved: '该内容为系统保留，未发送',
  lineTooLong: (max) => `消息过长：每行最多${max}字节`,
  unknownCommand: (command) => `未知命令 ${command}（输入 /help 查看）`,
  notConnected: '未连接：没有发送',
  usage: {
    msg: '用法: /msg 用户名 内容',
    nick: '用法: /nick 用户名',
    me: '用法: /me 动作',
    ignore: '用法: /ignore 用户名，/unignore 用户名（不带用户名：全部取消）',
  },
  ignoring: (name, on) => (on ? `已屏蔽 ${name}：不再显示其消息` : `已取消屏蔽 ${name}`),
  setting: {
    joins: (on) => (on ? '显示上线/下线' : '隐藏上线/下线'),
    seconds: (on) => (on ? '时间显示秒' : '时间不显示秒'),
  },
  ssh: {
    open: (command) => `其他人也可用 SSH 加入：${command}`,
    private: (command, keys) => `仅列出的 ${keys} 个密钥可用 SSH 加入：${command}`,
    inUse: (where) => `SSH 未开启：${where} 已被占用`,
    denied: (where) => `SSH 未开启：无权监听 ${where}`,
    failed: (reason) => `SSH 未开启：${reason}`,
  },
  renamePrompt: '新用户名',
  privatePrompt: '发给',
  chooseUser: '用 ↑/↓ 和 Enter 选择用户（Esc 取消）',
  help: { title: '按键 · Esc 或 F1 关闭帮助' },
};

export function labelsFor(lang: Lang): Labels {
  return lang === 'zh' ? zh : en;
}

/** `zh_CN.UTF-8` and friends mean Chinese; anything else English. */
export function langFromEnv(env: NodeJS.ProcessEnv): Lang {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale.toLowerCase().startsWith('zh') ? 'zh' : 'en';
}
