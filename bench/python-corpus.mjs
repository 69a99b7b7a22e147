// Generates the Python files the benchmark lints: an asyncio service traced with OpenTelemetry, built
// from a seeded random mix of the patterns the rules look at (correct ones and the mistakes), so every
// run on every machine lints byte-identical text.

/** Small seeded PRNG (mulberry32): the same seed always yields the same corpus. */
function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NOUNS = ['order', 'invoice', 'user', 'cart', 'payment', 'shipment', 'catalog', 'review', 'inventory', 'tenant', 'audit', 'report'];
// Non-ASCII on purpose: accents, CJK, and astral-plane characters (two UTF-16 code units each).
const LABELS = ['Zoë', 'café crème', '日本語のラベル', 'Grüße', 'naïve façade', 'résumé', '🚀 launch', 'Ωmega', '数据 🧪', 'Ærøskøbing'];

const pascal = (word) => word.charAt(0).toUpperCase() + word.slice(1);

/** Calls that block the event loop, with the indentation-free line(s) they take. */
const BLOCKING_CALLS = [
  () => ['time.sleep(0.25)'],
  (noun) => [`resp = requests.get(f"https://api.example.com/${noun}/{key}", timeout=5)`, 'resp.raise_for_status()'],
  (noun) => [`with open("/var/cache/${noun}.json", encoding="utf-8") as fh:`, '    cached = json.load(fh)'],
  (noun) => [`subprocess.run(["sync-${noun}", key], check=True)`],
  (noun) => [`os.system("logger ${noun} refreshed")`],
  (noun) => [`raw = urllib.request.urlopen(f"https://cdn.example.com/${noun}/{key}").read()`],
  (noun) => [`reply = httpx.post("https://hooks.example.com/${noun}", json={"key": key})`],
  (noun) => ['conn = sqlite3.connect("app.db")', `rows = conn.execute("SELECT * FROM ${noun} WHERE id = ?", (key,)).fetchall()`],
  (noun) => ['session = requests.Session()', `session.get(f"https://api.example.com/${noun}s")`],
  (noun) => [`Path("/tmp/${noun}.txt").write_text(key, encoding="utf-8")`],
];

/**
 * Each template returns the lines of one top-level unit. `pick` chooses from a list, `chance(p)` is a
 * biased coin, `n` makes names unique.
 */
