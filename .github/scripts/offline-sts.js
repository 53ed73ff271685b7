#!/usr/bin/env node
/**
 * A stand-in for AWS STS on 127.0.0.1 that answers GetCallerIdentity, and nothing else, for the
 * credential-free pull-request plan. The stacks read `data.aws_caller_identity` (alarm topic and
 * key policies), which Terraform reads during every plan, refresh or not; with placeholder
 * credentials the real STS would refuse. The answer is the account id of the snapshot's own
 * `data.aws_caller_identity` (so the plan shows no false change), with an ARN that says what it is.
 *
 * Usage: node offline-sts.js <snapshot.json> <port file>
 * Listens on an ephemeral port of 127.0.0.1, writes `http://127.0.0.1:<port>` to <port file>,
 * serves until killed (the plan step kills it) or for at most 30 minutes.
 * Plain CommonJS without dependencies.
 */
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const path = require("node:path");
const { parseStrictJson } = require(path.join(__dirname, "..", "plan-guard", "strict-json.js"));

const MAX_LIFETIME_MS = 30 * 60 * 1000;
const MAX_BODY_BYTES = 64 * 1024;

/** The account id recorded in the snapshot, or the documentation placeholder when it has none. */
function accountOf(snapshot) {
  for (const r of snapshot.resources ?? []) {
    if (r.mode === "data" && r.type === "aws_caller_identity") {
      const id = r.instances?.[0]?.attributes?.account_id;
      if (typeof id === "string" && /^\d{12}$/.test(id)) return id;
    }
  }
  return "000000000000";
}

function escapeXml(text) {
  return text.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]);
}

function callerIdentityXml(account) {
  return (
    '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
    `<Arn>arn:aws:iam::${escapeXml(account)}:user/offline-plan-no-credentials</Arn><UserId>OFFLINEPLAN</UserId><Account>${escapeXml(account)}</Account>` +
    "</GetCallerIdentityResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
  );
}

/** The server (not yet listening); exported for the tests. */
function createStsServer(account) {
  return http.createServer((req, res) => {
    let size = 0;
    const chunks = [];
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on("end", () => {
      const params = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
      if (req.method === "POST" && params.get("Action") === "GetCallerIdentity") {
        res.writeHead(200, { "content-type": "text/xml" });
        res.end(callerIdentityXml(account));
        return;
      }
      res.writeHead(400, { "content-type": "text/xml" });
      res.end('<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>offline plan: only GetCallerIdentity is served</Message></Error></ErrorResponse>');
    });
  });
}

module.exports = { accountOf, createStsServer };

if (require.main === module) {
  const [snapshotFile, portFile] = process.argv.slice(2);
  if (!snapshotFile || !portFile) {
    process.stderr.write("usage: node offline-sts.js <snapshot.json> <port file>\n");
    process.exit(2);
  }
  const server = createStsServer(accountOf(parseStrictJson(fs.readFileSync(snapshotFile, "utf8"))));
  server.listen(0, "127.0.0.1", () => {
    fs.writeFileSync(portFile, `http://127.0.0.1:${server.address().port}\n`);
  });
  setTimeout(() => process.exit(0), MAX_LIFETIME_MS).unref();
}
