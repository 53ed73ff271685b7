/**
 * A zip the harness writes in place of the archive provider's (`data.archive_file`), so a
 * working copy needs no archive provider: same entries (a `source_file` by its base name, a
 * `source_dir` by relative path, sorted), the same `output_file_mode`, a fixed timestamp, and
 * deflate from node:zlib. Same input, same bytes, on every machine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";

export interface ZipEntry {
  /** Name inside the archive, `/`-separated. */
  readonly name: string;
  readonly data: Buffer;
}

/** 1980-01-01 00:00: the earliest DOS date, the one deterministic zip tools use. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

/** The entries `data.archive_file` would zip: one file, or every file under a directory. */
export function archiveEntries(source: { readonly file?: string; readonly dir?: string }): ZipEntry[] {
  if (source.file !== undefined) return [{ name: path.basename(source.file), data: fs.readFileSync(source.file) }];
  if (source.dir === undefined) throw new Error("an archive needs source_file or source_dir");
  const root = source.dir;
  const entries: ZipEntry[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (fs.statSync(full).isDirectory()) walk(full);
      else entries.push({ name: path.relative(root, full).split(path.sep).join("/"), data: fs.readFileSync(full) });
    }
  };
  walk(root);
  return entries;
}

/** The zip's bytes. `fileMode` is the octal string Terraform takes (`"0644"`). */
export function deterministicZip(entries: readonly ZipEntry[], fileMode = "0644"): Buffer {
  const mode = Number.parseInt(fileMode, 8);
  if (!Number.isInteger(mode) || mode < 0 || mode > 0o7777) throw new Error(`output_file_mode must be octal like "0644" (got ${JSON.stringify(fileMode)})`);
  const externalAttributes = ((0o100000 | mode) << 16) >>> 0; // regular file + permission bits, Unix style
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, "utf8");
    const compressed = zlib.deflateRawSync(entry.data, { level: 9 });
    const crc = zlib.crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(entry.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, version 2.0
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(DOS_TIME, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(entry.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(externalAttributes, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, compressed);
    centrals.push(central, name);
    offset += local.length + name.length + compressed.length;
  }
  const centralDirectory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralDirectory, end]);
}
