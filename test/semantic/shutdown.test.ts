import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ShutdownAnalysis } from 'eslint-plugin-otel-async/semantic';
import { parsePython } from '../helpers/python.js';

function analyse(code: string): { analysis: ShutdownAnalysis; text: (node: { range: readonly [number, number] } | null) => string | null } {
  const { sourceCode, model } = parsePython(code);
  return { analysis: new ShutdownAnalysis(model), text: (node) => (node ? sourceCode.text.slice(node.range[0], node.range[1]) : null) };
}

describe('ShutdownAnalysis', () => {
  it('finds the batching provider through any import form, with its variable', () => {
    const { analysis, text } = analyse(
      [
        'import opentelemetry.sdk.trace.export as export',
        'from opentelemetry.sdk import trace as sdk_trace',
        'tp = sdk_trace.TracerProvider(shutdown_on_exit=False)',
        'batch = export.BatchSpanProcessor(exporter)',
        'tp.add_span_processor(batch)',
        'tp.add_span_processor(export.SimpleSpanProcessor(exporter))',
        'tp.add_span_processor(span_processor=export.BatchSpanProcessor(exporter))',
      ].join('\n'),
    );
    assert.deepEqual(
      analysis.providers.map((found) => text(found.addCall)),
      ['tp.add_span_processor(batch)', 'tp.add_span_processor(span_processor=export.BatchSpanProcessor(exporter))'],
    );
    const [provider] = analysis.providers;
    assert.equal(provider?.label, 'tp');
    assert.equal(provider?.binding?.name, 'tp');
    assert.equal(text(provider?.construction ?? null), 'sdk_trace.TracerProvider(shutdown_on_exit=False)');
    assert.equal(text(provider?.addCall ?? null), 'tp.add_span_processor(batch)');
  });

  it('does not count a SimpleSpanProcessor or a module that only gets a tracer', () => {
    assert.equal(analyse('from opentelemetry.sdk.trace.export import SimpleSpanProcessor\nprovider.add_span_processor(SimpleSpanProcessor(e))').analysis.providers.length, 0);
    assert.equal(analyse('from opentelemetry import trace\ntracer = trace.get_tracer(__name__)').analysis.providers.length, 0);
  });

  it('finds entry points and leaves out the servers that own signals', () => {
    const { analysis, text } = analyse(
      [
        'import asyncio, uvicorn',
        'from hypercorn.asyncio import serve',
        'asyncio.run(main())',
        'loop = asyncio.new_event_loop()',
        'loop.run_until_complete(work())',
        'loop.run_forever()',
        'with asyncio.Runner() as runner:',
        '    runner.run(main())',
        'asyncio.run(uvicorn.Server(config).serve())',
        'asyncio.run(serve(app, config))',
        'uvicorn.run(app)',
      ].join('\n'),
    );
    assert.deepEqual(
      analysis.entries.map((entry) => [entry.kind, text(entry.call), text(entry.awaitable), text(entry.loop)]),
      [
        ['run', 'asyncio.run(main())', 'main()', null],
        ['until_complete', 'loop.run_until_complete(work())', 'work()', 'loop'],
        ['forever', 'loop.run_forever()', null, 'loop'],
        ['run', 'runner.run(main())', 'main()', null],
      ],
    );
  });

  it('collects handled signals: names, numbers, enum members, loops over literal tuples; not SIG_DFL/SIG_IGN', () => {
    const { analysis } = analyse(
      [
        'import signal',
        'from signal import SIGQUIT',
        'signal.signal(signal.SIGINT, handler)',
        'signal.signal(1, handler)',
        'signal.signal(signal.Signals.SIGUSR1, handler)',
        'signal.signal(signal.SIGTERM, signal.SIG_DFL)',
        'signal.signal(signal.SIGUSR2, signal.SIG_IGN)',
        'for sig in (SIGQUIT, signal.SIGWINCH):',
        '    loop.add_signal_handler(sig, stop)',
      ].join('\n'),
    );
    assert.deepEqual([...(analysis.handledSignals as Set<string>)].sort(), ['SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGUSR1', 'SIGWINCH']);
  });

  it('treats a handler for a signal it cannot name as handling any signal', () => {
    assert.equal(analyse('def install(loop, sig):\n    loop.add_signal_handler(sig, stop)').analysis.handledSignals, 'any');
  });

  it('recognises flushes: direct, through module functions, and at exit', () => {
    const { analysis, text } = analyse(
      [
        'import atexit, os',
        'from opentelemetry import trace',
        'from opentelemetry.sdk.trace import TracerProvider',
        'provider = TracerProvider()',
        'def close_tracing():',
        '    provider.shutdown()',
        'def stop():',
        '    close_tracing()',
        'trace.get_tracer_provider().force_flush()',
        'stop()',
        'other.shutdown()',
        'os._exit(0)',
      ].join('\n'),
    );
    assert.deepEqual(
      analysis.flushCalls.map((call) => text(call)),
      ['provider.shutdown()', 'close_tracing()', 'trace.get_tracer_provider().force_flush()', 'stop()'],
    );
    assert.equal(analysis.flushesAtExit, false);
    assert.deepEqual(analysis.hardExits.map((call) => text(call)), ['os._exit(0)']);
    assert.equal(analyse('import atexit\nfrom opentelemetry.sdk.trace import TracerProvider\nprovider = TracerProvider()\natexit.register(provider.shutdown)').analysis.flushesAtExit, true);
  });
});
