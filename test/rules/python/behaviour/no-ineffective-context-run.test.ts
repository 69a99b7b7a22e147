import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { lintPython } from '../../../helpers/rule-tester.js';

/**
 * Measures, with real python3 and plain contextvars, what the rule claims: `await ctx.run(async_fn)`
 * does not run the body in `ctx`, and the body's context changes leak into the caller; the rule's
 * suggestion (`asyncio.create_task(..., context=ctx)`) runs it in `ctx` and keeps the caller clean.
 */
const PROGRAM = `import asyncio
import contextvars

current = contextvars.ContextVar("current_span", default="request")


async def process_item(item):
    print("body sees:", current.get())
    current.set("process_item")


async def isolated(item):
    ctx = contextvars.copy_context()
    ctx.run(current.set, "snapshot")
    await ctx.run(process_item, item)
    print("caller after:", current.get())


asyncio.run(isolated(1))
`;

function runPython(program: string): string {
  return execFileSync('python3', ['-c', program], { encoding: 'utf8', stdio: 'pipe' });
}

describe('no-ineffective-context-run, measured with python3', () => {
  it('await ctx.run(async_fn): the body does not see ctx, and its change leaks to the caller', () => {
    assert.equal(runPython(PROGRAM), 'body sees: request\ncaller after: process_item\n');
  });

  it('the suggestion runs the body in ctx and keeps the caller context', () => {
    const [problem] = lintPython(PROGRAM, 'no-ineffective-context-run');
    const fix = problem?.suggestions?.[0]?.fix;
    assert.ok(fix);
    const fixed = PROGRAM.slice(0, fix.range[0]) + fix.text + PROGRAM.slice(fix.range[1]);
    assert.match(fixed, /await asyncio\.create_task\(process_item\(item\), context=ctx\)/u);
    assert.equal(runPython(fixed), 'body sees: snapshot\ncaller after: request\n');
  });
});
