import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Linter } from 'eslint';
import { CALLS, SYNTAX, assertCompiles, at, lint, pythonCompileErrors, pythonConfig, reported, sourceCodeOf, type Rules } from './helpers.js';

const CALL = 'test/report-call';
const BOTH: Rules = { ...CALLS, ...SYNTAX };

function lintWithSuppressed(code: string, rules: Rules = CALLS, extra: Linter.Config = {}): {
  messages: Linter.LintMessage[];
  suppressed: Linter.SuppressedLintMessage[];
} {
  // Linter#getSuppressedMessages exists at runtime but is missing from eslint's type declarations.
  const linter = new Linter({ configType: 'flat' }) as Linter & { getSuppressedMessages(): Linter.SuppressedLintMessage[] };
  const messages = linter.verify(code, pythonConfig(rules, extra), { filename: 'example.py' });
  return { messages, suppressed: linter.getSuppressedMessages() };
}

describe('disable directives in Python comments', () => {
  test('# eslint-disable-next-line <rule> -- reason suppresses the next line only and keeps the justification', () => {
    const code = ['# eslint-disable-next-line test/report-call -- the SDK call is fine here', 'foo()', 'bar()', ''].join('\n');
    const { messages, suppressed } = lintWithSuppressed(code);
    assert.deepEqual(reported(messages), [at(CALL, 'call of bar', 3, 1, 3, 6)]);
    assert.equal(suppressed.length, 1);
    assert.equal(suppressed[0]?.message, 'call of foo');
    assert.deepEqual(suppressed[0]?.suppressions, [{ kind: 'directive', justification: 'the SDK call is fine here' }]);
  });

  test('# eslint-disable-line suppresses its own line; the directive may follow code', () => {
    const code = 'foo()  # eslint-disable-line test/report-call\nbar()\n';
    assert.deepEqual(reported(lint(code)), [at(CALL, 'call of bar', 2, 1, 2, 6)]);
  });

  test('a directive without a space after # works, as //eslint-disable-line does in JavaScript', () => {
    assert.deepEqual(reported(lint('foo()  #eslint-disable-line test/report-call\n')), []);
  });

  test('# eslint-disable / # eslint-enable bound a range, also inside an indented block', () => {
    const code = [
      'foo()',
      'def f():',
      '    # eslint-disable test/report-call',
      '    bar()',
      '    baz()',
      '    # eslint-enable test/report-call',
      '    qux()',
      '',
    ].join('\n');
    assert.deepEqual(reported(lint(code)), [at(CALL, 'call of foo', 1, 1, 1, 6), at(CALL, 'call of qux', 7, 5, 7, 10)]);
  });

  test('# eslint-disable without rule names disables every rule until the end of the file', () => {
    const code = 'foo()\n# eslint-disable\nbar(\nbaz()\n';
    assert.deepEqual(reported(lint(code, BOTH)), [at(CALL, 'call of foo', 1, 1, 1, 6)]);
  });

  test('text that looks like a directive inside a string is not a directive', () => {
    const code = 'foo("# eslint-disable-line test/report-call")\n';
    assert.deepEqual(reported(lint(code)), [at(CALL, 'call of foo', 1, 1, 1, 46)]);
  });

  test('a directive naming an unknown rule is reported at the comment', () => {
    const code = 'foo()  # eslint-disable-line nope/rule\n';
    assert.deepEqual(reported(lint(code)), [
      at(CALL, 'call of foo', 1, 1, 1, 6),
      at('nope/rule', "Definition for rule 'nope/rule' was not found.", 1, 8, 1, 39),
    ]);
  });

  test('in a CRLF file the justification and positions do not include the CR', () => {
    const code = 'foo()  # eslint-disable-line test/report-call -- why\r\nbar()\r\n';
    const { messages, suppressed } = lintWithSuppressed(code);
    assert.deepEqual(reported(messages), [at(CALL, 'call of bar', 2, 1, 2, 6)]);
    assert.deepEqual(suppressed[0]?.suppressions, [{ kind: 'directive', justification: 'why' }]);
    const sourceCode = sourceCodeOf(code);
    assert.deepEqual(
      sourceCode.comments.map((comment) => [comment.value, comment.range, comment.loc]),
      [[' eslint-disable-line test/report-call -- why', [7, 52], { start: { line: 1, column: 7 }, end: { line: 1, column: 52 } }]],
    );
  });
});

