/**
 * Reads a config file (`m2m.config.ts`, a team's `*.m2m.ts`) as DATA: the TypeScript compiler's
 * parser builds the syntax tree and this reader computes the value from it; nothing in the file
 * is ever run (issue 21). So the config cannot differ by environment variable, date, machine or
 * run: `npm run synth`, deploy, the reports, `m2m dev` and the pull-request review all read the
 * same value from the same bytes, and the review reads a pull request's config without running
 * anything it wrote.
 *
 * The accepted subset (everything a config needs, and what the project's own files use):
 *   - object and array literals, strings (template literals only without `${...}`), numbers
 *     (a leading `-` too), `true`, `false`, `null`;
 *   - `defineConfig(...)` / `defineApi(...)` around the value (identity helpers for the editor),
 *     `as const`, `as T`, `satisfies T`, `!`, parentheses, comments;
 *   - top-level `const NAME = <literal>` bindings, used by name, shorthand (`{ owners }`) or
 *     spread (`...common`), resolved by this reader in file order;
 *   - imports of `defineConfig`/`defineApi` from the project's `model/config-types`, and
 *     type-only imports (`import type`), type aliases and interfaces (erased, never run).
 * Everything else is refused with `file:line:column` and the construct, all of them at once:
 * other calls, computed keys, getters and methods, spreads of anything not bound here,
 * identifiers such as `process`, `global` or `undefined`, `new Date()`, conditionals, operators.
 */
import * as path from "node:path";
import type * as TS from "typescript";

/** The value of a config file, or every construct that keeps it from being data. */
export type ConfigDataResult = { readonly value: unknown } | { readonly problems: readonly string[] } | { readonly noDefaultExport: true };

