// node examples/commonjs/main.cjs
//
// A CommonJS consumer: require('isolated-call') loads the package's CommonJS build.
const { isModuleLoaded } = require('isolated-call');
const { countIdentifiers } = require('./count-identifiers.cjs');

countIdentifiers('const a = b + a; call(a, b);').then((counts) => {
  console.log(counts);
  console.log(`typescript loaded here: ${isModuleLoaded('typescript')}`);
});
