// Runs every display example (server/forms/display_examples/*.json) through the
// browser's code, for tests/test_display_examples.py, which compares the results with
// `expected` and so with the server's answers_display.py and i18n.py.
//
//   node tests/display_examples_runner.mjs <examples dir> <context.json>
//
// context.json: {"words": the untranslated words of answers_display.WORDS, "formats":
// {language: i18n.date_formats(language)}}. Prints {"<file name>": result}.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { answerLines, fieldsFromAnswer } from '../pwa/scripts/forms/answers_display.js';
import { formatDate, formatDateTime } from '../pwa/scripts/time/dates.js';

const [examplesDir, contextPath] = process.argv.slice(2);
if (!examplesDir || !contextPath) {
    console.error('usage: node tests/display_examples_runner.mjs <examples dir> <context.json>');
    process.exit(2);
}
const { words, formats } = JSON.parse(readFileSync(contextPath, 'utf8'));
const results = {};
for (const name of readdirSync(examplesDir).filter((n) => n.endsWith('.json')).sort()) {
    const example = JSON.parse(readFileSync(join(examplesDir, name), 'utf8'));
    try {
        if (example.question) {
            const options = { words, filenames: example.filenames || {}, dates: formats[example.locale] };
            results[name] = {
                lines: answerLines(example.question, example.value, options),
                fields: fieldsFromAnswer(example.question, example.value),
            };
        } else {
            const write = example.kind === 'date' ? formatDate : formatDateTime;
            results[name] = Object.fromEntries(Object.keys(formats).map((code) => [code, write(example.value, formats[code])]));
        }
    } catch (error) {
        results[name] = { exception: String(error && error.stack) };
    }
}
process.stdout.write(JSON.stringify(results));
