// Validates an AsyncAPI document with the official parser (Spectral rules
// included) and prints every diagnostic. Exit 1 on any error, 0 otherwise;
// warnings are printed but do not fail.
//
//   node validate-asyncapi.mjs ../asyncapi.yaml [--json]
//
// --json prints one JSON object instead, for tests to read: the diagnostics,
// the channels with their message ids as the parser understood them, and the
// document as read by the YAML reader the parser uses (so a test can prove the
// hand-written YAML means exactly what Python built).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { parse as parseYaml } from '@stoplight/yaml';

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const file = args.find((arg) => !arg.startsWith('--'));
if (!file) {
  console.error('usage: node validate-asyncapi.mjs <asyncapi.yaml> [--json]');
  process.exit(2);
}

const SEVERITY = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

const source = path.resolve(file);
const text = await readFile(source, 'utf8');
const { document, diagnostics } = await new Parser().parse(text, { source });

const found = diagnostics.map((d) => ({
  severity: SEVERITY[d.severity] ?? String(d.severity),
  code: String(d.code),
  path: d.path.join('.'),
  message: d.message,
}));
const errors = found.filter((d) => d.severity === 'error');

const channels = {};
if (document) {
  for (const channel of document.channels().all()) {
    channels[channel.address()] = channel.messages().all().map((m) => m.id());
  }
}

if (asJson) {
  const valid = Boolean(document) && errors.length === 0;
  console.log(JSON.stringify({ valid, diagnostics: found, channels, parsed: parseYaml(text) }));
} else {
  for (const d of found) {
    console.log(`${d.severity}: ${d.code} at ${d.path || '(root)'}: ${d.message}`);
  }
  const count = (s) => found.filter((d) => d.severity === s).length;
  console.log(
    `${file}: ${errors.length} error(s), ${count('warning')} warning(s), ` +
      `${count('info')} info, ${count('hint')} hint(s); ${Object.keys(channels).length} channel(s)`,
  );
}
// exitCode, not exit(): exit() would cut off output still queued for a pipe.
process.exitCode = document && errors.length === 0 ? 0 : 1;