const TEMPLATES = [
  // A traced handler that fans out with gather; sometimes a blocking call sits inside the span.
  { weight: 6, lines: ({ n, noun, pick, chance, label }) => {
    const blocking = chance(0.3) ? pick(BLOCKING_CALLS)(noun).map((line) => `        ${line}`) : [];
    return [
      `async def fetch_${noun}_${n}(key: str) -> dict:`,
      `    with tracer.start_as_current_span("fetch_${noun}") as span:`,
      '        span.set_attribute("db.key", key)',
      '        await asyncio.sleep(0.01)  # stand-in for the async driver',
      `        return {"key": key, "source": "${noun}", "label": "${label}"}`,
      '',
      '',
      `async def handle_${noun}_${n}(key: str, items: list[dict]) -> dict:`,
      `    """Handle one ${noun} request — traced from end to end (${label})."""`,
      `    with tracer.start_as_current_span("handle_${noun}") as span:`,
      `        span.set_attribute("${noun}.count", len(items))`,
      '        span.set_attribute("request.key", key)',
      `        totals = {item["id"]: item.get("qty", 0) * ${n % 97 + 1}.5 for item in items if item.get("qty")}`,
      ...blocking,
      `        results = await asyncio.gather(*(fetch_${noun}_${n}(str(item["id"])) for item in items))`,
      '        span.set_status(Status(StatusCode.OK))',
      '        return {"totals": totals, "results": results}',
    ];
  } },
  // Background work: tracked (reference held), or fire-and-forget.
  { weight: 3, lines: ({ n, noun, chance }) => {
    const spawn = chance(0.4)
      ? [`        asyncio.create_task(audit_${noun}_${n}(key))  # fire-and-forget`]
      : [
        `        task = asyncio.create_task(audit_${noun}_${n}(key))`,
        '        _background.add(task)',
        '        task.add_done_callback(_background.discard)',
      ];
    return [
      `async def audit_${noun}_${n}(key: str) -> None:`,
      '    # A fresh root: the audit must not dangle under a request span that already ended.',
      `    with tracer.start_as_current_span("audit_${noun}", context=Context()) as span:`,
      `        span.set_attribute("audit.key", key)`,
      '        await asyncio.sleep(0.2)',
      '',
      '',
      `async def submit_${noun}_${n}(key: str) -> str:`,
      `    with tracer.start_as_current_span("submit_${noun}"):`,
      ...spawn,
      '        return key',
    ];
  } },
  // Manual context handling, with or without the finally that detaches.
  { weight: 2, lines: ({ n, noun, chance }) => {
    const body = chance(0.35)
      ? ['    token = context.attach(ctx)', `    await fetch_${noun}_${n}_stub(value)`, '    context.detach(token)']
      : ['    token = context.attach(ctx)', '    try:', `        await fetch_${noun}_${n}_stub(value)`, '    finally:', '        context.detach(token)'];
    return [
      `async def fetch_${noun}_${n}_stub(value: str) -> None:`,
      '    await asyncio.sleep(0)',
      '',
      '',
      `async def with_baggage_${n}(value: str) -> None:`,
      `    ctx = baggage.set_baggage("${noun}.tenant", value)`,
      ...body,
    ];
  } },
  // Thread-pool work, with or without carrying the context over.
  { weight: 2, lines: ({ n, noun, chance }) => {
    const call = chance(0.5)
      ? ['    ctx = contextvars.copy_context()  # the snapshot includes the active span',
        `    return await loop.run_in_executor(None, lambda: ctx.run(functools.partial(blocking_lookup_${n}, key)))`]
      : [`    return await loop.run_in_executor(None, blocking_lookup_${n}, key)`];
    return [
      `def blocking_lookup_${n}(key: str) -> str:`,
      '    # Runs on a worker thread, so blocking here is fine.',
      `    with tracer.start_as_current_span("blocking_lookup_${noun}") as span:`,
      '        span.set_attribute("cache.key", key)',
      '        time.sleep(0.05)',
      `        return requests.get(f"https://legacy.example.com/${noun}/{key}", timeout=3).text`,
      '',
      '',
      `async def lookup_${noun}_${n}(key: str) -> str:`,
      '    loop = asyncio.get_running_loop()',
      ...call,
    ];
  } },
  // A dataclass and a service class with decorated methods.
  { weight: 3, lines: ({ n, noun, chance, label }) => {
    const Noun = pascal(noun);
    const slow = chance(0.25) ? ['        time.sleep(0.01)  # throttle the upstream'] : [];
    return [
      '@dataclasses.dataclass(frozen=True)',
      `class ${Noun}Record${n}:`,
      '    id: int',
      `    name: str = "${label}"`,
      '    tags: tuple[str, ...] = ()',
      '',
      '    @property',
      '    def label(self) -> str:',
      '        return f"{self.name} #{self.id:05d} — ✓"',
      '',
      '',
      `class ${Noun}Service${n}:`,
      `    """Loads ${noun} records through an async HTTP client, with a small cache."""`,
      '',
      '    def __init__(self, client: "httpx.AsyncClient") -> None:',
      '        self._client = client',
      `        self._cache: dict[str, ${Noun}Record${n}] = {}`,
      '',
      `    @tracer.start_as_current_span("${noun}_service.load")`,
      `    async def load(self, key: str) -> ${Noun}Record${n} | None:`,
      '        if key in self._cache:',
      '            return self._cache[key]',
      ...slow,
      `        response = await self._client.get(f"/${noun}/{key}")`,
      '        data = response.json()',
      `        record = ${Noun}Record${n}(id=data["id"], name=data.get("name", "…"), tags=tuple(data.get("tags", [])))`,
      '        self._cache[key] = record',
      '        return record',
      '',
      '    @staticmethod',
      '    def normalise(values: list[str]) -> list[str]:',
      '        return sorted({v.strip().casefold() for v in values if v and not v.isspace()})',
    ];
  } },
  // Structured fan-out with a TaskGroup and except*.
  { weight: 2, lines: ({ n, noun }) => [
    `async def process_${noun}_batch_${n}(items: list[dict]) -> None:`,
    `    with tracer.start_as_current_span("batch_${noun}") as parent:`,
    '        parent.set_attribute("batch.size", len(items))',
    '        try:',
    '            async with asyncio.TaskGroup() as tg:',
    '                for item in items:',
    '                    tg.create_task(asyncio.sleep(item.get("delay", 0)))',
    '        except* Exception as eg:  # one sibling failed; the rest were cancelled',
    '            parent.set_status(Status(StatusCode.ERROR))',
    '            parent.record_exception(eg.exceptions[0])',
  ] },
  // An async generator that yields while its span is open.
  { weight: 1, lines: ({ n, noun }) => [
    `async def stream_${noun}_${n}(keys: list[str]):`,
    `    with tracer.start_as_current_span("stream_${noun}"):`,
    '        for key in keys:',
    '            await asyncio.sleep(0)',
    '            yield {"key": key, "ok": True}',
  ] },
  // A span ended by hand, and a span per iteration of a hot loop.
  { weight: 2, lines: ({ n, noun }) => [
    `async def manual_${noun}_${n}(values: list[float]) -> float:`,
    `    span = tracer.start_span("manual_${noun}")`,
    '    await asyncio.sleep(0)',
    '    total = 0.0',
    '    for value in values:',
    '        with tracer.start_as_current_span("score_item"):',
    '            total += value ** 2',
    '    span.end()',
    '    return total',
  ] },
  // Tasks created before the span that should be their parent.
  { weight: 1, lines: ({ n, noun }) => [
    `async def fanout_${noun}_${n}(keys: list[str]) -> list[None]:`,
    '    pending = [asyncio.create_task(asyncio.sleep(0.01)) for _ in keys]',
    `    with tracer.start_as_current_span("fanout_${noun}"):`,
    '        return await asyncio.gather(*pending)',
  ] },
  // An error swallowed inside a span, and thread-local span storage.
  { weight: 2, lines: ({ n, noun }) => [
    `_local_${n} = threading.local()`,
    '',
    '',
    `async def safe_${noun}_${n}(key: str) -> dict | None:`,
    `    with tracer.start_as_current_span("safe_${noun}") as span:`,
    `        _local_${n}.span = span`,
    '        try:',
    '            await asyncio.sleep(0)',
    '            return {"key": key}',
    '        except Exception:',
    '            logger.warning("lookup failed für %s", key)',
    '            return None',
  ] },
  // Plain synchronous helpers: comprehensions, lambdas, match, walrus, nested functions.
  { weight: 4, lines: ({ n, noun, label }) => [
    `def summarise_${noun}_${n}(rows: list[dict[str, object]]) -> dict[str, object]:`,
    '    by_status = {}',
    '    for row in rows:',
    '        by_status.setdefault(row.get("status", "unknown"), []).append(row)',
    '    counts = {status: len(group) for status, group in sorted(by_status.items())}',
    '    biggest = max(rows, key=lambda row: row.get("amount", 0), default=None)',
    '    if (total := sum(int(row.get("amount", 0)) for row in rows)) > 10_000:',
    '        logger.info("big batch: %d", total)',
    '',
    '    def describe(row: dict[str, object]) -> str:',
    '        match row:',
    '            case {"status": "paid", "amount": amount}:',
    '                return f"paid {amount:>8}"',
    '            case {"status": status}:',
    '                return f"{status!s:<8}"',
    '            case _:',
    `                return "${label}"`,
    '',
    '    return {',
    '        "counts": counts,',
    '        "biggest": biggest,',
    '        "lines": [describe(row) for row in rows[:10]],',
    `        "title": """${label} — summary""",`,
    '    }',
  ] },
  // Async code whose blocking work is correctly off the loop (nested def, to_thread) and a clean shutdown.
  { weight: 2, lines: ({ n, noun }) => [
    `async def refresh_${noun}_${n}(key: str) -> str:`,
    `    with tracer.start_as_current_span("refresh_${noun}"):`,
    '        def load() -> str:',
    '            time.sleep(0.1)  # runs in a worker thread',
    `            return requests.get(f"https://api.example.com/${noun}/{key}", timeout=2).text`,
    '',
    '        body = await asyncio.to_thread(load)',
    '        await asyncio.to_thread(time.sleep, 0.01)',
    '        return body',
    '',
    '',
    `async def serve_${noun}_${n}() -> None:`,
    '    try:',
    `        await refresh_${noun}_${n}("warm-up")`,
    '    finally:',
    '        # Drain the batch queue before the process exits.',
    '        trace.get_tracer_provider().force_flush()',
  ] },
];

