const { isolate } = require('isolated-call');

// Exported under the function's own name, so the child finds it.
exports.countIdentifiers = isolate(async function countIdentifiers(source) {
  const ts = require('typescript'); // loaded in the child only
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, source);
  const counts = {};
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.Identifier) counts[scanner.getTokenText()] = (counts[scanner.getTokenText()] ?? 0) + 1;
  }
  return counts;
});
