/**
 * The part of Lambda's Node.js runtime (aws-lambda-nodejs-runtime-interface-client, UserFunction)
 * that loads and calls a handler, run as its own process by lambda-process.ts:
 *   node lambda-bootstrap.mjs <task root> <handler string>
 * Handler string `<module path>.<export>`: the module is, in Lambda's order, the extensionless
 * file (require), `.js` through require unless the nearest package.json says "type": "module",
 * then `.js` by import (type module), `.mjs` by import, `.cjs` by require. This file is an ES
 * module, so no global `require` leaks into an imported bundle (the reason `node -e` hid the
 * rotation bundle's failure). Events arrive on stdin, one JSON per line; results leave on fd 3,
 * one JSON per line: `{"ready":…}` or `{"loadError":…}` first, then `{"ok":true,"result"}` or
 * `{"ok":false,"errorType","errorMessage"}` per event. stdout and stderr are the function's logs.
 */
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const [taskRoot, handlerString] = process.argv.slice(2);
const results = fs.createWriteStream(null, { fd: 3 });
const send = (message) => results.write(`${JSON.stringify(message)}\n`);

class ImportModuleError extends Error {
  name = "Runtime.ImportModuleError";
}
class HandlerNotFound extends Error {
  name = "Runtime.HandlerNotFound";
}
class MalformedHandlerName extends Error {
  name = "Runtime.MalformedHandlerName";
}

function hasPackageJsonTypeModule(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "package.json");
    if (fs.existsSync(candidate)) {
      try {
        return JSON.parse(fs.readFileSync(candidate, "utf8")).type === "module";
      } catch {
        return false;
      }
    }
    if (dir === path.dirname(dir)) return false;
  }
}

const requireFrom = createRequire(path.join(taskRoot, "__lambda_bootstrap__.js"));
const tryRequire = (file) => (fs.existsSync(file) ? requireFrom(file) : undefined);
const tryImport = async (file) => (fs.existsSync(file) ? await import(pathToFileURL(file).href) : undefined);

async function loadModule(lambdaStylePath) {
  const extensionless = tryRequire(lambdaStylePath);
  if (extensionless) return { module: extensionless, how: "require (no extension)" };
  const typeModule = hasPackageJsonTypeModule(lambdaStylePath);
  if (!typeModule) {
    const js = tryRequire(`${lambdaStylePath}.js`);
    if (js) return { module: js, how: "require .js" };
  } else {
    const js = await tryImport(`${lambdaStylePath}.js`);
    if (js) return { module: js, how: 'import .js ("type": "module")' };
  }
  const mjs = await tryImport(`${lambdaStylePath}.mjs`);
  if (mjs) return { module: mjs, how: "import .mjs" };
  const cjs = tryRequire(`${lambdaStylePath}.cjs`);
  if (cjs) return { module: cjs, how: "require .cjs" };
  throw new ImportModuleError(`Cannot find module '${path.relative(taskRoot, lambdaStylePath)}'`);
}

async function loadHandler() {
  const base = path.basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.length - base.length);
  const match = /^([^.]*)\.(.*)$/.exec(base);
  if (!match) throw new MalformedHandlerName(`Bad handler ${handlerString}`);
  const [, moduleName, exportPath] = match;
  const { module, how } = await loadModule(path.resolve(taskRoot, moduleRoot, moduleName));
  let fn = module;
  for (const part of exportPath.split(".")) fn = fn?.[part];
  if (typeof fn !== "function") throw new HandlerNotFound(`${handlerString} is undefined or not exported`);
  return { fn, how };
}

function context(requestId) {
  const deadline = Date.now() + Number(process.env.AWS_LAMBDA_FUNCTION_TIMEOUT ?? 3) * 1000;
  return {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: "$LATEST",
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** A promise (async handler) or the callback (callback-style handler), as the runtime accepts both. */
function call(fn, event, requestId) {
  return new Promise((resolve, reject) => {
    const callback = (error, value) => (error ? reject(error) : resolve(value));
    try {
      const returned = fn(event, context(requestId), callback);
      if (returned && typeof returned.then === "function") returned.then(resolve, reject);
      else if (fn.length < 3) resolve(returned);
    } catch (error) {
      reject(error);
    }
  });
}

let loaded;
try {
  loaded = await loadHandler();
} catch (error) {
  send({ loadError: { errorType: error?.name ?? "Error", errorMessage: String(error?.message ?? error) } });
  results.end(() => process.exit(1));
}
if (loaded) {
  send({ ready: { node: process.versions.node, how: loaded.how } });
  let n = 0;
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() === "") continue;
    const requestId = `req-${++n}`;
    try {
      send({ ok: true, result: (await call(loaded.fn, JSON.parse(line), requestId)) ?? null });
    } catch (error) {
      send({ ok: false, errorType: error?.name ?? "Error", errorMessage: String(error?.message ?? error) });
    }
  }
  results.end();
}
