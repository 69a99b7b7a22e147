import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { brief, fixtures, lintProject, lintProjectWithConfigFile } from './helpers.js';

// Multi-module fixture projects, linted from their root through the real ESLint class (as `npx eslint .`
// there): each hazard that crosses a module boundary is reported where it happens, with the chain.

describe('a flat package with a pyproject.toml (test/fixtures/projects/flat)', () => {
  it('reports exactly the cross-module hazards', async () => {
    const findings = await lintProject('flat');
    assert.deepEqual(brief(findings), [
      'shop/__main__.py:10 require-shutdown-flush',
      'shop/broken.py:1 syntax-error',
      'shop/broken.py:2 syntax-error',
      'shop/handlers.py:15 no-blocking-in-span',
      'shop/handlers.py:19 no-blocking-in-span',
      'shop/handlers.py:24 no-blocking-in-span',
      'shop/handlers.py:41 no-blocking-in-span',
      'shop/jobs.py:20 no-orphan-background-span',
      'shop/jobs.py:20 no-untracked-task',
      'shop/jobs.py:22 no-executor-context-loss',
      'shop/jobs.py:28 no-manual-span-end',
    ]);
    const message = (file: string, line: number): string => findings.find((finding) => finding.file === file && finding.line === line)?.message ?? '';
    // A sync helper in another module, through a tracer from a wrapper function, in a span opened with `start_span`.
    assert.match(message('shop/handlers.py', 15), /^`fetch_price\(\)` blocks the event loop \(a sleep: fetch_price\(\) → time\.sleep\(\) at shop\/pricing\.py:11\) inside span "quote"/u);
    // Re-exported through the package's __init__.py.
    assert.match(message('shop/handlers.py', 19), /\(file I\/O: post_entry\(\) → open\(\) at shop\/ledger\.py:2\) in async function `record`/u);
    // A method of a project class (an annotated parameter), down through `self._get()`; the tracer is `telemetry.TELEMETRY`.
    assert.match(message('shop/handlers.py', 24), /\(an HTTP request: client\.fetch\(\) → self\._get\(\) → requests\.get\(\) at shop\/clients\/http\.py:12\) inside span "fetch"/u);
    // An import cycle terminates, and the chain goes through it.
    assert.match(message('shop/handlers.py', 41), /\(a sleep: ping\(\) → cycle_b\.pong\(\) → time\.sleep\(\) at shop\/cycle_b\.py:9\)/u);
    // The program's verdict is reported at the entry point and names where the provider is built.
    assert.match(message('shop/__main__.py', 10), /tracer provider `provider` \(shop\/telemetry\.py:5\) has a BatchSpanProcessor, but none of the program's modules handles SIGTERM/u);
  });

  it('offers the worker-thread suggestion for a blocking helper, never the time.sleep autofix', () => {
    const cwd = join(fixtures, 'flat');
    const file = join(cwd, 'shop', 'handlers.py');
    const linter = new Linter({ configType: 'flat', cwd });
    const messages = linter.verify(readFileSync(file, 'utf8'), [...plugin.configs.recommended], { filename: file });
    const quote = messages.find((message) => message.line === 15 && message.ruleId === 'otel-async/no-blocking-in-span');
    assert.ok(quote, 'the helper call is reported');
    assert.equal(quote.fix, undefined);
    assert.deepEqual(
      quote.suggestions?.map((suggestion) => suggestion.fix.text),
      ['await asyncio.to_thread(fetch_price, order["sku"])'],
    );
  });

  it('the same text without a file knows none of the other modules', () => {
    // Linted as text (no path), `TELEMETRY` is just a name: `start_span` on it is not known to make a span.
    const text = readFileSync(join(fixtures, 'flat', 'shop', 'jobs.py'), 'utf8');
    const messages = new Linter({ configType: 'flat' }).verify(text, [...plugin.configs.recommended], { filename: '<input>.py' });
    assert.ok(!messages.some((message) => message.ruleId === 'otel-async/no-manual-span-end'), messages.map((message) => message.message).join('\n'));
  });

  it('a helper the user allows by its qualified name is not reported, nor followed', async () => {
    const findings = await lintProject('flat', {
      rules: { 'otel-async/no-blocking-in-span': ['error', { allowedCalls: ['shop.pricing.fetch_price', 'shop.ledger.*'] }] },
    });
    assert.deepEqual(brief(findings, 'otel-async/no-blocking-in-span'), ['shop/handlers.py:24 no-blocking-in-span', 'shop/handlers.py:41 no-blocking-in-span']);
  });

  it('`eslint --concurrency` gives the same findings (each worker indexes what it needs)', async () => {
    const serial = await lintProjectWithConfigFile('flat', 'off');
    const parallel = await lintProjectWithConfigFile('flat', 2);
    assert.deepEqual(serial, await lintProject('flat'));
    assert.deepEqual(parallel, serial);
  });
});

describe('a src/ layout with a namespace folder (test/fixtures/projects/src-layout)', () => {
  it('resolves absolute imports through the pyproject.toml `where` root and a folder without __init__.py', async () => {
    const findings = await lintProject('src-layout');
    assert.deepEqual(brief(findings), ['src/billing/worker.py:10 no-blocking-in-span', 'src/billing/worker.py:11 no-blocking-in-span']);
    assert.match(findings[0]?.message ?? '', /save_invoice\(\) → Path\("invoices", f"\{invoice_id\}\.txt"\)\.write_text\(\) at src\/billing\/io\.py:5/u);
    assert.match(findings[1]?.message ?? '', /ping_host\(\) → socket\.create_connection\(\) at src\/acme\/tools\/net\.py:5/u);
  });
});

describe('source roots from settings (test/fixtures/projects/custom-roots)', () => {
  it('finds nothing when the root cannot be guessed, and the helper once the setting names it', async () => {
    assert.deepEqual(brief(await lintProject('custom-roots')), []);
    const findings = await lintProject('custom-roots', { settings: { 'otel-async': { python: { sourceRoots: ['code'] } } } });
    assert.deepEqual(brief(findings), ['services/api.py:5 no-blocking-in-span']);
    assert.match(findings[0]?.message ?? '', /reserve\(\) → time\.sleep\(\) at code\/inventory\/store\.py:5/u);
  });

  it('a malformed sourceRoots setting is ignored, not a crash', async () => {
    const findings = await lintProject('custom-roots', { settings: { 'otel-async': { python: { sourceRoots: 'code' } } } });
    assert.deepEqual(brief(findings), []);
  });
});

describe('shutdown across a program (test/fixtures/projects/signals)', () => {
  it('a SIGTERM handler installed in another module through a function call counts; a library module is never reported', async () => {
    const findings = await lintProject('signals');
    assert.deepEqual(brief(findings), ['app/bare.py:11 require-shutdown-flush']);
    assert.match(findings[0]?.message ?? '', /`provider` \(app\/otel\.py:5\)/u);
  });
});

describe('context-manager decorators defined in the project (test/fixtures/projects/decorators)', () => {
  it('a generator under a project decorator that wraps contextlib.contextmanager, a copy of OpenTelemetry\'s _agnosticcontextmanager, or an alias is a context manager', async () => {
    assert.deepEqual(brief(await lintProject('decorators')), ['tracing/spans.py:27 no-span-across-yield']);
  });
});
