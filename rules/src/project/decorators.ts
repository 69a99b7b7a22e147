import type { PyNode } from '../language/generated/node-types.js';
import type { SemanticModel } from '../semantic/model.js';
import { projectOf } from './index.js';
import type { Project, ProjectFunction } from './project.js';

/**
 * "Does this decorator make a generator function a context manager?": `contextlib.contextmanager` and
 * its async twin, OpenTelemetry's `_agnosticcontextmanager` (which `start_as_current_span` is built
 * with, and instrumentation libraries copy), pytest fixtures, and any project function that returns
 * one of those applied to its argument, or a wrapper whose result is an instance of a generator
 * context-manager class.
 */

const KNOWN = new Set([
  'contextlib.contextmanager',
  'contextlib.asynccontextmanager',
  'opentelemetry.util._decorator._agnosticcontextmanager',
  'pytest.fixture',
  'pytest_asyncio.fixture',
]);

/** Classes whose instances are context managers that drive a generator. */
const GENERATOR_CONTEXT_MANAGERS = new Set([
  'contextlib._GeneratorContextManager',
  'contextlib._AsyncGeneratorContextManager',
  'contextlib._GeneratorContextManagerBase',
  'contextlib.AbstractContextManager',
  'contextlib.AbstractAsyncContextManager',
  'opentelemetry.util._decorator._AgnosticContextManager',
]);

/** Whether `@<expression>` (or `@<expression>(...)`) makes the function it decorates a context manager. */
export function isContextManagerDecorator(model: SemanticModel, expression: PyNode | null | undefined): boolean {
  const target = expression?.type === 'call' ? expression.function : expression;
  const name = model.qualifiedName(target);
  if (name === null) return false;
  if (KNOWN.has(name)) return true;
  const project = projectOf(model)?.project;
  const decorator = project?.functionAt(name);
  return project !== undefined && decorator !== null && decorator !== undefined && wrapsInContextManager(project, decorator);
}

function wrapsInContextManager(project: Project, decorator: ProjectFunction): boolean {
  const { module, fn } = decorator;
  if (fn.returns !== null && returnsContextManager(project, fn.returns)) return true;
  const wrapper = fn.returnsFunction ? module.functions.get(fn.returnsFunction) : undefined;
  return wrapper?.returns !== null && wrapper?.returns !== undefined && returnsContextManager(project, wrapper.returns);
}

/** `contextlib.contextmanager(fn)` (written `contextlib.contextmanager()`), or an instance of a generator context-manager class. */
function returnsContextManager(project: Project, localName: string): boolean {
  const name = project.canonical(localName);
  if (name.endsWith('()') && KNOWN.has(name.slice(0, -2))) return true;
  if (!name.endsWith('()')) return false;
  const className = name.slice(0, -2);
  if (GENERATOR_CONTEXT_MANAGERS.has(className)) return true;
  const cls = project.classAt(className);
  return cls !== null && project.ancestorsOf(cls).some((ancestor) => GENERATOR_CONTEXT_MANAGERS.has(ancestor));
}
