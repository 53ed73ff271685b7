// Preloaded (node --import) into a deploy step's own process by deploy-scripts.test.ts: the
// deployed stack's public URLs (token endpoint, API stages), exactly as its outputs name them,
// are answered on 127.0.0.1 by the offline environment playing Cognito's token endpoint and API
// Gateway. M2M_LOOPBACK_URLS = {"<public prefix>": "<loopback prefix>"}; any other URL is
// refused, so nothing leaves the machine.
const map = Object.entries(JSON.parse(process.env.M2M_LOOPBACK_URLS ?? "{}"));
const realFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
  for (const [from, to] of map) {
    if (url === from || url.startsWith(`${from}/`) || url.startsWith(`${from}?`)) return realFetch(`${to}${url.slice(from.length)}`, init);
  }
  if (/^https?:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) return realFetch(input, init);
  return Promise.reject(new TypeError(`fetch failed: ${url} is not served by the test world`, { cause: { code: "ENOTFOUND" } }));
};
