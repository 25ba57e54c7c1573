// Runs every form example case through the JavaScript interpreter, for
// tests/test_form_examples.py, which compares the results with `expected` and with Python.
//
//   node tests/forms_examples_runner.mjs <examples dir> <messages.json>
//
// messages.json is the default error messages table (the Python test writes it from
// server/forms/messages.py): each case's definition plus that table is exactly what
// server/forms/export.py sends the browser. Prints {"<file name>": {errors, values}}.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { cleanAnswers, validatePage } from '../pwa/scripts/forms/validate.js';

const [examplesDir, messagesPath] = process.argv.slice(2);
if (!examplesDir || !messagesPath) {
    console.error('usage: node tests/forms_examples_runner.mjs <examples dir> <messages.json>');
    process.exit(2);
}
const messages = JSON.parse(readFileSync(messagesPath, 'utf8'));
const results = {};
for (const name of readdirSync(examplesDir).filter((n) => n.endsWith('.json')).sort()) {
    const example = JSON.parse(readFileSync(join(examplesDir, name), 'utf8'));
    const definition = { ...example.definition, messages };
    const options = { today: example.today, fileSizes: example.file_sizes };
    try {
        results[name] = example.page === null
            ? cleanAnswers(definition, example.answers, options)
            : validatePage(definition, example.page, example.answers,
                example.previous_answers || {}, options);
    } catch (error) {
        results[name] = { exception: String(error && error.stack) };
    }
}
process.stdout.write(JSON.stringify(results));
