import type { Lang } from './i18n.js';

/** One row of the key table: the keys (or command) and what they do, in each language. */
export interface KeyEntry {
  readonly keys: string | Readonly<Record<Lang, string>>;
  readonly what: Readonly<Record<Lang, string>>;
}

/**
 * Every key and command of the screen, in one table: the help overlay draws it, and docs/CLIENT.md shows
 * the same rows (a test keeps them equal). The key handler (controller.ts) and the commands (commands.ts)
 * must do what this says.
 */
export const KEY_TABLE: { readonly keys: readonly KeyEntry[]; readonly commands: readonly KeyEntry[] } = {
  keys: [
    {
      keys: 'Enter',
      what: {
        en: 'send the line; a pasted block sends one message per line, in the mode you are in',
        zh: '发送；粘贴的多行：每行一条，按当前模式发送',
      },
    },
    { keys: 'F2 or Alt+1', what: { en: 'public chat', zh: '公聊' } },
    {
      keys: 'F3 or Alt+2',
      what: {
        en: 'private chat: with your partner so far, else pick one from the list',
        zh: '私聊：与当前对象，否则从列表中选择',
      },
    },
    { keys: 'F4 or Alt+3', what: { en: 'rename: type the new name and press Enter', zh: '改名：输入新名字后回车' } },
    {
      keys: 'Esc',
      what: { en: 'back to public chat; close the help; leave the user list', zh: '回到公聊；关闭帮助；离开用户列表' },
    },
    {
      keys: 'Tab',
      what: {
        en: 'complete a name; on an empty line: the user list (↑/↓ and Enter)',
        zh: '补全用户名；空行时：进入用户列表（↑/↓ 和回车）',
      },
    },
    {
      keys: '↑ / ↓',
      what: {
        en: 'earlier lines you sent, each in the mode it was sent in; in the user list: select',
        zh: '输入历史（按原来的模式）；用户列表中：选择',
      },
    },
    {
      keys: '← → Ctrl+A/E',
      what: {
        en: 'move in the line; Ctrl+U clears it, Ctrl+W deletes a word',
        zh: '移动光标；Ctrl+U 清空，Ctrl+W 删除一个词',
      },
    },
    {
      keys: 'PgUp PgDn Home End',
      what: {
        en: 'scroll a page; the oldest kept message; the newest, following again',
        zh: '翻页；最早的消息；最新的消息（并继续跟随）',
      },
    },
    {
      keys: 'Ctrl+R',
      what: {
        en: 'reconnect now (after an idle kick, or while waiting to retry)',
        zh: '立即重连（超时断开后或等待重试时）',
      },
    },
    { keys: 'F1 or Alt+h', what: { en: 'this help', zh: '本帮助' } },
    { keys: 'Ctrl+C', what: { en: 'quit (Ctrl+D too, on an empty line)', zh: '退出（空行时 Ctrl+D 也可）' } },
  ],
  commands: [
    {
      keys: { en: '/msg name text', zh: '/msg 用户名 内容' },
      what: { en: 'a private message, without leaving the mode you are in', zh: '私聊一条，不离开当前模式' },
    },
    { keys: { en: '/nick name', zh: '/nick 用户名' }, what: { en: 'rename', zh: '改名' } },
    { keys: '/who', what: { en: 'list who is online in the message pane', zh: '在消息区列出在线用户' } },
    {
      keys: '/help /quit /reconnect /bell',
      what: { en: 'this help; quit; reconnect now; bell on or off', zh: '帮助；退出；立即重连；提示音开关' },
    },
    {
      keys: { en: '/me action', zh: '/me 动作' },
      what: { en: 'an action: everyone sees * you action', zh: '动作：大家看到 * 你 动作' },
    },
    {
      keys: { en: '/ignore name /unignore', zh: '/ignore 用户名 /unignore' },
      what: {
        en: "hide someone's lines here; /unignore name (or alone: everyone)",
        zh: '在本屏隐藏某人的消息；/unignore 取消',
      },
    },
    {
      keys: '/clear /joins /seconds',
      what: {
        en: 'clear the pane; joins and leaves on or off; seconds in times',
        zh: '清屏；显示/隐藏上下线；时间显示秒',
      },
    },
    { keys: '//text', what: { en: 'send /text as an ordinary message', zh: '把 /text 作为普通消息发送' } },
  ],
};

export function keysOf(entry: KeyEntry, lang: Lang): string {
  return typeof entry.keys === 'string' ? entry.keys : entry.keys[lang];
}

/** The table as docs/CLIENT.md shows it: two Markdown tables, English. */
export function markdownKeyTable(): string {
  const escape = (text: string) => text.replaceAll('|', '\\|');
  const rows = (entries: readonly KeyEntry[], code: boolean) =>
    entries.map((entry) => {
      const keys = keysOf(entry, 'en');
      return `| ${code ? `\`${keys}\`` : keys} | ${escape(entry.what.en)} |`;
    });
  return [
    '| key | what it does |',
    '|---|---|',
    ...rows(KEY_TABLE.keys, false),
    '',
    'Commands, typed at the start of a line in any mode:',
    '',
    '| command | what it does |',
    '|---|---|',
    ...rows(KEY_TABLE.commands, true),
  ].join('\n');
}
