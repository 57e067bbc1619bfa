#!/usr/bin/env node
// Copies an immuno-ls binary into server/ so that `npm run package` bundles it in the .vsix (the
// extension then needs nothing on PATH). The .vsix is then specific to this platform: package it
// with `npx vsce package --target linux-x64` (or the platform you built for).
//
//   npm run bundle-server                  # ../../target/release/immuno-ls
//   npm run bundle-server -- /path/to/immuno-ls

"use strict";

const fs = require("fs");
const path = require("path");

const ext = path.resolve(__dirname, "..");
const name = process.platform === "win32" ? "immuno-ls.exe" : "immuno-ls";
const from = path.resolve(process.argv[2] || path.join(ext, "..", "..", "target", "release", name));
if (!fs.existsSync(from)) {
  console.error(`no server binary at ${from}: run \`cargo build --release\` in the repository first, or pass a path`);
  process.exit(1);
}
const to = path.join(ext, "server", name);
fs.mkdirSync(path.dirname(to), { recursive: true });
fs.copyFileSync(from, to);
fs.chmodSync(to, 0o755);
console.log(`bundled ${from} -> ${path.relative(ext, to)}`);
