import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RuleTester } from 'eslint';
import plugin from 'eslint-plugin-otel-async';
import { checkFixesAndSuggestions, lintPython, PY, pythonRuleTester } from '../../helpers/rule-tester.js';
import { seedGuide } from '../../helpers/seed-guide.js';

const RULE_ID = 'no-blocking-in-span';
const rule = plugin.rules[RULE_ID];
if (!rule) throw new Error(`rule ${RULE_ID} is not exported`);

const lines = (...parts: string[]): string => `${parts.join('\n')}\n`;
const TRACER = ['from opentelemetry import trace', 'tracer = trace.get_tracer(__name__)'];

// ---------------------------------------------------------------------------------------------
// The seed guide (async-tracing-patterns-in-python), indentation restored. Its correct patterns
// must lint clean; its "Blocking I/O inside an open span" mistake and its FAQ's time.sleep must not.
// ---------------------------------------------------------------------------------------------
const guideCorrect = seedGuide('correct_patterns');

// The guide's FAQ: "Why does using time.sleep instead of asyncio.sleep inflate my span durations?"
const guideSleepMistake = lines(
  'import asyncio',
  'import time',
  ...TRACER,
  '',
  'async def process_item(item: dict) -> None:',
  '    with tracer.start_as_current_span("process_item") as span:',
  '        span.set_attribute("item.id", item["id"])',
  '        time.sleep(0.1)',
);
const guideSleepFixed = guideSleepMistake.replace('time.sleep(0.1)', 'await asyncio.sleep(0.1)');

// "Blocking I/O inside an open span. A synchronous network call ... inside start_as_current_span".
const guideNetworkMistake = lines(
  'import asyncio',
  'import requests',
  ...TRACER,
  '',
  'async def query_shard(shard: int, key: str) -> dict:',
  '    with tracer.start_as_current_span("query_shard") as span:',
  '        span.set_attribute("db.shard", shard)',
  '        response = requests.get(f"http://shard-{shard}/items/{key}", timeout=2)',
  '        return response.json()',
);

// A span opened two callers up: the message names it and the chain.
const callerChain = lines(
  'import time',
  ...TRACER,
  '',
  'async def handle(order):',
  '    with tracer.start_as_current_span("handle_order"):',
  '        await charge(order)',
  '',
  'async def charge(order):',
  '    await persist(order)',
  '',
  'async def persist(order):',
  '    time.sleep(0.5)',
);

const inComprehension = lines(
  'import requests',
  'async def fetch_all(urls):',
  '    return [requests.get(url) for url in urls]',
);

const sqliteInSpan = lines(
  'import sqlite3',
  ...TRACER,
  '',
  'async def load(db_path, user_id):',
  '    with tracer.start_as_current_span("load_user"):',
  '        conn = sqlite3.connect(db_path)',
  '        cur = conn.cursor()',
  '        cur.execute("SELECT * FROM users WHERE id = ?", (user_id,))',
  '        return cur.fetchone()',
);

const multiLineCall = lines(
  'import subprocess',
  'async def build(target):',
  '    result = subprocess.run(',
  '        ["make", target],  # the build',
  '        check=True,',
  '    )',
  '    return result.returncode',
);

/** Every expected error of the "blocking" kind with its position. */
const at = (messageId: 'blocking' | 'blockingInSpan' | 'blockingInCallerSpan', line: number, column: number, endLine: number, endColumn: number) => ({
  messageId,
  line,
  column,
  endLine,
  endColumn,
});

const SYNTAX_ERROR_CASE = lines('import asyncio, time', 'async def f(:', '    time.sleep(1)');

