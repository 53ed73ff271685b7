/**
 * Runs a TypeScript entry point (main.ts, client/cli.ts, ...) as plain JavaScript: esbuild
 * bundles it once into .m2m/build/<name>.js, and every later start only checks that the sources
 * it was built from are unchanged (a content hash per input, listed in <name>.inputs.json) and
 * requires the bundle. Compiling TypeScript at every start (tsx) cost about a second per command;
 * checking the hashes costs a few milliseconds.
 *
 * Packages stay out of the bundle when they are loaded at run time by path or on demand:
 * esbuild (it finds its native binary next to itself), tsx, typescript (its parser reads the
 * config as data: 9 MB, loaded only when a config is read)
 * and the AWS SDK (only when a secret is read).
 */
"use strict";
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");
const vm = require("node:vm");
const { patchCdktn, PATCHED_FILES } = require("./cdktn-patches");

const ROOT = path.join(__dirname, "..");
const BUILD_DIR = path.join(ROOT, ".m2m", "build");
const EXTERNAL = ["esbuild", "tsx", "tsx/*", "typescript", "@aws-sdk/*"];
/** Inputs from packages are keyed by the lock file, not hashed one by one. */
const LOCK_FILE = "package-lock.json";

function hashOf(file) {
  try {
    // Loaded only when a stamp differs: node:crypto costs ~10 ms to load.
    return require("node:crypto").createHash("sha1").update(fs.readFileSync(path.join(ROOT, file))).digest("hex");
  } catch {
    return "missing";
  }
}

function paths(name) {
  return { bundle: path.join(BUILD_DIR, `${name}.js`), inputs: path.join(BUILD_DIR, `${name}.inputs.json`) };
}

function stamp(file) {
  try {
    const { size, mtimeMs } = fs.statSync(path.join(ROOT, file));
    return `${size}:${mtimeMs}`;
  } catch {
    return "missing";
  }
}

/**
 * Every input as recorded: same size and modification time (a stat, no read), or else the same
 * content hash (a file touched but not changed, a fresh checkout) -- then the bundle stands.
 */
function upToDate(name) {
  const { bundle, inputs } = paths(name);
  let recorded;
  try {
    recorded = JSON.parse(fs.readFileSync(inputs, "utf8"));
  } catch {
    return false;
  }
  if (!fs.existsSync(bundle)) return false;
  return Object.entries(recorded).every(([file, { hash, stamp: seen }]) => stamp(file) === seen || hashOf(file) === hash);
}

/**
 * Source files use `__dirname` to find the project (main.ts its config, the Lambda bundler the
 * handler): in the bundle, it becomes the source file's own directory, relative to the bundle.
 */
const keepDirname = {
  name: "keep-dirname",
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = fs.readFileSync(args.path, "utf8");
      const relative = path.relative(BUILD_DIR, path.dirname(args.path)).split(path.sep).join("/");
      return { contents: source.replace(/\b__dirname\b/g, `require("node:path").join(__dirname, ${JSON.stringify(relative)})`), loader: "ts" };
    });
  },
};

/** No preparing resolve, plain strings resolved at once, escape scans remembered: see cdktn-patches.js. */
const cdktnPatches = {
  name: "cdktn-patches",
  setup(build) {
    for (const filter of PATCHED_FILES) {
      build.onLoad({ filter }, (args) => ({ contents: patchCdktn(args.path, fs.readFileSync(args.path, "utf8")), loader: "js" }));
    }
  },
};

async function build(name, entry) {
  const esbuild = require("esbuild");
  const { bundle, inputs } = paths(name);
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    external: EXTERNAL,
    // import() of an external becomes require(): the bundle runs in a vm.Script (for the code
    // cache), which has no loader for dynamic imports; every external has a CommonJS build.
    supported: { "dynamic-import": false },
    write: false,
    metafile: true,
    outfile: bundle,
    logLevel: "silent",
    plugins: [keepDirname, cdktnPatches],
  });
  // The build's own options live here: a change to them rebuilds too.
  const files = [LOCK_FILE, "bin/compiled-entry.js", "bin/cdktn-patches.js", ...Object.keys(result.metafile.inputs).filter((i) => !i.includes("node_modules/") && !i.includes(":")).sort()];
  const recorded = Object.fromEntries(files.map((file) => [file, { hash: hashOf(file), stamp: stamp(file) }]));
  fs.mkdirSync(BUILD_DIR, { recursive: true });
  // Temp file, then rename: a concurrent start sees the old bundle or the new one, never half of one.
  const temp = `${bundle}.${process.pid}.tmp`;
  fs.writeFileSync(temp, result.outputFiles[0].contents);
  fs.renameSync(temp, bundle);
  fs.rmSync(`${bundle}.v8cache`, { force: true });
  fs.writeFileSync(`${inputs}.${process.pid}.tmp`, `${JSON.stringify(recorded, null, 2)}\n`);
  fs.renameSync(`${inputs}.${process.pid}.tmp`, inputs);
}

/** Builds `entry` (a path relative to the project root) when its sources changed, then loads it. */
async function loadCompiled(name, entry) {
  disableCreationStacks();
  if (!upToDate(name)) {
    try {
      await build(name, entry);
    } catch (error) {
      const first = (error.errors && error.errors[0]) || { text: String(error.message || error).split("\n")[0] };
      const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : "";
      process.stderr.write(`cannot compile ${entry}: ${where}${first.text}\n`);
      process.exit(1);
    }
  }
  return requireWithCodeCache(paths(name).bundle);
}

/**
 * cdktn records a stack trace for each token it creates (to name where a token came from when it
 * fails to resolve): about a quarter of a synth. Its own switch turns that off, unless M2M_DEBUG
 * asks for the traces.
 */
function disableCreationStacks() {
  if (!process.env.M2M_DEBUG && process.env.CDKTN_DISABLE_CREATION_STACK === undefined) process.env.CDKTN_DISABLE_CREATION_STACK = "1";
}

/**
 * `require(file)`, with V8's code cache kept beside it (<file>.v8cache): parsing and compiling a
 * 3 MB bundle costs ~100 ms at every start; with the cache, V8 skips it. The cache is written
 * once, at the end of a run (so it holds the functions that run compiled), and again whenever V8
 * rejects it (another Node.js version, a rebuilt bundle).
 */
function requireWithCodeCache(file) {
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = fs.readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, "utf8")), {
    filename: file,
    cachedData,
    ...(vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once("exit", () => {
      try {
        const temp = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(temp, script.createCachedData());
        fs.renameSync(temp, cacheFile);
      } catch {
        // A cache is an optimisation: without it the next start compiles again.
      }
    });
  }
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(path.dirname(file));
  mod.loaded = true;
  require.cache[file] = mod;
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  return mod.exports;
}

module.exports = { loadCompiled };
