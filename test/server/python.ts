import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Compiles Python source with the real python3; throws with the compiler's message when it is invalid. */
export function assertPythonCompiles(source: string): void {
  const directory = mkdtempSync(join(tmpdir(), 'otel-async-lsp-'));
  try {
    const file = join(directory, 'module.py');
    writeFileSync(file, source);
    execFileSync('python3', ['-m', 'py_compile', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`python3 -m py_compile rejected the text:\n${source}\n${stderr}`);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}
