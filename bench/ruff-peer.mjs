// The peer we compare against: ruff compiled to WebAssembly, with its flake8-async rules (ASYNC) and
// RUF006 (a create_task result that is not stored). Findings are matched by line.
import { Workspace, PositionEncoding } from '@astral-sh/ruff-wasm-nodejs';

export const RUFF_SELECT = ['ASYNC', 'RUF006'];

/** Which ruff codes find the same mistake as one of our rules (rules not listed have no ruff peer). */
export const PEER_CODES = {
  'otel-async/no-blocking-in-span': { pattern: /^ASYNC(2\d\d)$/u, label: 'ASYNC2xx (ASYNC210, 212, 22x, 230, 240, 250, 251)' },
  'otel-async/no-untracked-task': { pattern: /^RUF006$/u, label: 'RUF006' },
};

export function ruffVersion() {
  return Workspace.version();
}

/** A ruff workspace; `check(text)` returns its findings with 1-based lines, syntax errors separate. */
export function createRuff() {
  // py311: the corpus uses TaskGroup and except*, which ruff would otherwise flag as too new.
  const workspace = new Workspace({ 'target-version': 'py311', lint: { select: RUFF_SELECT } }, PositionEncoding.Utf16);
  return {
    checkRaw: (text) => workspace.check(text),
    check(text) {
      const findings = [];
      const syntaxErrors = [];
      for (const diagnostic of workspace.check(text)) {
        const finding = { code: diagnostic.code, line: diagnostic.start_location.row, message: diagnostic.message };
        (diagnostic.code ? findings : syntaxErrors).push(finding);
      }
      return { findings, syntaxErrors };
    },
  };
}

/**
 * Matches our findings with ruff's by file and line. For each of our rules: how many findings ruff also
 * reports on that line with a peer code, how many only with an unrelated code, how many not at all.
 * For each ruff code: how many of its findings have one of ours on the same line.
 */
export function compareFindings(files) {
  const ours = new Map();
  const theirs = new Map();
  const entry = (map, key) => {
    if (!map.has(key)) map.set(key, { total: 0, peer: 0, otherCode: 0, missed: [], codes: new Set() });
    return map.get(key);
  };
  for (const file of files) {
    const ruffByLine = groupByLine(file.ruff);
    const oursByLine = groupByLine(file.ours);
    for (const finding of file.ours) {
      const stats = entry(ours, finding.ruleId ?? '(parse error)');
      stats.total++;
      const sameLine = ruffByLine.get(finding.line) ?? [];
      const peer = PEER_CODES[finding.ruleId]?.pattern;
      const matching = sameLine.filter((their) => peer?.test(their.code));
      for (const their of matching) stats.codes.add(their.code);
      if (matching.length > 0) stats.peer++;
      else if (sameLine.length > 0) stats.otherCode++;
      else stats.missed.push(where(file, finding.line));
    }
    for (const finding of file.ruff) {
      const stats = entry(theirs, finding.code);
      stats.total++;
      const sameLine = oursByLine.get(finding.line) ?? [];
      for (const our of sameLine) stats.codes.add(our.ruleId);
      if (sameLine.length > 0) stats.peer++;
      else stats.missed.push(where(file, finding.line));
    }
  }
  return { ours: sortedEntries(ours), theirs: sortedEntries(theirs) };
}

function groupByLine(findings) {
  const byLine = new Map();
  for (const finding of findings) {
    if (!byLine.has(finding.line)) byLine.set(finding.line, []);
    byLine.get(finding.line).push(finding);
  }
  return byLine;
}

/** Up to `limit` places whose lines differ in what they call, so the samples show different cases. */
export function distinctSamples(places, limit) {
  const seen = new Set();
  const picked = [];
  for (const place of places) {
    const shape = place.source.replace(/["'].*$/u, '').replace(/\d+/gu, 'N');
    if (seen.has(shape)) continue;
    seen.add(shape);
    picked.push(place);
    if (picked.length === limit) break;
  }
  return picked;
}

function where(file, line) {
  const source = (file.lines[line - 1] ?? '').trim();
  return { file: file.name, line, source: source.length > 70 ? `${source.slice(0, 70)}…` : source };
}

function sortedEntries(map) {
  return [...map.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, stats]) => ({ id, ...stats, codes: [...stats.codes].sort() }));
}
