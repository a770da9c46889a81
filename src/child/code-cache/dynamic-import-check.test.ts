import { describe, expect, it } from 'vitest';
import { mayImportDynamically } from './dynamic-import-check.js';

describe('mayImportDynamically', () => {
  it.each([
    ["exports.load = () => import('x');", 'a dynamic import'],
    ["exports.load = () => import /* why */ ('x');", 'one with a comment before its parenthesis'],
    ['exports.t = `${await import("x")}`;', 'one inside a template literal'],
    ['exports.run = (code) => eval(code);', 'eval'],
    ['exports.run = (0, eval);', 'an indirect eval'],
    ["exports.make = () => new Function('s', 'return import(s)');", 'code made by Function()'],
    ['exports.run = (code) => globalThis.eval(code);', 'eval of an object'],
    ["exports.make = () => Function.call(null, 's', 'return import(s)');", 'Function.call'],
    ["exports.make = () => Function.apply(null, ['s', 'return import(s)']);", 'Function.apply'],
    ["exports.make = () => globalThis.Function('s', 'return import(s)');", 'Function of an object'],
    ['exports.m = "import(x)"; exports.broken = (;', 'a source that does not compile'],
  ])('says "may" for %s (%s)', (source) => {
    expect(mayImportDynamically(source)).toBe(true);
  });

  it.each([
    ['exports.message = "\'import()\' calls can be written";', 'import( in a string'],
    ['// import(x) in a comment\nexports.a = 1;', 'in a comment'],
    ['exports.call = (o) => o.import(1) + o?.import(2);', 'a method named import'],
    ['exports.keys = { import: 1, eval: 2 };', 'keys'],
    ['exports.isFn = (f) => f instanceof Function && Function.prototype.call;', 'Function not called'],
    ['exports.e = (o) => o.evaluate(1) + o.evalx;', 'names that start with eval'],
    ['exports.s = "globalThis.eval(x) and Function.call(y)";', '.eval( and Function.call( in a string'],
    ['exports.a = 1;', 'nothing suspect'],
  ])('says "no" for %s (%s)', (source) => {
    expect(mayImportDynamically(source)).toBe(false);
  });
});
