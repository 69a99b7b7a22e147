/**
 * Calls that block the event loop, by qualified name (see `QualifiedNamePatterns` for the `*` syntax).
 * Each entry says what kind of blocking it is and what to use instead; the rule
 * `otel-async/no-blocking-in-span` reads this table. Values returned by calls are written with `()`,
 * so a method of a bound object is `<constructor>().<method>`: `requests.Session().get` matches
 * `session.get(...)` after `session = requests.Session()` (or `with requests.Session() as session`).
 *
 * Constructors that do no I/O themselves (`redis.Redis()`, `pymongo.MongoClient()`, `httpx.Client()`,
 * `requests.Session()`) are not listed: only the calls that wait on the network, disk or a child
 * process are.
 */
export type BlockingCategory =
  | 'sleep'
  | 'http'
  | 'socket'
  | 'dns'
  | 'subprocess'
  | 'file'
  | 'database'
  | 'console'
  /** Named by the user in the rule's `extraBlockingCalls` option. */
  | 'configured';

export interface BlockingCall {
  readonly pattern: string;
  readonly category: BlockingCategory;
  /** What to use instead, as a phrase that follows "use" / "instead:" in the message. */
  readonly replacement: string;
  /**
   * The object must stay on the thread that created it (sqlite3 connections refuse other threads by
   * default), so `asyncio.to_thread(<method>, ...)` is not offered: it would fail at run time.
   */
  readonly sameThreadOnly?: boolean;
  /**
   * A method of an object made by another blocking call (`f.read()` after `f = open(p)`): not reported
   * when that call is itself reported (the file was opened in the same async code), so one file
   * operation gets one report.
   */
  readonly coveredByMaker?: boolean;
}

const SLEEP = 'await asyncio.sleep()';
const HTTP = 'an async HTTP client (httpx.AsyncClient, aiohttp)';
const HTTPX = 'httpx.AsyncClient';
const SOCKET = 'asyncio streams (asyncio.open_connection) or the loop\'s sock_* methods';
const DNS = 'await loop.getaddrinfo()';
const SUBPROCESS = 'asyncio.create_subprocess_exec() or asyncio.create_subprocess_shell()';
const PROCESS_WAIT = 'an asyncio subprocess and await its wait()';
const FILE = 'asyncio.to_thread() for the file work (or aiofiles)';
const SQLITE = 'aiosqlite, or one function that does the whole database step, run with asyncio.to_thread()';
const POSTGRES = 'asyncpg or psycopg\'s AsyncConnection';
const MYSQL = 'aiomysql or asyncmy';
const MONGO = 'pymongo.AsyncMongoClient or motor';
const REDIS = 'redis.asyncio.Redis';
const INPUT = 'await asyncio.to_thread(input, ...)';

/** Every `<receiver>.<method>` pair. */
function methods(receivers: readonly string[], names: readonly string[]): string[] {
  return receivers.flatMap((receiver) => names.map((name) => `${receiver}.${name}`));
}

function entries(
  patterns: readonly string[],
  category: BlockingCategory,
  replacement: string,
  extra: Pick<BlockingCall, 'sameThreadOnly' | 'coveredByMaker'> = {},
): BlockingCall[] {
  return patterns.map((pattern) => ({ pattern, category, replacement, ...extra }));
}

const HTTP_VERBS = ['get', 'options', 'head', 'post', 'put', 'patch', 'delete', 'request'];