const INVALID: RuleTester.InvalidTestCase[] = [
  // --- time.sleep: autofix when the call is a statement of its own ---------------------------
  {
    code: guideSleepMistake,
    ...PY,
    output: guideSleepFixed,
    errors: [{ ...at('blockingInSpan', 9, 9, 9, 24), data: { call: 'time.sleep()', kind: 'a sleep', span: 'process_item', replacement: 'await asyncio.sleep()' } }],
  },
  {
    // No asyncio import yet: one is added after the imports.
    code: lines('import time', '', 'async def poll():', '    time.sleep(2)  # wait for the job'),
    ...PY,
    output: lines('import time', 'import asyncio', '', 'async def poll():', '    await asyncio.sleep(2)  # wait for the job'),
    errors: [{ ...at('blocking', 4, 5, 4, 18), data: { call: 'time.sleep()', kind: 'a sleep', function: 'poll', replacement: 'await asyncio.sleep()' } }],
  },
  {
    // `from time import sleep` and an aliased asyncio import.
    code: lines('import asyncio as aio', 'from time import sleep', 'async def poll(delay):', '    sleep(delay)'),
    ...PY,
    output: lines('import asyncio as aio', 'from time import sleep', 'async def poll(delay):', '    await aio.sleep(delay)'),
    errors: [at('blocking', 4, 5, 4, 17)],
  },
  {
    // Not a statement of its own: a suggestion, parenthesized where needed.
    code: lines('import asyncio, time', 'async def f(fast):', '    done = time.sleep(1)', '    time.sleep(0) if fast else None'),
    ...PY,
    output: null,
    errors: [
      {
        ...at('blocking', 3, 12, 3, 25),
        suggestions: [{ messageId: 'useAsyncioSleep', output: lines('import asyncio, time', 'async def f(fast):', '    done = await asyncio.sleep(1)', '    time.sleep(0) if fast else None') }],
      },
      {
        ...at('blocking', 4, 5, 4, 18),
        suggestions: [{ messageId: 'useAsyncioSleep', output: lines('import asyncio, time', 'async def f(fast):', '    done = time.sleep(1)', '    (await asyncio.sleep(0)) if fast else None') }],
      },
    ],
  },
  {
    // Arguments asyncio.sleep would not take the same way: run the call in a thread instead.
    code: lines('import asyncio, time', 'async def f(delays):', '    time.sleep(*delays)'),
    ...PY,
    output: null,
    errors: [
      {
        ...at('blocking', 3, 5, 3, 24),
        suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, time', 'async def f(delays):', '    await asyncio.to_thread(time.sleep, *delays)') }],
      },
    ],
  },
  {
    // In a file with a syntax error the tree around the call is a guess: the autofix becomes a suggestion.
    code: lines('import asyncio, time', 'async def f(:', '    time.sleep(1)'),
    ...PY,
    output: null,
    errors: [{ ...at('blocking', 3, 5, 3, 18), suggestions: [{ messageId: 'useAsyncioSleep', output: lines('import asyncio, time', 'async def f(:', '    await asyncio.sleep(1)') }] }],
  },
  {
    // Default values of a nested def and lambda run now, in the async def: reported, and await is legal there.
    code: lines('import asyncio, time', 'async def f():', '    g = lambda x=time.sleep(1): x', '    def h(y=time.sleep(2)):', '        pass'),
    ...PY,
    output: null,
    errors: [
      { ...at('blocking', 3, 18, 3, 31), suggestions: [{ messageId: 'useAsyncioSleep', output: lines('import asyncio, time', 'async def f():', '    g = lambda x=(await asyncio.sleep(1)): x', '    def h(y=time.sleep(2)):', '        pass') }] },
      { ...at('blocking', 4, 13, 4, 26), suggestions: [{ messageId: 'useAsyncioSleep', output: lines('import asyncio, time', 'async def f():', '    g = lambda x=time.sleep(1): x', '    def h(y=(await asyncio.sleep(2))):', '        pass') }] },
    ],
  },
  {
    // A class body inside an async def runs now but cannot await: reported, nothing offered.
    code: lines('import asyncio, time', 'async def f():', '    class Config:', '        time.sleep(1)'),
    ...PY,
    output: null,
    errors: [{ ...at('blocking', 4, 9, 4, 22), suggestions: [] }],
  },
  {
    // The name `asyncio` means something else here: no edit would be right, so none is offered.
    code: lines('import time', 'asyncio = None', 'async def f():', '    time.sleep(1)'),
    ...PY,
    output: null,
    errors: [{ ...at('blocking', 4, 5, 4, 18), suggestions: [] }],
  },

  // --- HTTP -----------------------------------------------------------------------------------
  {
    code: guideNetworkMistake,
    ...PY,
    errors: [
      {
        ...at('blockingInSpan', 9, 20, 9, 80),
        data: { call: 'requests.get()', kind: 'an HTTP request', span: 'query_shard', replacement: 'an async HTTP client (httpx.AsyncClient, aiohttp)' },
        suggestions: [
          {
            messageId: 'useToThread',
            data: { asyncio: 'asyncio', callee: 'requests.get' },
            output: guideNetworkMistake.replace(
              'requests.get(f"http://shard-{shard}/items/{key}", timeout=2)',
              'await asyncio.to_thread(requests.get, f"http://shard-{shard}/items/{key}", timeout=2)',
            ),
          },
        ],
      },
    ],
  },
  {
    // A session bound in scope, a method result used directly (parenthesized), and a session on self.
    code: lines(
      'import asyncio, requests',
      'class Api:',
      '    def __init__(self):',
      '        self.session = requests.Session()',
      '    async def user(self, uid):',
      '        return self.session.get(f"/users/{uid}").json()',
      'async def post(url, body):',
      '    with requests.Session() as s:',
      '        s.post(url, json=body)',
    ),
    ...PY,
    errors: [
      {
        ...at('blocking', 6, 16, 6, 49),
        data: { call: 'self.session.get()', kind: 'an HTTP request', function: 'user', replacement: 'an async HTTP client (httpx.AsyncClient, aiohttp)' },
        suggestions: [
          {
            messageId: 'useToThread',
            output: lines(
              'import asyncio, requests',
              'class Api:',
              '    def __init__(self):',
              '        self.session = requests.Session()',
              '    async def user(self, uid):',
              '        return (await asyncio.to_thread(self.session.get, f"/users/{uid}")).json()',
              'async def post(url, body):',
              '    with requests.Session() as s:',
              '        s.post(url, json=body)',
            ),
          },
        ],
      },
      {
        ...at('blocking', 9, 9, 9, 31),
        suggestions: [
          {
            messageId: 'useToThread',
            output: lines(
              'import asyncio, requests',
              'class Api:',
              '    def __init__(self):',
              '        self.session = requests.Session()',
              '    async def user(self, uid):',
              '        return self.session.get(f"/users/{uid}").json()',
              'async def post(url, body):',
              '    with requests.Session() as s:',
              '        await asyncio.to_thread(s.post, url, json=body)',
            ),
          },
        ],
      },
    ],
  },
  {
    // httpx: module functions, a bound Client, a parameter annotated `httpx.Client | None`.
    code: lines(
      'import asyncio, httpx',
      'from typing import Optional',
      'async def f(url, client: httpx.Client | None, other: Optional[httpx.Client]):',
      '    httpx.post(url)',
      '    c = httpx.Client()',
      '    c.get(url)',
      '    client.send(url)',
      '    other.stream("GET", url)',
    ),
    ...PY,
    errors: [
      { ...at('blocking', 4, 5, 4, 20), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, httpx', 'from typing import Optional', 'async def f(url, client: httpx.Client | None, other: Optional[httpx.Client]):', '    await asyncio.to_thread(httpx.post, url)', '    c = httpx.Client()', '    c.get(url)', '    client.send(url)', '    other.stream("GET", url)') }] },
      { ...at('blocking', 6, 5, 6, 15), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, httpx', 'from typing import Optional', 'async def f(url, client: httpx.Client | None, other: Optional[httpx.Client]):', '    httpx.post(url)', '    c = httpx.Client()', '    await asyncio.to_thread(c.get, url)', '    client.send(url)', '    other.stream("GET", url)') }] },
      { ...at('blocking', 7, 5, 7, 21), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, httpx', 'from typing import Optional', 'async def f(url, client: httpx.Client | None, other: Optional[httpx.Client]):', '    httpx.post(url)', '    c = httpx.Client()', '    c.get(url)', '    await asyncio.to_thread(client.send, url)', '    other.stream("GET", url)') }] },
      { ...at('blocking', 8, 5, 8, 29), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, httpx', 'from typing import Optional', 'async def f(url, client: httpx.Client | None, other: Optional[httpx.Client]):', '    httpx.post(url)', '    c = httpx.Client()', '    c.get(url)', '    client.send(url)', '    await asyncio.to_thread(other.stream, "GET", url)') }] },
    ],
  },
  {
    // urllib and http.client; the suggestion adds `import asyncio`.
    code: lines(
      'import http.client',
      'from urllib.request import urlopen',
      'async def f(host, url):',
      '    body = urlopen(url).read()',
      '    conn = http.client.HTTPSConnection(host)',
      '    conn.request("GET", "/")',
    ),
    ...PY,
    errors: [
      {
        ...at('blocking', 4, 12, 4, 24),
        data: { call: 'urlopen()', kind: 'an HTTP request', function: 'f', replacement: 'an async HTTP client (httpx.AsyncClient, aiohttp)' },
        suggestions: [
          {
            messageId: 'useToThread',
            output: lines(
              'import http.client',
              'from urllib.request import urlopen',
              'import asyncio',
              'async def f(host, url):',
              '    body = (await asyncio.to_thread(urlopen, url)).read()',
              '    conn = http.client.HTTPSConnection(host)',
              '    conn.request("GET", "/")',
            ),
          },
        ],
      },
      {
        ...at('blocking', 6, 5, 6, 29),
        suggestions: [
          {
            messageId: 'useToThread',
            output: lines(
              'import http.client',
              'from urllib.request import urlopen',
              'import asyncio',
              'async def f(host, url):',
              '    body = urlopen(url).read()',
              '    conn = http.client.HTTPSConnection(host)',
              '    await asyncio.to_thread(conn.request, "GET", "/")',
            ),
          },
        ],
      },
    ],
  },

  // --- sockets, processes, files, console ----------------------------------------------------
  {
    code: lines('import asyncio, socket', 'async def f(host):', '    sock = socket.create_connection((host, 80))', '    sock.sendall(b"ping")', '    return sock.recv(4)'),
    ...PY,
    errors: [
      { ...at('blocking', 3, 12, 3, 48), data: { call: 'socket.create_connection()', kind: 'socket I/O', function: 'f', replacement: "asyncio streams (asyncio.open_connection) or the loop's sock_* methods" }, suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, socket', 'async def f(host):', '    sock = await asyncio.to_thread(socket.create_connection, (host, 80))', '    sock.sendall(b"ping")', '    return sock.recv(4)') }] },
      { ...at('blocking', 4, 5, 4, 26), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, socket', 'async def f(host):', '    sock = socket.create_connection((host, 80))', '    await asyncio.to_thread(sock.sendall, b"ping")', '    return sock.recv(4)') }] },
      { ...at('blocking', 5, 12, 5, 24), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, socket', 'async def f(host):', '    sock = socket.create_connection((host, 80))', '    sock.sendall(b"ping")', '    return await asyncio.to_thread(sock.recv, 4)') }] },
    ],
  },
  {
    // A multi-line call keeps its arguments (and their comment) as written.
    code: multiLineCall,
    ...PY,
    errors: [
      {
        ...at('blocking', 3, 14, 6, 6),
        data: { call: 'subprocess.run()', kind: 'a child process', function: 'build', replacement: 'asyncio.create_subprocess_exec() or asyncio.create_subprocess_shell()' },
        suggestions: [
          {
            messageId: 'useToThread',
            output: lines(
              'import subprocess',
              'import asyncio',
              'async def build(target):',
              '    result = await asyncio.to_thread(subprocess.run,',
              '        ["make", target],  # the build',
              '        check=True,',
              '    )',
              '    return result.returncode',
            ),
          },
        ],
      },
    ],
  },
  {
    code: lines('import asyncio, os', 'async def f(pid):', '    os.system("sync")', '    os.popen("ls")', '    os.waitpid(pid, 0)'),
    ...PY,
    errors: [
      { ...at('blocking', 3, 5, 3, 22), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, os', 'async def f(pid):', '    await asyncio.to_thread(os.system, "sync")', '    os.popen("ls")', '    os.waitpid(pid, 0)') }] },
      { ...at('blocking', 4, 5, 4, 19), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, os', 'async def f(pid):', '    os.system("sync")', '    await asyncio.to_thread(os.popen, "ls")', '    os.waitpid(pid, 0)') }] },
      { ...at('blocking', 5, 5, 5, 23), data: { call: 'os.waitpid()', kind: 'a child process', function: 'f', replacement: 'an asyncio subprocess and await its wait()' }, suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, os', 'async def f(pid):', '    os.system("sync")', '    os.popen("ls")', '    await asyncio.to_thread(os.waitpid, pid, 0)') }] },
    ],
  },
  {
    // open() is reported once; reads of the file it made are part of that report.
    code: lines('import asyncio', 'async def f(p):', '    with open(p) as fh:', '        return fh.read()'),
    ...PY,
    errors: [
      {
        ...at('blocking', 3, 10, 3, 17),
        data: { call: 'open()', kind: 'file I/O', function: 'f', replacement: 'asyncio.to_thread() for the file work (or aiofiles)' },
        suggestions: [{ messageId: 'useToThread', output: lines('import asyncio', 'async def f(p):', '    with (await asyncio.to_thread(open, p)) as fh:', '        return fh.read()') }],
      },
    ],
  },
  {
    // pathlib, including `Path(...) / name`; a file object whose type is declared.
    code: lines(
      'import asyncio, io',
      'from pathlib import Path',
      'async def f(root: Path, out: io.TextIOWrapper):',
      '    text = (root / "config.toml").read_text()',
      '    Path("/tmp/x").write_bytes(b"")',
      '    out.write(text)',
    ),
    ...PY,
    errors: [
      { ...at('blocking', 4, 12, 4, 46), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, io', 'from pathlib import Path', 'async def f(root: Path, out: io.TextIOWrapper):', '    text = await asyncio.to_thread((root / "config.toml").read_text)', '    Path("/tmp/x").write_bytes(b"")', '    out.write(text)') }] },
      { ...at('blocking', 5, 5, 5, 36), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, io', 'from pathlib import Path', 'async def f(root: Path, out: io.TextIOWrapper):', '    text = (root / "config.toml").read_text()', '    await asyncio.to_thread(Path("/tmp/x").write_bytes, b"")', '    out.write(text)') }] },
      { ...at('blocking', 6, 5, 6, 20), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, io', 'from pathlib import Path', 'async def f(root: Path, out: io.TextIOWrapper):', '    text = (root / "config.toml").read_text()', '    Path("/tmp/x").write_bytes(b"")', '    await asyncio.to_thread(out.write, text)') }] },
    ],
  },
  {
    code: lines('import asyncio', 'async def ask():', '    return input("name? ")'),
    ...PY,
    errors: [
      {
        ...at('blocking', 3, 12, 3, 27),
        data: { call: 'input()', kind: 'reading the console', function: 'ask', replacement: 'await asyncio.to_thread(input, ...)' },
        suggestions: [{ messageId: 'useToThread', output: lines('import asyncio', 'async def ask():', '    return await asyncio.to_thread(input, "name? ")') }],
      },
    ],
  },

  // --- databases -------------------------------------------------------------------------------
  {
    // sqlite3 objects refuse other threads, so no to_thread suggestion is offered.
    code: sqliteInSpan,
    ...PY,
    errors: [
      { ...at('blockingInSpan', 7, 16, 7, 40), data: { call: 'sqlite3.connect()', kind: 'a database round trip', span: 'load_user', replacement: 'aiosqlite, or one function that does the whole database step, run with asyncio.to_thread()' }, suggestions: [] },
      { ...at('blockingInSpan', 9, 9, 9, 68), suggestions: [] },
      { ...at('blockingInSpan', 10, 16, 10, 30), suggestions: [] },
    ],
  },
  {
    code: lines(
      'import asyncio, psycopg2, pymysql',
      'async def f(dsn):',
      '    conn = psycopg2.connect(dsn)',
      '    with conn.cursor() as cur:',
      '        cur.execute("SELECT 1")',
      '    db = pymysql.connect(host="db")',
      '    db.cursor().fetchall()',
    ),
    ...PY,
    errors: [
      { ...at('blocking', 3, 12, 3, 33), data: { call: 'psycopg2.connect()', kind: 'a database round trip', function: 'f', replacement: "asyncpg or psycopg's AsyncConnection" }, suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, psycopg2, pymysql', 'async def f(dsn):', '    conn = await asyncio.to_thread(psycopg2.connect, dsn)', '    with conn.cursor() as cur:', '        cur.execute("SELECT 1")', '    db = pymysql.connect(host="db")', '    db.cursor().fetchall()') }] },
      { ...at('blocking', 5, 9, 5, 32), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, psycopg2, pymysql', 'async def f(dsn):', '    conn = psycopg2.connect(dsn)', '    with conn.cursor() as cur:', '        await asyncio.to_thread(cur.execute, "SELECT 1")', '    db = pymysql.connect(host="db")', '    db.cursor().fetchall()') }] },
      { ...at('blocking', 6, 10, 6, 36), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, psycopg2, pymysql', 'async def f(dsn):', '    conn = psycopg2.connect(dsn)', '    with conn.cursor() as cur:', '        cur.execute("SELECT 1")', '    db = await asyncio.to_thread(pymysql.connect, host="db")', '    db.cursor().fetchall()') }] },
      { ...at('blocking', 7, 5, 7, 27), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, psycopg2, pymysql', 'async def f(dsn):', '    conn = psycopg2.connect(dsn)', '    with conn.cursor() as cur:', '        cur.execute("SELECT 1")', '    db = pymysql.connect(host="db")', '    await asyncio.to_thread(db.cursor().fetchall)') }] },
    ],
  },
  {
    code: lines(
      'import asyncio',
      'from pymongo import MongoClient',
      'import redis',
      'mongo = MongoClient("mongodb://db")',
      'cache = redis.Redis()',
      'async def f(uid):',
      '    user = mongo.app.users.find_one({"_id": uid})',
      '    cache.set(uid, user)',
      '    pipe = cache.pipeline()',
      '    pipe.incr("hits")',
      '    pipe.execute()',
    ),
    ...PY,
    errors: [
      { ...at('blocking', 7, 12, 7, 50), data: { call: 'mongo.app.users.find_one()', kind: 'a database round trip', function: 'f', replacement: 'pymongo.AsyncMongoClient or motor' }, suggestions: [{ messageId: 'useToThread', output: lines('import asyncio', 'from pymongo import MongoClient', 'import redis', 'mongo = MongoClient("mongodb://db")', 'cache = redis.Redis()', 'async def f(uid):', '    user = await asyncio.to_thread(mongo.app.users.find_one, {"_id": uid})', '    cache.set(uid, user)', '    pipe = cache.pipeline()', '    pipe.incr("hits")', '    pipe.execute()') }] },
      { ...at('blocking', 8, 5, 8, 25), data: { call: 'cache.set()', kind: 'a database round trip', function: 'f', replacement: 'redis.asyncio.Redis' }, suggestions: [{ messageId: 'useToThread', output: lines('import asyncio', 'from pymongo import MongoClient', 'import redis', 'mongo = MongoClient("mongodb://db")', 'cache = redis.Redis()', 'async def f(uid):', '    user = mongo.app.users.find_one({"_id": uid})', '    await asyncio.to_thread(cache.set, uid, user)', '    pipe = cache.pipeline()', '    pipe.incr("hits")', '    pipe.execute()') }] },
      { ...at('blocking', 11, 5, 11, 19), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio', 'from pymongo import MongoClient', 'import redis', 'mongo = MongoClient("mongodb://db")', 'cache = redis.Redis()', 'async def f(uid):', '    user = mongo.app.users.find_one({"_id": uid})', '    cache.set(uid, user)', '    pipe = cache.pipeline()', '    pipe.incr("hits")', '    await asyncio.to_thread(pipe.execute)') }] },
    ],
  },

  // --- where the span comes from ---------------------------------------------------------------
  {
    code: callerChain,
    ...PY,
    output: lines(
      'import time',
      TRACER[0] ?? '',
      'import asyncio',
      TRACER[1] ?? '',
      '',
      'async def handle(order):',
      '    with tracer.start_as_current_span("handle_order"):',
      '        await charge(order)',
      '',
      'async def charge(order):',
      '    await persist(order)',
      '',
      'async def persist(order):',
      '    await asyncio.sleep(0.5)',
    ),
    errors: [
      { ...at('blockingInCallerSpan', 13, 5, 13, 20), data: { call: 'time.sleep()', kind: 'a sleep', span: 'handle_order', chain: 'handle() → charge() → persist()', replacement: 'await asyncio.sleep()' } },
    ],
  },
  {
    // Decorator spans and use_span; scope "span" reports them too.
    code: lines(
      'import asyncio, time',
      ...TRACER,
      '@tracer.start_as_current_span("nightly_job")',
      'async def job():',
      '    time.sleep(1)',
      'async def step(span):',
      '    with trace.use_span(span):',
      '        time.sleep(1)',
    ),
    ...PY,
    options: [{ scope: 'span' }],
    output: lines(
      'import asyncio, time',
      ...TRACER,
      '@tracer.start_as_current_span("nightly_job")',
      'async def job():',
      '    await asyncio.sleep(1)',
      'async def step(span):',
      '    with trace.use_span(span):',
      '        await asyncio.sleep(1)',
    ),
    errors: [
      { ...at('blockingInSpan', 6, 5, 6, 18), data: { call: 'time.sleep()', kind: 'a sleep', span: 'nightly_job', replacement: 'await asyncio.sleep()' } },
      { ...at('blockingInSpan', 9, 9, 9, 22), data: { call: 'time.sleep()', kind: 'a sleep', span: 'span', replacement: 'await asyncio.sleep()' } },
    ],
  },
  {
    // Inside a comprehension `await` would change its meaning: reported, nothing offered.
    code: inComprehension,
    ...PY,
    errors: [{ ...at('blocking', 3, 13, 3, 30), suggestions: [] }],
  },
  {
    // Both calls of a nested expression are reported.
    code: lines('import asyncio, requests', 'async def f(u):', '    print(requests.get(requests.get(u).text))'),
    ...PY,
    errors: [
      { ...at('blocking', 3, 11, 3, 45), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, requests', 'async def f(u):', '    print(await asyncio.to_thread(requests.get, requests.get(u).text))') }] },
      { ...at('blocking', 3, 24, 3, 39), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio, requests', 'async def f(u):', '    print(requests.get((await asyncio.to_thread(requests.get, u)).text))') }] },
    ],
  },

  // --- options -----------------------------------------------------------------------------------
  {
    code: lines('import asyncio', 'from legacy import fetch_sync, Client', 'async def f(u):', '    fetch_sync(u)', '    Client().load(u)', '    Client().close()'),
    ...PY,
    options: [{ extraBlockingCalls: ['legacy.fetch_sync', 'legacy.Client().load'] }],
    errors: [
      { ...at('blocking', 4, 5, 4, 18), data: { call: 'fetch_sync()', kind: 'listed in extraBlockingCalls', function: 'f', replacement: 'an async equivalent or asyncio.to_thread()' }, suggestions: [{ messageId: 'useToThread', output: lines('import asyncio', 'from legacy import fetch_sync, Client', 'async def f(u):', '    await asyncio.to_thread(fetch_sync, u)', '    Client().load(u)', '    Client().close()') }] },
      { ...at('blocking', 5, 5, 5, 21), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio', 'from legacy import fetch_sync, Client', 'async def f(u):', '    fetch_sync(u)', '    await asyncio.to_thread(Client().load, u)', '    Client().close()') }] },
    ],
  },
  {
    // A wildcard segment in extraBlockingCalls; allowedCalls removes one method again.
    code: lines('import asyncio', 'import legacy', 'async def f(c: legacy.Client):', '    c.load()', '    c.ping()'),
    ...PY,
    options: [{ extraBlockingCalls: ['legacy.Client().*'], allowedCalls: ['legacy.Client().ping'] }],
    errors: [{ ...at('blocking', 4, 5, 4, 13), suggestions: [{ messageId: 'useToThread', output: lines('import asyncio', 'import legacy', 'async def f(c: legacy.Client):', '    await asyncio.to_thread(c.load)', '    c.ping()') }] }],
  },
];

pythonRuleTester().run(RULE_ID, rule, {
  valid: [
    { code: guideCorrect, ...PY },
    // Sync functions may block: they run on whatever thread calls them.
    { code: lines('import time, requests', 'def work(url):', '    time.sleep(1)', '    return requests.get(url)'), ...PY },
    // Module level (import time, scripts).
    { code: lines('import time', 'time.sleep(1)'), ...PY },
    // Nested def and lambda bodies run later, often in a thread.
    {
      code: lines(
        'import asyncio, time, requests',
        'async def f(url):',
        '    def work():',
        '        time.sleep(1)',
        '        return requests.get(url)',
        '    fetch = lambda: requests.get(url)',
        '    return await asyncio.to_thread(work)',
      ),
      ...PY,
    },
    // References passed along without a call.
    {
      code: lines(
        'import asyncio, time, requests',
        'async def f(url):',
        '    await asyncio.to_thread(time.sleep, 1)',
        '    loop = asyncio.get_running_loop()',
        '    return await loop.run_in_executor(None, requests.get, url)',
      ),
      ...PY,
    },
    // User functions (and objects) that only share a name.
    {
      code: lines(
        'async def sleep(seconds):',
        '    pass',
        'def open(name):',
        '    return name',
        'class Client:',
        '    def get(self, url):',
        '        return url',
        'requests = Client()',
        'async def f():',
        '    await sleep(1)',
        '    open("x")',
        '    requests.get("u")',
        '    def input():',
        '        return ""',
        '    input()',
      ),
      ...PY,
    },
    // Async clients and the async sleep.
    {
      code: lines(
        'import asyncio, httpx',
        'import redis.asyncio as aioredis',
        'async def f(url):',
        '    await asyncio.sleep(1)',
        '    async with httpx.AsyncClient() as client:',
        '        await client.get(url)',
        '    r = aioredis.Redis()',
        '    await r.get("k")',
      ),
      ...PY,
    },
    // A directly awaited call returns an awaitable, so it is not the blocking function of that name.
    { code: lines('import requests', 'async def f(url):', '    await requests.get(url)', '    await (requests.post(url))'), ...PY },
    // Constructors that do no I/O, and Redis calls that only buffer.
    {
      code: lines(
        'import requests, httpx, pymongo, redis',
        'async def f():',
        '    session = requests.Session()',
        '    client = httpx.Client()',
        '    mongo = pymongo.MongoClient("mongodb://db")',
        '    r = redis.Redis()',
        '    pipe = r.pipeline()',
        '    pipe.set("a", 1)',
        '    pipe.get("a")',
      ),
      ...PY,
    },
    // os.path metadata calls are left out on purpose (see the doc page).
    { code: lines('import os', 'async def f(p):', '    return os.path.exists(p)'), ...PY },
    // scope "span": only where a span is visibly open (here or in a caller).
    { code: lines('import time', 'async def f():', '    time.sleep(1)'), ...PY, options: [{ scope: 'span' }] },
    // allowedCalls wins over the table.
    { code: lines('async def f(p):', '    with open(p) as fh:', '        return fh.read()'), ...PY, options: [{ allowedCalls: ['builtins.open'] }] },
  ],
  invalid: INVALID,
});

/**
 * Every invalid case above: each fix and suggestion output compiles with python3 and, linted again, no
 * longer reports that problem. The syntax-error case is the exception by construction (its input does
 * not compile); cases that offer nothing must say so with `suggestions: []` above.
 */
describe('no-blocking-in-span fixes and suggestions compile and re-lint clean', () => {
  for (const [index, testCase] of INVALID.entries()) {
    if (testCase.code === SYNTAX_ERROR_CASE) continue;
    it(`invalid case ${index + 1}: ${testCase.code.split('\n').find((line) => line.startsWith('async def')) ?? ''}`, () => {
      const outputs = checkFixesAndSuggestions(testCase.code, RULE_ID, testCase.options ?? []);
      const errors = testCase.errors as RuleTester.TestCaseError[];
      const expectsEdits = typeof testCase.output === 'string' || errors.some((error) => Array.isArray(error.suggestions) && error.suggestions.length > 0);
      assert.equal(outputs.length > 0, expectsEdits);
    });
  }
});

/**
 * Every kind of call the issue lists, one line each, resolved through real imports. Each must be
 * reported in an `async def` (and nothing else on its line), and nothing must be reported when the
 * same line runs in a plain `def`.
 */
const TABLE_CASES: readonly (readonly [imports: string, statement: string])[] = [
  ['import time', 'time.sleep(1)'],
  ['import requests', 'requests.get(u)'],
  ['import requests', 'requests.request("GET", u)'],
  ['import requests', 'requests.Session().post(u)'],
  ['import requests', 'requests.session().get(u)'],
  ['import httpx', 'httpx.get(u)'],
  ['import httpx', 'httpx.Client().put(u)'],
  ['import urllib.request', 'urllib.request.urlopen(u)'],
  ['import http.client', 'http.client.HTTPConnection(u).getresponse()'],
  ['import socket', 'socket.create_connection(u)'],
  ['import socket', 'socket.socket().connect(u)'],
  ['import socket', 'socket.getaddrinfo(u, 80)'],
  ['import subprocess', 'subprocess.call(u)'],
  ['import subprocess', 'subprocess.check_call(u)'],
  ['import subprocess', 'subprocess.check_output(u)'],
  ['import os', 'os.wait()'],
  ['import os', 'os.wait3(0)'],
  ['import os', 'os.wait4(1, 0)'],
  ['import os', 'os.waitid(0, 1, 0)'],
  ['import pathlib', 'pathlib.Path(u).read_bytes()'],
  ['import pathlib', 'pathlib.Path(u).write_text(u)'],
  ['from pathlib import Path', 'Path(u).open()'],
  ['from pathlib import Path', 'Path(u).parent.read_text()'],
  ['import sqlite3', 'sqlite3.connect(u).execute(u)'],
  ['import sqlite3', 'sqlite3.connect(u).commit()'],
  ['import psycopg2', 'psycopg2.connect(u).cursor().fetchmany(3)'],
  ['import pymysql', 'pymysql.connect(host=u).cursor().execute(u)'],
  ['import pymongo', 'pymongo.MongoClient(u).shop.orders.insert_one({})'],
  ['import redis', 'redis.StrictRedis().hgetall(u)'],
  ['import redis', 'redis.Redis.from_url(u).get(u)'],
];

describe('no-blocking-in-span covers the calls the issue lists', () => {
  for (const [imports, statement] of TABLE_CASES) {
    it(statement, () => {
      const inAsync = lintPython(lines(imports, 'async def f(u):', `    ${statement}`), RULE_ID);
      // Chained calls report each blocking step; the one the case names is the outermost, at column 5.
      assert.ok(inAsync.some((message) => message.line === 3 && message.column === 5 && message.endColumn === 5 + statement.length), JSON.stringify(inAsync));
      const inSync = lintPython(lines(imports, 'def f(u):', `    ${statement}`), RULE_ID);
      assert.deepEqual(inSync, []);
    });
  }
});

describe('no-blocking-in-span options', () => {
  it('rejects an unknown scope with a clear message instead of crashing', () => {
    assert.throws(() => lintPython('x = 1\n', RULE_ID, [{ scope: 'everywhere' }]), /scope|allowed values|enum/iu);
  });
});