describe('# eslint rule configuration comments', () => {
  test('# eslint <rule>: off turns the rule off for the file; warn changes the severity', () => {
    assert.deepEqual(reported(lint('# eslint test/report-call: off\nfoo()\n')), []);
    const warned = lint('# eslint test/report-call: warn\nfoo()\n');
    assert.deepEqual(reported(warned), [at(CALL, 'call of foo', 2, 1, 2, 6)]);
    assert.equal(warned[0]?.severity, 1);
  });

  test('a malformed # eslint comment is a clear fatal problem at the comment, and linting goes on', () => {
    const messages = lint('# eslint test/report-call: [\nfoo()\n');
    assert.equal(messages.length, 2);
    const [problem, call] = messages;
    assert.ok(problem);
    assert.equal(problem.ruleId, null);
    assert.equal(problem.fatal, true);
    assert.match(problem.message, /^Failed to parse JSON from '"test\/report-call": \[': /u);
    assert.deepEqual([problem.line, problem.column, problem.endLine, problem.endColumn], [1, 1, 1, 29]);
    assert.deepEqual(reported(call ? [call] : []), [at(CALL, 'call of foo', 2, 1, 2, 6)]);
  });

  test('an invalid severity and an unknown rule in # eslint are reported at the comment', () => {
    assert.deepEqual(reported(lint('# eslint test/report-call: "loud"\n')), [
      at(
        CALL,
        'Inline configuration for rule "test/report-call" is invalid:\n\tExpected severity of "off", 0, "warn", 1, "error", or 2. You passed "loud".\n',
        1,
        1,
        1,
        34,
      ),
    ]);
    assert.deepEqual(reported(lint('# eslint nope/rule: off\n')), [at('nope/rule', "Definition for rule 'nope/rule' was not found.", 1, 1, 1, 24)]);
  });

  test('configuring the same rule twice reports the second comment, as ESLint does', () => {
    assert.deepEqual(reported(lint('# eslint test/report-call: off\n# eslint test/report-call: warn\nfoo()\n')), [
      at(
        null,
        'Rule "test/report-call" is already configured by another configuration comment in the preceding code. This configuration is ignored.',
        2,
        1,
        2,
        32,
      ),
    ]);
  });
});

describe('comments that are not ESLint directives', () => {
  const code = ['foo()  # noqa', 'bar()  # type: ignore', '# noqa: E501', 'x = baz()  # type: int', '# eslint-env node', ''].join('\n');

  test('# noqa, # type: and JavaScript-only directives change nothing', () => {
    assert.deepEqual(reported(lint(code)), [
      at(CALL, 'call of foo', 1, 1, 1, 6),
      at(CALL, 'call of bar', 2, 1, 2, 6),
      at(CALL, 'call of baz', 4, 5, 4, 10),
    ]);
  });

  test('they are comments, but not inline configuration', () => {
    const sourceCode = sourceCodeOf(code);
    assert.equal(sourceCode.comments.length, 5);
    assert.deepEqual(sourceCode.getInlineConfigNodes(), []);
    assert.deepEqual(sourceCode.getDisableDirectives(), { problems: [], directives: [] });
  });

  test('with noInlineConfig, directives are reported as having no effect and # noqa is not', () => {
    const messages = lint('foo()  # eslint-disable-line test/report-call\nbar()  # noqa\n', CALLS, { linterOptions: { noInlineConfig: true } });
    assert.deepEqual(reported(messages), [
      at(CALL, 'call of foo', 1, 1, 1, 6),
      at(null, "'# eslint-disable-line test/report-call' has no effect because you have 'noInlineConfig' setting in your config.", 1, 8, 1, 46),
      at(CALL, 'call of bar', 2, 1, 2, 6),
    ]);
  });
});

