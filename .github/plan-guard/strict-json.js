"use strict";
/**
 * A strict JSON reader for Terraform JSON (`cdk.tf.json`) and for the model and state files the
 * review pipeline passes between jobs. `JSON.parse` keeps the LAST of two equal object keys;
 * Terraform's JSON reader keeps them all (two `"data"` keys are two sets of data sources). A
 * checker built on `JSON.parse` therefore sees a different document than Terraform does. This
 * reader refuses any object with a repeated key, anywhere, with the JSON path of the repetition,
 * so whoever reads the result sees exactly what Terraform would.
 *
 * RFC 8259 grammar, nothing more: no comments, no trailing commas, no NaN; a leading byte-order
 * mark is refused too (Terraform reads UTF-8 without one). Plain CommonJS without dependencies:
 * the plan guard runs it on a runner that installs nothing.
 */

class StrictJsonError extends Error {
  /** @param {string} message  @param {number} position  @param {string} path */
  constructor(message, position, path) {
    super(`${message} at ${path} (character ${position})`);
    this.name = "StrictJsonError";
    this.position = position;
    this.path = path;
  }
}

const WHITESPACE = new Set([" ", "\t", "\n", "\r"]);
const ESCAPES = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };
const MAX_DEPTH = 512;

/** A JSON path segment, written as the rest of the project writes paths (`$.resource["a b"][0]`). */
function member(path, key) {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Parses `text`; throws StrictJsonError on a syntax error or a repeated key.
 * Objects come back as null-prototype-free plain objects built with defineProperty, so a key
 * such as `__proto__` is an ordinary key (as it is for Terraform), never a prototype change.
 * @param {string} text
 * @returns {unknown}
 */
function parseStrictJson(text) {
  let pos = 0;

  const fail = (message, path) => {
    throw new StrictJsonError(message, pos, path);
  };
  const skip = () => {
    while (pos < text.length && WHITESPACE.has(text[pos])) pos++;
  };

  function readString(path) {
    pos++; // opening quote
    let out = "";
    for (;;) {
      if (pos >= text.length) fail("unterminated string", path);
      const c = text[pos];
      if (c === '"') {
        pos++;
        return out;
      }
      if (c === "\\") {
        const e = text[pos + 1];
        if (e === "u") {
          const hex = text.slice(pos + 2, pos + 6);
          if (!/^[0-9A-Fa-f]{4}$/.test(hex)) fail("bad \\u escape", path);
          out += String.fromCharCode(parseInt(hex, 16));
          pos += 6;
        } else if (e !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, e)) {
          out += ESCAPES[e];
          pos += 2;
        } else fail("bad escape", path);
        continue;
      }
      if (c < " ") fail("control character in a string", path);
      out += c;
      pos++;
    }
  }

  function readValue(path, depth) {
    if (depth > MAX_DEPTH) fail("nested too deeply", path);
    skip();
    const c = text[pos];
    if (c === "{") {
      pos++;
      const out = {};
      const seen = new Set();
      skip();
      if (text[pos] === "}") {
        pos++;
        return out;
      }
      for (;;) {
        skip();
        if (text[pos] !== '"') fail("expected a quoted object key", path);
        const key = readString(path);
        if (seen.has(key)) fail(`duplicate key ${JSON.stringify(key)} (Terraform would read both, JSON.parse only the last)`, member(path, key));
        seen.add(key);
        skip();
        if (text[pos] !== ":") fail('expected ":" after an object key', member(path, key));
        pos++;
        const value = readValue(member(path, key), depth + 1);
        Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
        skip();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "}") {
          pos++;
          return out;
        }
        fail('expected "," or "}"', path);
      }
    }
    if (c === "[") {
      pos++;
      const out = [];
      skip();
      if (text[pos] === "]") {
        pos++;
        return out;
      }
      for (;;) {
        out.push(readValue(`${path}[${out.length}]`, depth + 1));
        skip();
        if (text[pos] === ",") {
          pos++;
          continue;
        }
        if (text[pos] === "]") {
          pos++;
          return out;
        }
        fail('expected "," or "]"', path);
      }
    }
    if (c === '"') return readString(path);
    const literal = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos, pos + 400));
    if (!literal) fail("expected a value", path);
    pos += literal[0].length;
    return JSON.parse(literal[0]);
  }

  if (typeof text !== "string") throw new TypeError("parseStrictJson needs a string");
  if (text.charCodeAt(0) === 0xfeff) fail("byte-order mark", "$");
  const value = readValue("$", 0);
  skip();
  if (pos !== text.length) fail("unexpected text after the JSON value", "$");
  return value;
}

module.exports = { parseStrictJson, StrictJsonError };
