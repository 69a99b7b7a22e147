import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { ModuleIdentity } from '../semantic/model.js';
import type { ProjectFiles } from './files.js';
import { pyprojectRoots } from './pyproject.js';

/** Files and folders that mark the top of a Python project. */
const PROJECT_MARKERS = ['pyproject.toml', 'setup.py', 'setup.cfg', '.git'];
const IDENTIFIER = /^[\p{L}\p{Nl}_][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]*$/u;
const MODULE_FILE = /\.pyi?$/u;

/** Where a file's imports are looked up, and the file's own module name. */
export interface SourceLayout {
  /** Folders that hold top-level modules and packages, in lookup order. */
  readonly roots: readonly string[];
  /** The file's module name under the first root that holds it; null when no root gives it a valid name. */
  readonly identity: ModuleIdentity | null;
  /** Sentences for the log (a pyproject.toml that does not parse). */
  readonly problems: readonly string[];
}

/**
 * The source roots of a Python file, found without configuration, in the order Python's path would
 * try them for an installed or checked-out project:
 * 1. the roots named in settings (absolute, or relative to `cwd`);
 * 2. the package folders of the nearest `pyproject.toml` (setuptools, poetry, hatch, ours);
 * 3. `src/` beside the project marker (pyproject.toml, setup.py, setup.cfg or .git), when it is not itself a package;
 * 4. the project folder itself;
 * 5. the folder above the file's topmost package (its chain of `__init__.py` folders);
 * 6. the file's own folder when it is not in a package (a script: Python puts its folder first on the path).
 */
export function sourceLayout(files: ProjectFiles, filePath: string, configuredRoots: readonly string[], cwd: string): SourceLayout {
  const roots: string[] = [];
  const problems: string[] = [];
  const add = (folder: string): void => {
    if (!roots.includes(folder) && files.isDirectory(folder)) roots.push(folder);
  };
  for (const root of configuredRoots) add(resolve(cwd, root));

  const folder = dirname(filePath);
  const project = projectFolder(files, folder);
  if (project !== null) {
    const pyproject = join(project, 'pyproject.toml');
    if (files.isFile(pyproject)) {
      const declared = pyprojectRoots(files, pyproject);
      if (declared.problem) problems.push(declared.problem);
      for (const root of declared.roots) add(root);
    }
    const src = join(project, 'src');
    if (!files.isFile(join(src, '__init__.py'))) add(src);
    add(project);
  }
  add(topOfPackages(files, folder));
  add(folder);

  let identity: ModuleIdentity | null = null;
  for (const root of roots) {
    identity = moduleIdentity(filePath, root);
    if (identity) break;
  }
  return { roots, identity, problems };
}

/** The nearest folder at or above `folder` that holds a project marker, or null. */
function projectFolder(files: ProjectFiles, folder: string): string | null {
  for (let current = folder; ; current = dirname(current)) {
    if (PROJECT_MARKERS.some((marker) => files.kind(join(current, marker)) !== null)) return current;
    if (dirname(current) === current) return null;
  }
}

/** The folder above the topmost package that holds `folder` (or `folder` itself when it is no package). */
function topOfPackages(files: ProjectFiles, folder: string): string {
  let top = folder;
  while (files.isFile(join(top, '__init__.py')) || files.isFile(join(top, '__init__.pyi'))) {
    const parent = dirname(top);
    if (parent === top) break;
    top = parent;
  }
  return top;
}

/**
 * The module a file is under a root: `root/shop/pricing.py` is `shop.pricing`, `root/shop/__init__.py`
 * the package `shop`. Null when the file is not under the root or a part of its path is no identifier.
 */
export function moduleIdentity(filePath: string, root: string): ModuleIdentity | null {
  const path = relative(root, filePath);
  if (path === '' || path.startsWith('..') || resolve(root, path) !== resolve(filePath) || !MODULE_FILE.test(path)) return null;
  const parts = path.replace(MODULE_FILE, '').split(sep);
  const isPackage = parts[parts.length - 1] === '__init__';
  if (isPackage) parts.pop();
  if (parts.length === 0 || !parts.every((part) => IDENTIFIER.test(part))) return null;
  return { name: parts.join('.'), isPackage };
}

/** Where a module name's file is under the roots: `a/b.py`, `a/b/__init__.py`, or a namespace folder `a/b/`. */
export interface ModuleLocation {
  /** The module's file; null for a namespace package (a folder without `__init__.py`). */
  readonly path: string | null;
  readonly folder: string;
  readonly isPackage: boolean;
}

/** What module lookup asks of the file system. */
export interface PathLookup {
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
}

/** Finds a dotted module name under the roots, first root first (a regular module or package wins over a namespace folder). */
export function locateModule(files: PathLookup, roots: readonly string[], name: string): ModuleLocation | null {
  const parts = name.split('.');
  if (!parts.every((part) => IDENTIFIER.test(part))) return null;
  let namespace: ModuleLocation | null = null;
  for (const root of roots) {
    const base = join(root, ...parts);
    for (const init of ['__init__.py', '__init__.pyi']) {
      const path = join(base, init);
      if (files.isFile(path)) return { path, folder: base, isPackage: true };
    }
    for (const extension of ['.py', '.pyi']) {
      const path = `${base}${extension}`;
      if (files.isFile(path)) return { path, folder: dirname(path), isPackage: false };
    }
    if (namespace === null && files.isDirectory(base) && basename(base) !== '__pycache__') namespace = { path: null, folder: base, isPackage: true };
  }
  return namespace;
}