const HEADER = [
  '"""Generated benchmark module: an asyncio service traced with OpenTelemetry.',
  '',
  'Produced by bench/python-corpus.mjs (seeded, deterministic). Ünïcödé, 日本語 and 🚀 are on purpose.',
  '"""',
  'from __future__ import annotations',
  '',
  'import asyncio',
  'import contextvars',
  'import dataclasses',
  'import functools',
  'import json',
  'import logging',
  'import os',
  'import sqlite3',
  'import subprocess',
  'import threading',
  'import time',
  'import urllib.request',
  'from pathlib import Path',
  '',
  'import httpx',
  'import requests',
  'from opentelemetry import baggage, context, trace',
  'from opentelemetry.context import Context',
  'from opentelemetry.sdk.trace import TracerProvider',
  'from opentelemetry.sdk.trace.export import BatchSpanProcessor',
  'from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter',
  'from opentelemetry.trace import Status, StatusCode',
  '',
  'provider = TracerProvider()',
  'provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=os.getenv("OTEL_EXPORTER_OTLP_ENDPOINT"))))',
  'trace.set_tracer_provider(provider)',
  'tracer = trace.get_tracer(__name__)',
  'logger = logging.getLogger("bench.service")',
  '_background: set[asyncio.Task] = set()  # keeps fire-and-forget tasks alive',
];

/**
 * A Python module of exactly `lineCount` lines (each ending in `\n`), made of whole units; the last few
 * lines are module-level settings that pad to the exact count.
 */
export function generatePythonModule({ lineCount, seed }) {
  const random = seededRandom(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const chance = (probability) => random() < probability;
  const totalWeight = TEMPLATES.reduce((sum, template) => sum + template.weight, 0);
  const pickTemplate = () => {
    let roll = random() * totalWeight;
    for (const template of TEMPLATES) {
      roll -= template.weight;
      if (roll < 0) return template;
    }
    return TEMPLATES[TEMPLATES.length - 1];
  };

  const lines = [...HEADER];
  for (let n = 1; ; n++) {
    const unit = ['', '', ...pickTemplate().lines({ n, noun: pick(NOUNS), label: pick(LABELS), pick, chance })];
    // Two lines left for the blank separator before the padding.
    if (lines.length + unit.length > lineCount - 3) break;
    lines.push(...unit);
  }
  lines.push('', '');
  for (let setting = 1; lines.length < lineCount; setting++) {
    lines.push(`SETTING_${setting} = ${setting * 7}  # réglage n° ${setting}`);
  }
  return `${lines.join('\n')}\n`;
}
