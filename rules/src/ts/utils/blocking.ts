import { promises as fsPromises } from 'node:fs';
import type { QualifiedName } from './imports.js';

/** What kind of blocking call it is, for messages. */
export type BlockingKind = 'file system' | 'child process' | 'compression' | 'key derivation' | 'thread wait' | 'configured';

const CHILD_PROCESS = new Set(['execSync', 'execFileSync', 'spawnSync']);
const CRYPTO = new Set(['pbkdf2Sync', 'scryptSync', 'generateKeyPairSync', 'generateKeySync', 'generatePrimeSync', 'hkdfSync']);

/**
 * `fs.*Sync` functions whose promise form in `fs.promises` takes the same arguments and gives the
 * same result. Descriptor-based ones (`openSync` → a FileHandle, `readSync(fd)`) and `existsSync`
 * (no promise form) are still reported, without a suggested replacement.
 */
const SAME_SHAPE_PROMISE_FORMS = new Set([
  'access', 'appendFile', 'chmod', 'chown', 'copyFile', 'cp', 'lchown', 'link', 'lstat', 'lutimes', 'mkdir', 'mkdtemp',
  'opendir', 'readFile', 'readdir', 'readlink', 'realpath', 'rename', 'rm', 'rmdir', 'stat', 'statfs', 'symlink',
  'truncate', 'unlink', 'utimes', 'writeFile',
]);

export interface BlockingCall {
  readonly kind: BlockingKind;
  /** The `fs.promises` function with the same arguments, when there is one. */
  readonly promiseForm?: string;
}

/** Whether a qualified callee is a synchronous Node API that blocks the event loop. */
export function blockingCall(name: QualifiedName): BlockingCall | undefined {
  const [first, second] = name.path;
  if (name.path.length !== 1) {
    return name.module === '' && first === 'Atomics' && second === 'wait' && name.path.length === 2 ? { kind: 'thread wait' } : undefined;
  }
  if (first === undefined) return undefined;
  switch (name.module) {
    case 'fs': {
      if (!first.endsWith('Sync')) return undefined;
      const base = first.slice(0, -4);
      const available = SAME_SHAPE_PROMISE_FORMS.has(base) && typeof (fsPromises as unknown as Record<string, unknown>)[base] === 'function';
      return available ? { kind: 'file system', promiseForm: base } : { kind: 'file system' };
    }
    case 'child_process':
      return CHILD_PROCESS.has(first) ? { kind: 'child process' } : undefined;
    case 'zlib':
      return first.endsWith('Sync') ? { kind: 'compression' } : undefined;
    case 'crypto':
      return CRYPTO.has(first) ? { kind: 'key derivation' } : undefined;
    default:
      return undefined;
  }
}

/** A qualified name as users write it in options: `fs.readFileSync`, `better-sqlite3.Database`, `@scope/pkg.fn`. */
export function qualifiedText(name: QualifiedName): string {
  return [name.module, ...name.path].filter(Boolean).join('.');
}
