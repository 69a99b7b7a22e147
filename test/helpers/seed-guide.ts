import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The seed guide's code, indentation restored, kept once in test/fixtures/python/seed_guide/. */
const directory = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'test', 'fixtures', 'python', 'seed_guide');

/** `correct_patterns.py`: every correct pattern of the guide; `common_mistakes.py`; `reported_by_design.py`. */
export function seedGuide(file: 'correct_patterns' | 'common_mistakes' | 'reported_by_design'): string {
  return readFileSync(join(directory, `${file}.py`), 'utf8');
}
