// Runs before the console's wasm is fetched (scripts/hosting.py puts it at the top of the loader,
// without these comments). On a reload of a page, it sends that page's first read at once, with
// the stored session's token, instead of once the wasm and the page's chunk have loaded. Which
// read a page makes is the console's rule, not this file's: the console wrote it, for the page it
// last showed in this tab (src/session.rs, `remember_early_read`). Nothing is sent when the page,
// the session or its expiry do not match, nor when anything stored is unreadable.
// The console asks for the read once (src/api/transport.rs, `loader_read`): it gets the answer
// if it names the same URL, tied from then on to its own abort signal; otherwise it is aborted.
try {
  const early = JSON.parse(sessionStorage.getItem("keyrack.early"));
  const session = JSON.parse(sessionStorage.getItem("keyrack.session"));
  const token = session && session.token;
  const expires = Date.parse(session && session.info && session.info.expires_at);
  if (
    early &&
    early.page === location.pathname + location.search &&
    typeof early.url === "string" &&
    /^https?:\/\//.test(early.url) &&
    typeof token === "string" &&
    expires > Date.now()
  ) {
    const controller = new AbortController();
    // As the console sends it: no redirect followed (it would carry the token on), nothing cached.
    const response = fetch(early.url, {
      headers: { "X-Auth-Token": token },
      redirect: "error",
      cache: "no-store",
      signal: controller.signal,
    });
    // A failure is the console's to report, when it asks again.
    response.catch(() => {});
    window.keyrackTakeEarlyRead = (url, signal) => {
      delete window.keyrackTakeEarlyRead;
      if (url !== early.url) {
        controller.abort();
        return undefined;
      }
      if (signal) {
        signal.addEventListener("abort", () => controller.abort());
      }
      return response;
    };
  }
} catch (_) {
  // Nothing usable is stored: the console reads as it always does.
}