/** The identity helpers a config may call, and the module they come from. */
const HELPERS = new Set(["defineConfig", "defineApi"]);
const HELPER_MODULE = /^(?:\.\.?\/)+(?:[^'"]*\/)?model\/config-types(?:\.[cm]?[jt]s)?$/;

/** JavaScript gives `__proto__` in an object literal a meaning of its own: refused, never guessed at. */
const FORBIDDEN_KEYS = new Set(["__proto__"]);

class Refused extends Error {}

/** A fresh copy of a bound value at each use: two entries never share one object. */
function copyOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copyOf);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: copyOf(v), enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * Loaded on first use (a model file, JSON, needs none of it). typescript.js is 9 MB: compiling
 * it costs 0.5-1 s per process, so V8's compile cache is kept in the project's build directory
 * (.m2m/, ignored), which brings a load down to ~150 ms from the second command on.
 */
let typescript: typeof TS | undefined;
function ts(): typeof TS {
  if (typescript === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeModule = require("node:module") as { enableCompileCache?: (dir: string) => unknown };
    try {
      nodeModule.enableCompileCache?.(path.join(__dirname, "..", ".m2m", "build", "v8-compile-cache"));
    } catch {
      // A cache is an optimization: a read-only checkout loads the parser without it.
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    typescript = require("typescript") as typeof TS;
  }
  return typescript;
}

/** Reads `text` (the contents of `file`, named as the user should see it) as config data. */
export function readConfigData(file: string, text: string): ConfigDataResult {
  const t = ts();
  const source = t.createSourceFile(file, text, t.ScriptTarget.Latest, true, t.ScriptKind.TS);
  const problems: string[] = [];
  const at = (node: TS.Node) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart(source));
    return `${file}:${line + 1}:${character + 1}`;
  };
  const refuse = (node: TS.Node, what: string): never => {
    problems.push(`${at(node)}: ${what}`);
    throw new Refused();
  };
  // Syntax errors first: a tree with errors in it is not read for values.
  const syntax = (source as unknown as { parseDiagnostics?: readonly TS.Diagnostic[] }).parseDiagnostics ?? [];
  for (const d of syntax) {
    const { line, character } = source.getLineAndCharacterOfPosition(d.start ?? 0);
    problems.push(`${file}:${line + 1}:${character + 1}: syntax error: ${t.flattenDiagnosticMessageText(d.messageText, " ")}`);
  }
  if (problems.length > 0) return { problems };

  const helpers = new Set<string>();
  const bindings = new Map<string, unknown>();
  /** Bindings already refused: their uses are not reported again. */
  const refusedBindings = new Set<string>();
  let exported: { value: unknown } | undefined;

  const snippet = (node: TS.Node) => {
    const s = node.getText(source).replace(/\s+/g, " ");
    return s.length > 40 ? `${s.slice(0, 37)}...` : s;
  };

  const valueOf = (node: TS.Expression): unknown => {
    const k = t.SyntaxKind;
    if (t.isParenthesizedExpression(node) || t.isAsExpression(node) || t.isSatisfiesExpression(node) || t.isNonNullExpression(node) || t.isTypeAssertionExpression(node)) {
      return valueOf(node.expression);
    }
    if (t.isStringLiteral(node) || t.isNoSubstitutionTemplateLiteral(node)) return node.text;
    if (t.isNumericLiteral(node)) return numberOf(node, node.text);
    if (t.isPrefixUnaryExpression(node) && node.operator === k.MinusToken && t.isNumericLiteral(node.operand)) return -numberOf(node, node.operand.text);
    if (node.kind === k.TrueKeyword) return true;
    if (node.kind === k.FalseKeyword) return false;
    if (node.kind === k.NullKeyword) return null;
    if (t.isArrayLiteralExpression(node)) return arrayOf(node);
    if (t.isObjectLiteralExpression(node)) return objectOf(node);
    if (t.isIdentifier(node)) return boundValue(node);
    if (t.isCallExpression(node)) {
      const callee = node.expression;
      if (t.isIdentifier(callee) && helpers.has(callee.text) && node.arguments.length === 1 && node.typeArguments === undefined) {
        const [arg] = node.arguments;
        if (t.isSpreadElement(arg!)) return refuse(arg!, `a spread argument to ${callee.text}(); pass the object itself`);
        return valueOf(arg!);
      }
      const name = t.isIdentifier(callee) ? `${callee.text}()` : snippet(node);
      return refuse(node, `a call (${name}) is code, not data: only defineConfig(...) and defineApi(...) imported from model/config-types may be called`);
    }
    if (t.isTemplateExpression(node)) return refuse(node, "a template literal with ${...} is computed; write the string out");
    if (t.isNewExpression(node)) return refuse(node, `${snippet(node)} constructs a value at run time; write the value out`);
    if (t.isPropertyAccessExpression(node) || t.isElementAccessExpression(node)) return refuse(node, `${snippet(node)} reads a value at run time; write the value out`);
    if (t.isConditionalExpression(node)) return refuse(node, `a conditional (${snippet(node)}) is computed; write the one value out`);
    if (t.isBinaryExpression(node) || t.isPrefixUnaryExpression(node) || t.isPostfixUnaryExpression(node)) return refuse(node, `an operator expression (${snippet(node)}) is computed; write the value out`);
    if (t.isArrowFunction(node) || t.isFunctionExpression(node) || t.isClassExpression(node)) return refuse(node, "a function or class is code, not data");
    if (t.isRegularExpressionLiteral(node) || t.isBigIntLiteral(node)) return refuse(node, `${snippet(node)} is not a value a config holds`);
    return refuse(node, `${t.SyntaxKind[node.kind]} (${snippet(node)}) is not data`);
  };

  const numberOf = (node: TS.Node, text: string): number => {
    const n = Number(text);
    return Number.isFinite(n) ? n : refuse(node, `${snippet(node)} is not a finite number`);
  };

  const boundValue = (node: TS.Identifier): unknown => {
    if (bindings.has(node.text)) return copyOf(bindings.get(node.text));
    if (refusedBindings.has(node.text)) throw new Refused();
    if (helpers.has(node.text)) return refuse(node, `${node.text} may only be called`);
    return refuse(node, `identifier ${node.text} is not a const bound earlier in this file to a literal (environment, globals and other modules are not read)`);
  };

  const arrayOf = (node: TS.ArrayLiteralExpression): unknown[] => {
    const out: unknown[] = [];
    let failed = false;
    for (const element of node.elements) {
      try {
        if (t.isOmittedExpression(element)) refuse(node, "an array with a hole ([a, , b]); write every element");
        else if (t.isSpreadElement(element)) {
          const spread = valueOf(element.expression);
          if (!Array.isArray(spread)) refuse(element, `spreads ${snippet(element.expression)}, which is not an array`);
          out.push(...(spread as unknown[]));
        } else out.push(valueOf(element));
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        failed = true;
      }
    }
    if (failed) throw new Refused();
    return out;
  };

  const keyOf = (name: TS.PropertyName): string => {
    if (t.isIdentifier(name) || t.isStringLiteral(name) || t.isNoSubstitutionTemplateLiteral(name)) return name.text;
    if (t.isNumericLiteral(name)) return String(Number(name.text));
    return refuse(name, `a computed key (${snippet(name)}); write the key out`);
  };

  const objectOf = (node: TS.ObjectLiteralExpression): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    /** Keys written out in this literal: one written twice is refused (a reader sees the first, JavaScript keeps the last). */
    const written = new Set<string>();
    let failed = false;
    // Entries apply in order, as JavaScript applies them: `{ ...common, name: "dev" }` overrides common's name.
    const set = (where: TS.Node, key: string, value: unknown, fromSpread: boolean) => {
      if (FORBIDDEN_KEYS.has(key)) refuse(where, `the key ${key} has a meaning of its own in JavaScript; rename it`);
      if (!fromSpread && written.has(key)) refuse(where, `the key ${key} is given twice in this object (JavaScript keeps the last silently); give it once`);
      if (!fromSpread) written.add(key);
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    };
    for (const property of node.properties) {
      try {
        if (t.isPropertyAssignment(property)) set(property, keyOf(property.name), valueOf(property.initializer), false);
        else if (t.isShorthandPropertyAssignment(property)) {
          if (property.objectAssignmentInitializer) refuse(property, "a default in an object literal is not data");
          set(property, property.name.text, boundValue(property.name), false);
        } else if (t.isSpreadAssignment(property)) {
          const spread = valueOf(property.expression);
          if (typeof spread !== "object" || spread === null || Array.isArray(spread)) refuse(property, `spreads ${snippet(property.expression)}, which is not an object`);
          for (const [k, v] of Object.entries(spread as object)) set(property, k, v, true);
        } else if (t.isGetAccessorDeclaration(property) || t.isSetAccessorDeclaration(property)) refuse(property, "a getter or setter runs code when read; write the value out");
        else if (t.isMethodDeclaration(property)) refuse(property, "a method is code, not data");
        else refuse(property, `${t.SyntaxKind[(property as TS.Node).kind]} is not data`);
      } catch (error) {
        if (!(error instanceof Refused)) throw error;
        failed = true;
      }
    }
    if (failed) throw new Refused();
    return out;
  };

  const hasModifier = (node: TS.Node, kind: TS.SyntaxKind) => (t.canHaveModifiers(node) ? (t.getModifiers(node) ?? []).some((m) => m.kind === kind) : false);

  const statement = (node: TS.Statement) => {
    const k = t.SyntaxKind;
    if (t.isImportDeclaration(node)) {
      const clause = node.importClause;
      const from = t.isStringLiteral(node.moduleSpecifier) ? node.moduleSpecifier.text : "";
      if (clause === undefined) return refuse(node, `a side-effect import of ${from} runs a module; remove it`);
      if (clause.isTypeOnly) return;
      if (clause.name !== undefined) return refuse(node, `a default import (${clause.name.text}) from ${from}: only defineConfig and defineApi may be imported, from model/config-types`);
      const named = clause.namedBindings;
      if (named === undefined || !t.isNamedImports(named)) return refuse(node, `a namespace import from ${from}: import { defineConfig } from model/config-types`);
      for (const spec of named.elements) {
        if (spec.isTypeOnly) continue;
        const imported = (spec.propertyName ?? spec.name).text;
        if (spec.propertyName !== undefined && spec.propertyName.text !== spec.name.text) refuse(spec, `renames ${imported} on import; import it by its own name`);
        // A helper's name is known as one even from the wrong module: its calls are not reported again.
        if (HELPERS.has(imported)) helpers.add(imported);
        if (!HELPERS.has(imported) || !HELPER_MODULE.test(from)) {
          refuse(spec, `imports ${imported} from ${from}: only defineConfig and defineApi may be imported (from model/config-types); other modules are code the config would run`);
        }
      }
      return;
    }
    if (t.isTypeAliasDeclaration(node) || t.isInterfaceDeclaration(node)) return;
    if (node.kind === k.EmptyStatement) return;
    if (t.isVariableStatement(node)) {
      if ((node.declarationList.flags & t.NodeFlags.Const) === 0) return refuse(node, "only const bindings are read (let and var can change)");
      if (hasModifier(node, k.ExportKeyword)) return refuse(node, "exports a binding: a config exports only its default (export default defineConfig({ ... }))");
      if (hasModifier(node, k.DeclareKeyword)) return refuse(node, "a declared binding has no value in this file");
      for (const d of node.declarationList.declarations) {
        if (!t.isIdentifier(d.name)) refuse(d, "a destructuring binding is computed; bind one name to one literal");
        else if (d.initializer === undefined) refuse(d, `${d.name.text} has no value`);
        else {
          const name = d.name.text;
          try {
            bindings.set(name, valueOf(d.initializer));
          } catch (error) {
            refusedBindings.add(name);
            throw error;
          }
        }
      }
      return;
    }
    if (t.isExportAssignment(node)) {
      if (node.isExportEquals) return refuse(node, "export = is CommonJS; write export default defineConfig({ ... })");
      if (exported !== undefined) return refuse(node, "a second default export");
      exported = { value: valueOf(node.expression) };
      return;
    }
    if (t.isExportDeclaration(node)) return node.isTypeOnly ? undefined : refuse(node, "re-exports: a config exports only its default");
    if (t.isFunctionDeclaration(node) || t.isClassDeclaration(node)) return refuse(node, "a function or class is code, not data");
    return refuse(node, `a ${t.SyntaxKind[node.kind]} statement is code, not data`);
  };

  for (const node of source.statements) {
    try {
      statement(node);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
    }
  }
  if (problems.length > 0) return { problems };
  if (exported === undefined) return { noDefaultExport: true };
  return { value: exported.value };
}
