import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
// The plugin's import loads the Python grammar, which summaries need.
import 'eslint-plugin-otel-async';
import { ProjectIndex, sourceLayout } from 'eslint-plugin-otel-async/project';

// The project layer on small throwaway projects: where roots are found, what module a file is, and
// what names stand for once imports are followed.

const scratch = mkdtempSync(join(tmpdir(), 'otel-async-project-'));
after(() => {
  rmSync(scratch, { recursive: true, force: true });
});
let counter = 0;

/** Writes files (path → text) into a new project folder and returns its path. */
function project(files: Record<string, string>): string {
  const root = join(scratch, `p${++counter}`);
  for (const [path, text] of Object.entries(files)) {
    const file = join(root, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

let index = new ProjectIndex();
beforeEach(() => {
  index = new ProjectIndex();
});

function layoutOf(root: string, file: string, configured: string[] = []) {
  return sourceLayout(index.files, join(root, file), configured, root);
}

function resolverFor(root: string, file: string) {
  return index.projectFor(join(root, file), [], root).project;
}

describe('source roots and module names', () => {
  it('a flat package under a pyproject.toml: the project folder is the root', () => {
    const root = project({ 'pyproject.toml': '', 'shop/__init__.py': '', 'shop/pricing.py': '' });
    assert.deepEqual(layoutOf(root, 'shop/pricing.py').identity, { name: 'shop.pricing', isPackage: false });
    assert.deepEqual(layoutOf(root, 'shop/__init__.py').identity, { name: 'shop', isPackage: true });
  });

  it('src/ layout without configuration', () => {
    const root = project({ 'setup.py': '', 'src/billing/__init__.py': '', 'src/billing/io.py': '' });
    assert.equal(layoutOf(root, 'src/billing/io.py').roots[0], join(root, 'src'));
    assert.deepEqual(layoutOf(root, 'src/billing/io.py').identity, { name: 'billing.io', isPackage: false });
  });

  it('pyproject.toml package folders: setuptools package-dir, poetry `from`, hatch wheel packages, and ours', () => {
    const root = project({
      'pyproject.toml': [
        '[tool.setuptools]',
        'package-dir = { "" = "lib" }',
        '[tool.poetry]',
        'packages = [{ include = "app", from = "apps" }]',
        '[tool.hatch.build.targets.wheel]',
        'packages = ["pkgs/core"]',
        '[tool.otel-async-lint]',
        'source-roots = ["extra"]',
        '',
      ].join('\n'),
      'lib/a.py': '',
      'apps/app/__init__.py': '',
      'pkgs/core/__init__.py': '',
      'extra/x.py': '',
    });
    const { roots } = layoutOf(root, 'lib/a.py');
    assert.deepEqual(roots.slice(0, 4), [join(root, 'extra'), join(root, 'lib'), join(root, 'apps'), join(root, 'pkgs')]);
  });

  it('a pyproject.toml that does not parse is a problem sentence, and the other roots still work', () => {
    const root = project({ 'pyproject.toml': 'packages = [\n', 'pkg/__init__.py': '', 'pkg/m.py': '' });
    const layout = layoutOf(root, 'pkg/m.py');
    assert.deepEqual(layout.identity, { name: 'pkg.m', isPackage: false });
    assert.equal(layout.problems.length, 1);
    assert.match(layout.problems[0] ?? '', /pyproject\.toml is not valid TOML \(line 2/u);
  });

  it('a script outside any package is a top-level module of its own folder', () => {
    const root = project({ 'setup.cfg': '', 'scripts/run.py': '', 'scripts/helpers.py': 'def h():\n    return 1\n' });
    const resolver = resolverFor(root, 'scripts/run.py');
    assert.ok(resolver.functionAt('helpers.h'), 'sibling module found through the script folder');
  });

  it('settings roots come first', () => {
    const root = project({ 'setup.cfg': '', 'code/inv/__init__.py': '', 'code/inv/store.py': '' });
    assert.deepEqual(layoutOf(root, 'code/inv/store.py', ['code']).identity, { name: 'inv.store', isPackage: false });
  });

  it('a folder name that is not an identifier gives no module name', () => {
    const root = project({ 'setup.cfg': '', 'my-scripts/run.py': '' });
    assert.deepEqual(layoutOf(root, 'my-scripts/run.py').identity, { name: 'run', isPackage: false });
    assert.equal(layoutOf(root, 'my-scripts/run.py').roots.includes(root), true);
  });
});

describe('names followed across modules', () => {
  it('imports, re-exports through __init__.py, aliases and module values', () => {
    const root = project({
      'setup.cfg': '',
      'shop/__init__.py': 'from .telemetry import tracer as shop_tracer\nfrom . import telemetry\n',
      'shop/telemetry.py': 'from opentelemetry import trace\n\ntracer = trace.get_tracer(__name__)\n',
      'shop/h.py': '',
    });
    const resolver = resolverFor(root, 'shop/h.py');
    assert.equal(resolver.canonical('shop.shop_tracer.start_span'), 'opentelemetry.trace.get_tracer().start_span');
    assert.equal(resolver.canonical('shop.telemetry.tracer'), 'opentelemetry.trace.get_tracer()');
    assert.equal(resolver.canonical('shop.nothing_here'), 'shop.nothing_here');
    assert.equal(resolver.canonical('requests.get'), 'requests.get');
    assert.equal(resolver.isProjectName('shop.nothing_here'), true);
    assert.equal(resolver.isProjectName('requests.get'), false);
  });

  it('wrapper functions: the agreed return value, through lru_cache, not through async defs or unknown decorators', () => {
    const root = project({
      'setup.cfg': '',
      't.py': [
        'import functools',
        'from opentelemetry import trace',
        'def get_tracer(name):',
        '    return trace.get_tracer(name)',
        '@functools.lru_cache(maxsize=None)',
        'def cached():',
        '    return trace.get_tracer("c")',
        'async def later():',
        '    return trace.get_tracer("l")',
        '@mystery',
        'def wrapped():',
        '    return trace.get_tracer("w")',
        'def either(flag):',
        '    if flag:',
        '        return trace.get_tracer("a")',
        '    return None',
        'def disagree(flag):',
        '    if flag:',
        '        return trace.get_tracer("a")',
        '    return object()',
        '',
      ].join('\n'),
    });
    const resolver = resolverFor(root, 't.py');
    assert.equal(resolver.canonical('t.get_tracer()'), 'opentelemetry.trace.get_tracer()');
    assert.equal(resolver.canonical('t.cached()'), 'opentelemetry.trace.get_tracer()');
    assert.equal(resolver.canonical('t.later()'), 't.later()');
    assert.equal(resolver.canonical('t.wrapped()'), 't.wrapped()');
    assert.equal(resolver.canonical('t.either()'), 'opentelemetry.trace.get_tracer()');
    assert.equal(resolver.canonical('t.disagree()'), 't.disagree()');
  });

  it('classes: self attributes (also set in a base class of another module), properties, inherited methods', () => {
    const root = project({
      'setup.cfg': '',
      'base.py': 'from opentelemetry import trace\nclass Base:\n    def __init__(self):\n        self.tracer = trace.get_tracer("b")\n    def make(self):\n        return trace.get_tracer("m")\n',
      'child.py': [
        'from base import Base',
        'from opentelemetry import trace',
        'class Child(Base):',
        '    @property',
        '    def current(self):',
        '        return trace.get_tracer("p")',
        '',
      ].join('\n'),
    });
    const resolver = resolverFor(root, 'child.py');
    assert.equal(resolver.canonical('child.Child().tracer'), 'opentelemetry.trace.get_tracer()');
    assert.equal(resolver.canonical('child.Child().current.start_span'), 'opentelemetry.trace.get_tracer().start_span');
    assert.equal(resolver.canonical('child.Child().make()'), 'opentelemetry.trace.get_tracer()');
    assert.equal(resolver.functionAt('child.Child().make')?.fn.qualname, 'Base.make');
  });

  it('`from m import *` with and without __all__, and a name set through `global`', () => {
    const root = project({
      'setup.cfg': '',
      'pkg/__init__.py': 'from .impl import *\n',
      'pkg/impl.py': 'from opentelemetry import trace\n__all__ = ["tracer"]\ntracer = None\ndef init():\n    global tracer\n    tracer = trace.get_tracer("x")\n',
    });
    const resolver = resolverFor(root, 'pkg/impl.py');
    assert.equal(resolver.canonical('pkg.tracer'), 'opentelemetry.trace.get_tracer()');
  });

  it('cycles of re-exports terminate, and missing or unparsable modules are unknown', () => {
    const root = project({
      'setup.cfg': '',
      'a.py': 'from b import x\n',
      'b.py': 'from a import x\n',
      'bad.py': 'def f(:\n',
      'ok.py': 'from bad import f\n',
    });
    const resolver = resolverFor(root, 'ok.py');
    assert.equal(resolver.canonical('a.x'), 'a.x');
    assert.equal(resolver.canonical('ok.f'), 'bad.f');
    assert.equal(resolver.canonical('missing.thing()'), 'missing.thing()');
  });

  it('relative imports at any depth, and beyond the top-level package stay unknown', () => {
    const root = project({
      'setup.cfg': '',
      'top/__init__.py': '',
      'top/util.py': 'from opentelemetry import trace\ntracer = trace.get_tracer("u")\n',
      'top/deep/__init__.py': '',
      'top/deep/er/__init__.py': 'from ...util import tracer\nfrom .... import nothing\n',
    });
    const resolver = resolverFor(root, 'top/deep/er/__init__.py');
    assert.equal(resolver.canonical('top.deep.er.tracer'), 'opentelemetry.trace.get_tracer()');
    assert.equal(resolver.canonical('top.deep.er.nothing'), 'top.deep.er.nothing');
  });

  it('each module is read and summarized once per content, again after it changes', () => {
    const root = project({ 'setup.cfg': '', 'm.py': 'from opentelemetry import trace\nt = trace.get_tracer("m")\n', 'n.py': '' });
    const first = resolverFor(root, 'n.py');
    assert.equal(first.canonical('m.t'), 'opentelemetry.trace.get_tracer()');
    assert.equal(resolverFor(root, 'n.py').canonical('m.t'), 'opentelemetry.trace.get_tracer()');
    assert.equal(index.counts.parsed, 1);
    index.files.setBuffer(join(root, 'm.py'), 't = 1\n');
    assert.equal(resolverFor(root, 'n.py').canonical('m.t'), 'm.t');
    assert.equal(index.counts.parsed, 2);
    index.files.removeBuffer(join(root, 'm.py'));
    assert.equal(resolverFor(root, 'n.py').canonical('m.t'), 'opentelemetry.trace.get_tracer()');
    assert.equal(index.counts.parsed, 3);
  });
});
