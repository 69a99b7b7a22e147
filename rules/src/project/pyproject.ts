import { dirname, join, normalize } from 'node:path';
import { parse, TomlError } from 'smol-toml';
import type { ProjectFiles } from './files.js';

/** What the project model takes from a `pyproject.toml`: folders that hold top-level packages. */
export interface PyprojectRoots {
  /** Absolute folders, in the order the file names them. */
  readonly roots: readonly string[];
  /** Why the file was not used (it does not parse), for the log; null when it was read. */
  readonly problem: string | null;
}

type Table = Record<string, unknown>;

function table(value: unknown): Table | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Table) : null;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The package folders a `pyproject.toml` declares, as the build backends read them:
 * - setuptools: `[tool.setuptools.packages.find] where = ["src"]` and `[tool.setuptools] package-dir = { "" = "src" }`;
 * - poetry: `packages = [{ include = "shop", from = "src" }]`;
 * - hatch: `[tool.hatch.build.targets.wheel] packages = ["src/shop"]` (the folder above each package);
 * - ours: `[tool.otel-async-lint] source-roots = ["lib"]`.
 * A file that does not parse gives no roots and a problem sentence; a key of the wrong type is skipped.
 */
export function pyprojectRoots(files: ProjectFiles, path: string): PyprojectRoots {
  const text = files.readText(path);
  if (text === null) return { roots: [], problem: null };
  let document: Table;
  try {
    document = parse(text);
  } catch (error) {
    const detail = error instanceof TomlError ? `line ${error.line}, column ${error.column}: ${error.message.split('\n')[0] ?? ''}` : String(error);
    return { roots: [], problem: `${path} is not valid TOML (${detail}); its package folders are not used for the project model.` };
  }
  const folder = dirname(path);
  const found: string[] = [];
  const add = (relative: string): void => {
    const absolute = normalize(join(folder, relative));
    if (!found.includes(absolute)) found.push(absolute);
  };
  const tool = table(document.tool);

  const ours = table(tool?.['otel-async-lint']);
  for (const root of strings(ours?.['source-roots'])) add(root);

  const setuptools = table(tool?.setuptools);
  const packages = table(setuptools?.packages);
  for (const where of strings(table(packages?.find)?.where)) add(where);
  const packageDir = table(setuptools?.['package-dir']);
  if (typeof packageDir?.[''] === 'string') add(packageDir['']);

  const poetry = table(tool?.poetry);
  if (Array.isArray(poetry?.packages)) {
    for (const entry of poetry.packages) {
      const from = table(entry)?.from;
      if (typeof from === 'string') add(from);
    }
  }

  const wheel = table(table(table(table(tool?.hatch)?.build)?.targets)?.wheel);
  for (const packagePath of strings(wheel?.packages)) {
    const parent = dirname(packagePath);
    add(parent === '' ? '.' : parent);
  }
  return { roots: found, problem: null };
}
