import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import ssh2 from 'ssh2';
import { describeFileError } from '../cli/file-error.js';

const { utils } = ssh2;

export type PublicKey = ssh2.ParsedKey;

/** A key file that cannot be read, parsed or written; the message is one line for the operator. */
export class KeyFileError extends Error {}

/** A key's fingerprint as `ssh-keygen -lf` prints it: `SHA256:` and the unpadded base64 of its hash. */
export function fingerprintOf(key: PublicKey): string {
  const hash = createHash('sha256').update(key.getPublicSSH()).digest('base64');
  return `SHA256:${hash.replace(/=+$/, '')}`;
}

/** A public key as a client offers it (the SSH wire blob), or undefined when it is not one ssh2 knows. */
export function parsePublicKey(blob: Buffer): PublicKey | undefined {
  const key = utils.parseKey(blob);
  return key instanceof Error || Array.isArray(key) ? undefined : key;
}

export interface HostKey {
  /** The private key in OpenSSH format, as the SSH server takes it. */
  privateKey: Buffer;
  fingerprint: string;
  /** True when this start created the key file. */
  created: boolean;
}

/**
 * The host key at `path`, generated there (ed25519, readable by its owner alone) when there is no file
 * yet, so that clients see the same key on every start and never a changed-key warning.
 */
export function loadOrCreateHostKey(path: string): HostKey {
  let text: Buffer;
  let created = false;
  try {
    text = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new KeyFileError(`cannot read the SSH host key ${path}: ${describeFileError(error)}`);
    }
    text = Buffer.from(generateEd25519().private);
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      // `wx`: two servers starting at once must not each write a key and leave the other's in use.
      writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
      created = true;
    } catch (writeError) {
      if ((writeError as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateHostKey(path);
      throw new KeyFileError(`cannot write the SSH host key ${path}: ${describeFileError(writeError)}`);
    }
  }
  const key = utils.parseKey(text);
  if (key instanceof Error || Array.isArray(key) || !key.isPrivateKey()) {
    const why = key instanceof Error ? key.message : 'not a single private key';
    throw new KeyFileError(`cannot use the SSH host key ${path}: ${why}`);
  }
  return { privateKey: text, fingerprint: fingerprintOf(key), created };
}

/**
 * A new ed25519 key pair in OpenSSH format. ssh2 1.17 drops the leading zero byte of a public key that
 * starts with one (about one key in 256) and then cannot read the key it wrote: such a key is thrown
 * away and another one made.
 */
export function generateEd25519(comment = ''): { private: string; public: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) {
      return pair;
    }
  }
}

/** The keys an authorized_keys file lists, for a server that admits no one else. */
export class AuthorizedKeys {
  private constructor(private readonly blobs: ReadonlySet<string>) {}

  /**
   * Reads an OpenSSH authorized_keys file: one key a line, `#` comments and blank lines skipped. Options
   * before a key are skipped, not enforced. A line that holds no key is an error, not a silent gap, and so
   * is a file that lists none.
   */
  static load(path: string): AuthorizedKeys {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new KeyFileError(`cannot read the SSH authorized keys ${path}: ${describeFileError(error)}`);
    }
    const blobs = new Set<string>();
    text.split(/\r?\n/).forEach((line, index) => {
      const trimmed = line.trim();
      if (trimmed === '' || trimmed.startsWith('#')) return;
      const key = parseAuthorizedLine(trimmed);
      if (key === undefined) throw new KeyFileError(`${path} line ${index + 1}: not a public key`);
      blobs.add(key.getPublicSSH().toString('base64'));
    });
    // A door nobody may come in by is a mistake, not a private room.
    if (blobs.size === 0) throw new KeyFileError(`${path}: lists no public key`);
    return new AuthorizedKeys(blobs);
  }

  get size(): number {
    return this.blobs.size;
  }

  admits(key: PublicKey): boolean {
    return this.blobs.has(key.getPublicSSH().toString('base64'));
  }
}

/** A line is `[options] type base64 [comment]`; the key starts at the first word that parses as one. */
function parseAuthorizedLine(line: string): PublicKey | undefined {
  const words = line.split(/\s+/);
  for (let start = 0; start < words.length - 1; start += 1) {
    const key = utils.parseKey(words.slice(start).join(' '));
    if (!(key instanceof Error) && !Array.isArray(key) && !key.isPrivateKey()) return key;
  }
  return undefined;
}