describe('unused directives', () => {
  const UNUSED_CALL = "Unused eslint-disable directive (no problems were reported from 'test/report-call').";

  test('an unused directive is a warning by default, an error when configured, nothing when off', () => {
    const code = 'x = 1  # eslint-disable-line test/report-call\n';
    const byDefault = lint(code);
    assert.deepEqual(reported(byDefault), [at(null, UNUSED_CALL, 1, 8, undefined, undefined)]);
    assert.equal(byDefault[0]?.severity, 1);
    assert.deepEqual(byDefault[0]?.fix, { range: [7, 45], text: ' ' });
    const asError = lint(code, CALLS, { linterOptions: { reportUnusedDisableDirectives: 'error' } });
    assert.equal(asError[0]?.severity, 2);
    assert.deepEqual(lint(code, CALLS, { linterOptions: { reportUnusedDisableDirectives: 'off' } }), []);
  });

  test('a used directive is not reported', () => {
    assert.deepEqual(lint('foo()  # eslint-disable-line test/report-call\n', CALLS, { linterOptions: { reportUnusedDisableDirectives: 'error' } }), []);
  });

  test('one unused rule in a list is reported alone and its fix removes only that name', () => {
    const code = 'foo()  # eslint-disable-line test/report-call, otel-async/syntax-error\n';
    const messages = lint(code, BOTH, { linterOptions: { reportUnusedDisableDirectives: 'error' } });
    assert.deepEqual(reported(messages), [
      at(null, "Unused eslint-disable directive (no problems were reported from 'otel-async/syntax-error').", 1, 8, undefined, undefined),
    ]);
    assert.deepEqual(messages[0]?.fix, { range: [45, 70], text: '' });
  });

  test('an unused # eslint-enable is reported', () => {
    const messages = lint('# eslint-enable test/report-call\nfoo()\n', CALLS, { linterOptions: { reportUnusedDisableDirectives: 'error' } });
    assert.deepEqual(reported(messages), [
      at(null, "Unused eslint-enable directive (no matching eslint-disable directives were found for 'test/report-call').", 1, 1, undefined, undefined),
      at(CALL, 'call of foo', 2, 1, 2, 6),
    ]);
  });

  test('an inline config that changes nothing is reported with reportUnusedInlineConfigs', () => {
    const messages = lint('# eslint test/report-call: error\nfoo()\n', CALLS, { linterOptions: { reportUnusedInlineConfigs: 'error' } });
    assert.deepEqual(reported(messages), [
      at(null, "Unused inline config ('test/report-call' is already configured to 'error').", 1, 1, 1, 33),
      at(CALL, 'call of foo', 2, 1, 2, 6),
    ]);
  });

  test("ESLint's fix for unused directives leaves Python that compiles", () => {
    const cases: [string, string][] = [
      ['x = 1  # eslint-disable-line test/report-call\n', 'x = 1   \n'],
      ['def f():\n    # eslint-disable-next-line test/report-call\n    return 1\n', 'def f():\n     \n    return 1\n'],
      ['if True:\n    # eslint-disable test/report-call\n    pass\n    # eslint-enable test/report-call\n', 'if True:\n     \n    pass\n     \n'],
      [
        'foo()  # eslint-disable-line test/report-call, otel-async/syntax-error -- reason\n',
        'foo()  # eslint-disable-line test/report-call -- reason\n',
      ],
      [
        'foo()  # eslint-disable-line otel-async/syntax-error, test/report-call\n',
        'foo()  # eslint-disable-line test/report-call\n',
      ],
      ['class A:\r\n    x = 1  # eslint-disable-line test/report-call\r\n    y = 2\r\n', 'class A:\r\n    x = 1   \r\n    y = 2\r\n'],
      ['\uFEFFz = [\n    1,  # eslint-disable-line test/report-call\n]\n', '\uFEFFz = [\n    1,   \n]\n'],
    ];
    const outputs: string[] = [];
    for (const [code, expected] of cases) {
      const result = new Linter({ configType: 'flat' }).verifyAndFix(
        code,
        pythonConfig(BOTH, { linterOptions: { reportUnusedDisableDirectives: 'error' } }),
        { filename: 'example.py', fix: true },
      );
      assert.equal(result.fixed, true, JSON.stringify(code));
      assert.equal(result.output, expected);
      assert.deepEqual(result.messages, [], JSON.stringify(result.output));
      outputs.push(result.output);
    }
    // python3 compiles every input and every fixed output (one python3 process for all of them).
    const sources = [...cases.map(([code]) => code), ...outputs];
    assert.deepEqual(pythonCompileErrors(sources), sources.map(() => undefined));
    // And py_compile itself on one fixed file, as a user's tooling would run it.
    assertCompiles(outputs[0] ?? '');
  });
});