const REQUESTS_SESSIONS = ['requests.Session()', 'requests.session()', 'requests.sessions.Session()', 'requests.sessions.session()'];
const HTTPX_MODULES = ['httpx', 'httpx2'];
const HTTPX_CLIENTS = HTTPX_MODULES.flatMap((module) => [`${module}.Client()`, `${module}._client.Client()`]);
const URLLIB3_POOLS = [
  'urllib3.PoolManager()',
  'urllib3.ProxyManager()',
  'urllib3.HTTPConnectionPool()',
  'urllib3.HTTPSConnectionPool()',
  'urllib3.connection_from_url()',
  'urllib3.poolmanager.PoolManager()',
  'urllib3.poolmanager.ProxyManager()',
  'urllib3.connectionpool.HTTPConnectionPool()',
  'urllib3.connectionpool.HTTPSConnectionPool()',
  'urllib3.connectionpool.ConnectionPool()',
  'urllib3.request.RequestMethods()',
];
const HTTP_CLIENT_CONNECTIONS = ['http.client.HTTPConnection()', 'http.client.HTTPSConnection()'];

const SOCKETS = [
  'socket.socket()',
  'socket.create_connection()',
  'socket.fromfd()',
  'socket.SocketType()',
  'ssl.SSLSocket()',
  'ssl.*.wrap_socket()',
  'ssl.wrap_socket()',
];
const SOCKET_METHODS = [
  'connect',
  'connect_ex',
  'accept',
  'recv',
  'recv_into',
  'recvfrom',
  'recvfrom_into',
  'recvmsg',
  'send',
  'sendall',
  'sendto',
  'sendmsg',
  'sendfile',
  'do_handshake',
];

const PATHS = ['pathlib.Path()', 'pathlib.PosixPath()', 'pathlib.WindowsPath()'];
const PATH_IO = ['read_text', 'read_bytes', 'write_text', 'write_bytes', 'open'];
/** File objects known by their declared type (a parameter annotated `io.TextIOWrapper`, ...). */
const FILE_OBJECTS = ['io.TextIOWrapper()', 'io.BufferedReader()', 'io.BufferedWriter()', 'io.BufferedRandom()', 'io.FileIO()'];
const FILE_OBJECT_IO = ['read', 'read1', 'readline', 'readlines', 'readinto', 'write', 'writelines', 'flush'];
const OPENED_FILES = ['builtins.open()', 'io.open()', 'io.open_code()', 'os.fdopen()', 'codecs.open()', ...PATHS.map((path) => `${path}.open()`)];

const SQLITE_CONNECTIONS = ['sqlite3.connect()', 'sqlite3.Connection()', 'sqlite3.dbapi2.connect()'];
const SQLITE_CURSORS = [
  ...SQLITE_CONNECTIONS.flatMap((connection) => [`${connection}.cursor()`, `${connection}.execute()`, `${connection}.executemany()`]),
  'sqlite3.Cursor()',
];
const DBAPI_CURSOR_METHODS = ['execute', 'executemany', 'callproc', 'fetchone', 'fetchmany', 'fetchall'];

const POSTGRES_CONNECTIONS = [
  'psycopg2.connect()',
  'psycopg2.extensions.connection()',
  'psycopg.connect()',
  'psycopg.Connection.connect()',
  'psycopg.Connection()',
];
const POSTGRES_CURSORS = [
  ...POSTGRES_CONNECTIONS.flatMap((connection) => [`${connection}.cursor()`, `${connection}.execute()`]),
  'psycopg2.extensions.cursor()',
  'psycopg.Cursor()',
];

const MYSQL_CONNECTIONS = ['pymysql.connect()', 'pymysql.Connect()', 'pymysql.connections.Connection()', 'mysql.connector.connect()'];
const MYSQL_CURSORS = MYSQL_CONNECTIONS.map((connection) => `${connection}.cursor()`);

