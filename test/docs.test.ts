import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { Linter } from 'eslint';
import plugin from 'eslint-plugin-otel-async';

/**
 * Rule docs are checked against rule metadata and against the rules themselves: every rule has one
 * page, every page belongs to a rule, the template's sections are there, the "Fix:" line tells the
 * truth, each option has a heading, and the code examples behave as the page says — examples under
 * an "Example" heading are reported by the rule, examples under "Use instead" are not.
 */
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const docsDir = join(repoRoot, 'rules', 'docs');
const REQUIRED_SECTIONS = ['What it does', 'Why is this bad?', 'Example', 'Use instead', 'Fix safety', 'Options', 'When not to use it'];
const FENCE_FILENAMES: Record<string, string> = { python: 'example.py', py: 'example.py', ts: 'example.ts', typescript: 'example.ts', js: 'example.js', javascript: 'example.mjs' };

interface CodeBlock {
  readonly heading: string;
  readonly language: string;
  readonly code: string;
  readonly line: number;
}

function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let heading = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const headingMatch = /^#{2,4}\s+(.*)$/u.exec(line);
    if (headingMatch) heading = headingMatch[1] ?? '';
    const fence = /^```(\w+)\s*$/u.exec(line);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !(lines[i] ?? '').startsWith('```'); i++) body.push(lines[i] ?? '');
    blocks.push({ heading, language: fence[1] ?? '', code: `${body.join('\n')}\n`, line: start + 1 });
  }
  return blocks;
}

function lintExample(ruleId: string, block: CodeBlock): Linter.LintMessage[] {
  const filename = FENCE_FILENAMES[block.language];
  if (!filename) return [];
  const linter = new Linter({ configType: 'flat' });
  const configs = plugin.configs.strict.map((config) => ({ ...config, rules: {} }));
  const messages = linter.verify(block.code, [...configs, { rules: { [`otel-async/${ruleId}`]: 'error' } }], { filename });
  const fatal = messages.find((message) => message.fatal);
  if (fatal) throw new Error(`example at line ${block.line} does not parse: ${fatal.message}`);
  return messages.filter((message) => message.ruleId === `otel-async/${ruleId}`);
}

const ruleIds = Object.keys(plugin.rules).sort();

describe('rule docs', () => {
  it('every doc page belongs to a rule', () => {
    const pages = readdirSync(docsDir).filter((file) => file.endsWith('.md')).map((file) => file.slice(0, -3));
    assert.deepEqual(pages.filter((page) => !ruleIds.includes(page)), []);
  });

  it('the README rule table is current', () => {
    execFileSync(process.execPath, [join(repoRoot, 'rules', 'tools', 'update-readme.mjs'), '--check'], { stdio: 'pipe' });
  });

  for (const ruleId of ruleIds) {
    describe(ruleId, () => {
      const rule = plugin.rules[ruleId];
      const path = join(docsDir, `${ruleId}.md`);
      it('has a doc page that meta.docs.url points to', () => {
        assert.ok(existsSync(path), `missing rules/docs/${ruleId}.md`);
        assert.ok(rule?.meta?.docs?.url?.endsWith(`/rules/docs/${ruleId}.md`), `meta.docs.url of ${ruleId}`);
      });
      if (!existsSync(path)) return;
      const markdown = readFileSync(path, 'utf8');

      it('follows the template', () => {
        assert.match(markdown, new RegExp(`^# otel-async/${ruleId}\\n`, 'u'));
        const headings = [...markdown.matchAll(/^#{2,3} (.+)$/gmu)].map((match) => match[1]);
        for (const section of REQUIRED_SECTIONS) assert.ok(headings.includes(section), `missing section "${section}"`);
      });

      it('says truthfully whether it has an autofix or suggestions', () => {
        const fixLine = /^Fix: (.+)$/mu.exec(markdown)?.[1] ?? '';
        assert.ok(fixLine, 'missing a "Fix: ..." line');
        assert.equal(/autofix/u.test(fixLine), Boolean(rule?.meta?.fixable), `"Fix: ${fixLine}" vs meta.fixable`);
        assert.equal(/suggestion/u.test(fixLine), Boolean(rule?.meta?.hasSuggestions), `"Fix: ${fixLine}" vs meta.hasSuggestions`);
      });

      it('documents every option', () => {
        const schema = rule?.meta?.schema;
        const first = Array.isArray(schema) ? (schema[0] as { properties?: Record<string, unknown> } | undefined) : undefined;
        for (const option of Object.keys(first?.properties ?? {})) {
          assert.match(markdown, new RegExp(`^#{3,4} \`?${option}\`?\\s*$`, 'mu'), `no heading for option "${option}"`);
        }
      });

      it('its incorrect examples are reported and its correct examples are not', () => {
        const blocks = codeBlocks(markdown).filter((block) => FENCE_FILENAMES[block.language]);
        const incorrect = blocks.filter((block) => /^Example/u.test(block.heading) || /incorrect/iu.test(block.heading));
        const correct = blocks.filter((block) => /^Use instead/u.test(block.heading) || /\bcorrect\b/iu.test(block.heading) && !/incorrect/iu.test(block.heading));
        assert.ok(incorrect.length > 0, 'no incorrect example');
        assert.ok(correct.length > 0, 'no correct example');
        for (const block of incorrect) assert.ok(lintExample(ruleId, block).length > 0, `example at line ${block.line} is not reported`);
        for (const block of correct) {
          const messages = lintExample(ruleId, block);
          assert.deepEqual(messages.map((m) => `${m.line}:${m.column} ${m.message}`), [], `correct example at line ${block.line} is reported`);
        }
      });
    });
  }
});
