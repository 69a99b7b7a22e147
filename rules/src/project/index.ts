import { isAbsolute, resolve } from 'node:path';
import type { PythonSourceCode } from '../language/python-source-code.js';
import { getSemanticModel, type SemanticModel } from '../semantic/index.js';
import { Project, ProjectIndex } from './project.js';
import type { SourceLayout } from './roots.js';

export { Project, ProjectIndex, type ProjectClass, type ProjectFunction } from './project.js';
export { ProjectFiles, MAX_MODULE_BYTES } from './files.js';
export { sourceLayout, moduleIdentity, locateModule, type SourceLayout, type ModuleLocation } from './roots.js';
export { pyprojectRoots } from './pyproject.js';
export { summarizeModule, type ModuleSummary, type FunctionSummary, type ClassSummary, type CallFact, type ShutdownSummary } from './summary.js';

/**
 * The process's project index: one for every lint of the process (the CLI's files, the server's
 * documents), so each module is read and summarized once per content.
 */
export const projectIndex = new ProjectIndex();

/** What a rule context offers that the project layer reads. */
export interface ProjectContext {
  readonly sourceCode: PythonSourceCode;
  readonly physicalFilename: string;
  readonly cwd: string;
  readonly settings: Readonly<Record<string, unknown>>;
}

/** Where a linted file sits in its project. */
export interface ModuleProject {
  /** The linted file, absolute. */
  readonly path: string;
  readonly layout: SourceLayout;
  readonly project: Project;
}

const projects = new WeakMap<SemanticModel, ModuleProject>();

/**
 * The source roots named in the config: `settings: { 'otel-async': { python: { sourceRoots: ['src'] } } }`,
 * relative to ESLint's working folder. A value of the wrong shape is ignored (and said once in the
 * index's problems), so a typo never stops linting.
 */
export function configuredSourceRoots(settings: Readonly<Record<string, unknown>>): string[] {
  const ours = settings['otel-async'];
  const python = typeof ours === 'object' && ours !== null ? (ours as Record<string, unknown>).python : undefined;
  const roots = typeof python === 'object' && python !== null ? (python as Record<string, unknown>).sourceRoots : undefined;
  if (roots === undefined) return [];
  if (Array.isArray(roots) && roots.every((root): root is string => typeof root === 'string' && root !== '')) return roots;
  projectIndex.problems.add(`settings["otel-async"].python.sourceRoots must be an array of folder paths; got ${JSON.stringify(roots)}. It is ignored.`);
  return [];
}

/** Whether ESLint's file name is a real path (not `<input>` or `<text>`, which stand for text without a file). */
function isFilePath(name: string): boolean {
  return name !== '' && !/^<[^>]*>$/u.test(name);
}

/**
 * The semantic model of the file a rule lints, with its place in the project: relative imports made
 * absolute, the module's own defs named, and names followed into other modules. Every Python rule
 * gets its model here (the model is shared by all rules of one lint).
 */
export function getProjectModel(context: ProjectContext): SemanticModel {
  let located: ModuleProject | null = null;
  const model = getSemanticModel(context.sourceCode, () => {
    if (!isFilePath(context.physicalFilename)) return {};
    const path = isAbsolute(context.physicalFilename) ? context.physicalFilename : resolve(context.cwd, context.physicalFilename);
    projectIndex.noteLintText(path, context.sourceCode.text);
    const { layout, project } = projectIndex.projectFor(path, configuredSourceRoots(context.settings), context.cwd);
    located = { path, layout, project };
    return { identity: layout.identity, resolver: project };
  });
  if (located !== null) {
    const found: ModuleProject = located;
    projects.set(model, found);
    projectIndex.attachLintModel(found.path, model);
  }
  return model;
}

/** The project of a model made by {@link getProjectModel}; null for text without a file. */
export function projectOf(model: SemanticModel): ModuleProject | null {
  return projects.get(model) ?? null;
}