const MONGO_CLIENTS = ['pymongo.MongoClient()', 'pymongo.mongo_client.MongoClient()'];
const MONGO_COLLECTION_METHODS = [
  'find',
  'find_one',
  'find_one_and_delete',
  'find_one_and_replace',
  'find_one_and_update',
  'insert_one',
  'insert_many',
  'update_one',
  'update_many',
  'replace_one',
  'delete_one',
  'delete_many',
  'aggregate',
  'bulk_write',
  'count_documents',
  'estimated_document_count',
  'distinct',
  'create_index',
  'create_indexes',
  'drop_index',
  'drop',
  'watch',
];
const MONGO_DATABASE_METHODS = ['command', 'list_collection_names', 'create_collection', 'drop_collection'];
const MONGO_CLIENT_METHODS = ['list_database_names', 'server_info', 'drop_database'];
/** Collections: `client.<db>.<collection>`, or objects declared as pymongo collections/databases. */
const MONGO_COLLECTIONS = [
  ...MONGO_CLIENTS.map((client) => `${client}.*.*`),
  'pymongo.collection.Collection()',
  'pymongo.database.Database().*',
];
const MONGO_DATABASES = [...MONGO_CLIENTS.map((client) => `${client}.*`), 'pymongo.database.Database()'];

const REDIS_CLIENTS = [
  'redis.Redis()',
  'redis.StrictRedis()',
  'redis.client.Redis()',
  'redis.client.StrictRedis()',
  'redis.from_url()',
  'redis.Redis.from_url()',
  'redis.StrictRedis.from_url()',
];

/**
 * Methods of objects matched by a broad pattern below that do not wait on I/O: a Redis client's
 * `pipeline()` only buffers commands until `execute()`, `pubsub()` and `lock()` return helpers.
 */
export const NOT_BLOCKING_CALLS: readonly string[] = methods(REDIS_CLIENTS, [
  'pipeline',
  'pubsub',
  'lock',
  'register_script',
  'close',
  'get_connection_kwargs',
  'set_response_callback',
]);

export const BLOCKING_CALLS: readonly BlockingCall[] = [
  ...entries(['time.sleep'], 'sleep', SLEEP),

  // HTTP
  ...entries(
    HTTP_VERBS.flatMap((verb) => [`requests.${verb}`, `requests.api.${verb}`]),
    'http',
    HTTP,
  ),
  ...entries(methods(REQUESTS_SESSIONS, [...HTTP_VERBS, 'send']), 'http', HTTP),
  ...entries(methods(HTTPX_MODULES, [...HTTP_VERBS, 'stream']), 'http', HTTPX),
  ...entries(methods(HTTPX_CLIENTS, [...HTTP_VERBS, 'send', 'stream']), 'http', HTTPX),
  ...entries(
    ['urllib.request.urlopen', 'urllib.request.urlretrieve', 'urllib.request.build_opener().open', 'urllib.request.OpenerDirector().open'],
    'http',
    HTTP,
  ),
  ...entries(['urllib3.request'], 'http', HTTP),
  ...entries(methods(URLLIB3_POOLS, ['request', 'urlopen', 'request_encode_url', 'request_encode_body']), 'http', HTTP),
  ...entries(methods(HTTP_CLIENT_CONNECTIONS, ['request', 'getresponse', 'connect', 'send', 'endheaders']), 'http', HTTP),

  // Sockets and name resolution
  ...entries(['socket.create_connection'], 'socket', SOCKET),
  ...entries(methods(SOCKETS, SOCKET_METHODS), 'socket', SOCKET),
  ...entries(
    ['getaddrinfo', 'gethostbyname', 'gethostbyname_ex', 'gethostbyaddr', 'getnameinfo', 'getfqdn'].map((name) => `socket.${name}`),
    'dns',
    DNS,
  ),

  // Child processes
  ...entries(
    ['run', 'call', 'check_call', 'check_output', 'getoutput', 'getstatusoutput', 'Popen'].map((name) => `subprocess.${name}`),
    'subprocess',
    SUBPROCESS,
  ),
  ...entries(methods(['subprocess.Popen()'], ['wait', 'communicate']), 'subprocess', SUBPROCESS),
  ...entries(
    ['system', 'popen', 'posix_spawn', 'posix_spawnp', 'spawnl', 'spawnle', 'spawnlp', 'spawnlpe', 'spawnv', 'spawnve', 'spawnvp', 'spawnvpe'].map(
      (name) => `os.${name}`,
    ),
    'subprocess',
    SUBPROCESS,
  ),
  ...entries(['wait', 'wait3', 'wait4', 'waitid', 'waitpid'].map((name) => `os.${name}`), 'subprocess', PROCESS_WAIT),

  // Files
  ...entries(['builtins.open', 'io.open', 'io.open_code', 'os.fdopen', 'codecs.open'], 'file', FILE),
  ...entries(methods(PATHS, PATH_IO), 'file', FILE),
  // One step away from a Path: `Path(p).parent.read_text()`, `Path(p).with_suffix(".json").open()`.
  ...entries(methods(PATHS.map((path) => `${path}.*`), PATH_IO), 'file', FILE),
  ...entries(methods(FILE_OBJECTS, FILE_OBJECT_IO), 'file', FILE),
  ...entries(methods(OPENED_FILES, FILE_OBJECT_IO), 'file', FILE, { coveredByMaker: true }),
  ...entries(
    ['copyfile', 'copy', 'copy2', 'copytree', 'rmtree', 'move'].map((name) => `shutil.${name}`),
    'file',
    FILE,
  ),

  // Databases
  ...entries(['sqlite3.connect', 'sqlite3.dbapi2.connect'], 'database', SQLITE, { sameThreadOnly: true }),
  ...entries(methods(SQLITE_CONNECTIONS, ['execute', 'executemany', 'executescript', 'commit', 'rollback', 'backup']), 'database', SQLITE, {
    sameThreadOnly: true,
  }),
  ...entries(methods(SQLITE_CURSORS, [...DBAPI_CURSOR_METHODS, 'executescript']), 'database', SQLITE, { sameThreadOnly: true }),
  ...entries(['psycopg2.connect', 'psycopg.connect', 'psycopg.Connection.connect'], 'database', POSTGRES),
  ...entries(methods(POSTGRES_CONNECTIONS, ['execute', 'commit', 'rollback']), 'database', POSTGRES),
  ...entries(methods(POSTGRES_CURSORS, [...DBAPI_CURSOR_METHODS, 'copy_from', 'copy_to', 'copy_expert']), 'database', POSTGRES),
  ...entries(['pymysql.connect', 'pymysql.Connect', 'pymysql.connections.Connection', 'mysql.connector.connect'], 'database', MYSQL),
  ...entries(methods(MYSQL_CONNECTIONS, ['commit', 'rollback', 'ping', 'select_db']), 'database', MYSQL),
  ...entries(methods(MYSQL_CURSORS, DBAPI_CURSOR_METHODS), 'database', MYSQL),
  ...entries(methods(MONGO_COLLECTIONS, MONGO_COLLECTION_METHODS), 'database', MONGO),
  ...entries(methods(MONGO_DATABASES, MONGO_DATABASE_METHODS), 'database', MONGO),
  ...entries(methods(MONGO_CLIENTS, MONGO_CLIENT_METHODS), 'database', MONGO),
  // Every command of a Redis client talks to the server (see NOT_BLOCKING_CALLS for the exceptions).
  ...entries(methods(REDIS_CLIENTS, ['*']), 'database', REDIS),
  ...entries(methods(REDIS_CLIENTS.map((client) => `${client}.pipeline()`), ['execute']), 'database', REDIS),
  ...entries(
    methods(
      REDIS_CLIENTS.map((client) => `${client}.pubsub()`),
      ['get_message', 'listen', 'subscribe', 'psubscribe', 'unsubscribe', 'punsubscribe'],
    ),
    'database',
    REDIS,
  ),
  ...entries(methods(REDIS_CLIENTS.map((client) => `${client}.lock()`), ['acquire', 'release']), 'database', REDIS),

  // Console
  ...entries(['builtins.input'], 'console', INPUT),
];
