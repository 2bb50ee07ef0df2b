"""Makes a built console ready for static hosting; the one place its HTTP headers are defined.

Trunk runs it after every build (post_build hook, on its staging folder). Run it by hand after
editing a deployed config.json, because the Content-Security-Policy names the endpoints found there:

    python3 scripts/hosting.py --dist dist

What it does to the build folder:
- moves Trunk's inline loader script into a content-hashed file, so the policy needs no
  'unsafe-inline' and no per-build hash, after src/early_read.js (a reloaded page's first read,
  sent before the wasm is fetched);
- replaces <base href> (forbidden by `base-uri 'none'`) by <meta name="keyrack-base">, which the
  console reads to know the path it is served under;
- preloads config.json, so that it is fetched alongside the wasm instead of after it;
- writes `_headers` and `_redirects` (Netlify, Cloudflare Pages) and `keyrack.nginx.conf`.

scripts/spa_server.py imports `header_rules`/`headers_for`, so the test and dev servers send
exactly the headers these files describe.
"""
import argparse
import fnmatch
import hashlib
import json
import os
import re
import sys
import urllib.parse

CONFIG_FILE = "config.json"
INDEX_FILE = "index.html"
BASE_META = "keyrack-base"
NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
# Trunk names built assets `name-<hex hash>[_bg].ext` (a u64 in hex: up to 16 digits); the loader
# written here follows suit.
HASH = "[0-9a-f]{8,16}"
HASHED_ASSET = re.compile(r"^[A-Za-z0-9_.]+-" + HASH + r"(_bg)?\.[a-z0-9]+$")

EARLY_READ_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src",
                                 "early_read.js")
INLINE_LOADER = re.compile(r'<script type="module">(.*?)</script>', re.S)
BASE_TAG = re.compile(r'<base href="([^"]*)"\s*/?>')
META_TAG = re.compile(r'<meta name="' + BASE_META + r'" content="([^"]*)"\s*/?>')


class HostingError(Exception):
    pass


# What would break out of where an origin is written: the CSP (space and `;` start a new source or
# directive), the nginx snippet (`"` ends its string) and shell or INI text (quotes, backslash).
BREAKS_OUT = re.compile(r"[\s\x00-\x1f\x7f;\"'\\`]")
HOST = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)$")


def origin_of(url, where):
    """`scheme://host[:port]` of an absolute http(s) URL, built from its parsed parts; refuses
    what could widen or break the policy, as the console's own check does (src/api/address.rs)."""
    bad = BREAKS_OUT.search(url)
    if bad:
        raise HostingError(f"{where} {url!r} contains {bad.group()!r}: spaces, control characters "
                           "and ; \" ' \\ ` are not allowed in it")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise HostingError(f"{where} {url!r} must be an absolute http:// or https:// URL")
    if "@" in parts.netloc:
        raise HostingError(f"{where} {url!r} must not carry a user name or password (user@host)")
    host = parts.netloc.rsplit(":", 1)[0] if not parts.netloc.endswith("]") else parts.netloc
    if not HOST.match(host):
        raise HostingError(f"{where} {url!r} must name a host (letters, digits, '-' and '.')")
    try:
        port = parts.port
    except ValueError:
        raise HostingError(f"{where} {url!r} has a port that is not 1 to 65535") from None
    if port == 0:
        raise HostingError(f"{where} {url!r} has a port that is not 1 to 65535")
    return f"{parts.scheme.lower()}://{host.lower()}" + (f":{port}" if port else "")


def endpoint_origins(config):
    """The origins of every endpoint a cloud in config.json names: the console may call only these."""
    origins = []
    for index, cloud in enumerate(config.get("clouds", []) if isinstance(config, dict) else []):
        if not isinstance(cloud, dict):
            continue
        name = cloud.get("name", f"number {index + 1}")
        urls = [("identity_url", cloud.get("identity_url"))]
        for family in ("ec2", "access_keys"):
            section = cloud.get(family)
            if isinstance(section, dict):
                urls.append((f"{family}.base_url", section.get("base_url")))
        for field, url in urls:
            if not isinstance(url, str):
                continue
            origin = origin_of(url, f"config.json, cloud {name!r}: {field}")
            if origin not in origins:
                origins.append(origin)
    return origins


def content_security_policy(config):
    connect = " ".join(["'self'"] + endpoint_origins(config))
    return "; ".join([
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self'",
        f"connect-src {connect}",
        "manifest-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        # No Trusted Types (`require-trusted-types-for 'script'`): Leptos's view! macro turns
        # markup without dynamic parts into a static HTML string it writes into a <template> with
        # innerHTML, which the directive blocks, so the console would not start. See README.
    ])


# Powerful features the console never uses, denied to it and to anything that might run in it.
# Only copying to the clipboard is kept (the copy buttons), for the console's own origin.
PERMISSIONS_POLICY = ", ".join([
    "accelerometer=()", "autoplay=()", "camera=()", "clipboard-read=()", "clipboard-write=(self)",
    "display-capture=()", "encrypted-media=()", "fullscreen=()", "geolocation=()", "gyroscope=()",
    "hid=()", "idle-detection=()", "magnetometer=()", "microphone=()", "midi=()", "payment=()",
    "picture-in-picture=()", "publickey-credentials-get=()", "screen-wake-lock=()", "serial=()",
    "usb=()", "xr-spatial-tracking=()",
])
# Browsers heed it only over https (RFC 6797 §8.1), so it costs nothing on a plain-http test host.
# Two years; no includeSubDomains: the console may share a domain with sites it does not own.
STRICT_TRANSPORT_SECURITY = "max-age=63072000"


def security_headers(config):
    return {
        "Content-Security-Policy": content_security_policy(config),
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Strict-Transport-Security": STRICT_TRANSPORT_SECURITY,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def header_rules(base, files, config):
    """(path pattern, headers) pairs, as `_headers` lists them: every matching rule applies."""
    base = base.rstrip("/")
    rules = [(f"{base}/*", security_headers(config))]
    for name in ("", INDEX_FILE, CONFIG_FILE):
        rules.append((f"{base}/{name}", {"Cache-Control": NO_CACHE}))
    for name in sorted(files):
        if HASHED_ASSET.match(name):
            rules.append((f"{base}/{name}", {"Cache-Control": IMMUTABLE}))
    return rules


def headers_for(path, rules):
    headers = {}
    for pattern, values in rules:
        if fnmatch.fnmatchcase(path, pattern):
            headers.update(values)
    return headers


def externalize_loader(html, dist):
    """Moves Trunk's inline module script into `loader-<hash>.js` beside index.html, after the
    console's early read (src/early_read.js: a reloaded page's first read, sent before the wasm
    is fetched)."""
    match = INLINE_LOADER.search(html)
    if not match:
        return html
    with open(EARLY_READ_SCRIPT, encoding="utf-8") as f:
        # Its comments (whole lines, by that file's convention) stay in the repository.
        early_read = "\n".join(line.strip() for line in f
                               if line.strip() and not line.strip().startswith("//"))
    code = early_read + "\n" + match.group(1).strip() + "\n"
    name = f"loader-{hashlib.sha256(code.encode()).hexdigest()[:16]}.js"
    with open(os.path.join(dist, name), "w", encoding="utf-8") as f:
        f.write(code)
    base = public_base(html)
    tag = f'<script type="module" src="{base}{name}"></script>'
    return html[: match.start()] + tag + html[match.end():]


def public_base(html):
    """The path the console is served under, always ending in '/'."""
    match = META_TAG.search(html) or BASE_TAG.search(html)
    base = match.group(1) if match else "/"
    return base if base.endswith("/") else base + "/"


def replace_base_tag(html):
    return BASE_TAG.sub(lambda m: f'<meta name="{BASE_META}" content="{m.group(1)}" />', html)


def preload_config(html):
    """Asks for config.json as soon as the page is parsed, alongside the wasm, instead of once the
    wasm has started: the console cannot show anything, nor ask for a page's data, before it."""
    link = (f'<link rel="preload" href="{public_base(html)}{CONFIG_FILE}" as="fetch" '
            f'crossorigin="anonymous">')
    if link in html:  # run again on a deployed folder
        return html
    return html.replace("</head>", f"{link}</head>", 1)


def render_netlify_headers(rules):
    lines = ["# Written by scripts/hosting.py; every matching rule applies (Netlify, Cloudflare Pages)."]
    for pattern, values in rules:
        lines.append(pattern)
        lines.extend(f"  {name}: {value}" for name, value in values.items())
    return "\n".join(lines) + "\n"


def render_redirects(base):
    base = base.rstrip("/")
    # A rewrite, not a redirect: the console's own routes (no such file) get index.html.
    return f"{base}/*  {base}/index.html  200\n"


def render_nginx(base, config):
    base = base.rstrip("/")
    security = "".join(
        f'    add_header {name} "{value}" always;\n' for name, value in security_headers(config).items()
    )
    asset = re.escape(base + "/").replace("\\/", "/")
    return (
        "# Written by scripts/hosting.py. Include inside a `server { }` block whose `root` holds the\n"
        f"# build folder at {base or '/'} (nginx >= 1.21 maps .wasm to application/wasm in mime.types).\n"
        # Quoted: nginx reads an unquoted `{` as the start of a block.
        f'location ~ "^{asset}[A-Za-z0-9_.]+-{HASH}(_bg)?\\.[a-z0-9]+$" {{\n'
        f"{security}"
        f'    add_header Cache-Control "{IMMUTABLE}" always;\n'
        "    try_files $uri =404;\n"
        "}\n"
        f"location ~ ^{asset}.*\\.[A-Za-z0-9]+$ {{\n"
        f"{security}"
        f'    add_header Cache-Control "{NO_CACHE}" always;\n'
        "    try_files $uri =404;\n"
        "}\n"
        f"location {base}/ {{\n"
        f"{security}"
        f'    add_header Cache-Control "{NO_CACHE}" always;\n'
        "    # The console's own routes have no file: they get index.html.\n"
        f"    try_files $uri {base}/index.html;\n"
        "}\n"
    )


def read_config(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as error:
        raise HostingError(f"{path}: {error}") from error


def prepare(dist):
    index_path = os.path.join(dist, INDEX_FILE)
    try:
        with open(index_path, encoding="utf-8") as f:
            html = f.read()
    except OSError as error:
        raise HostingError(f"{index_path}: {error}") from error
    html = preload_config(replace_base_tag(externalize_loader(html, dist)))
    if INLINE_LOADER.search(html):
        raise HostingError(f"{index_path}: an inline script is left; the policy would block it")
    with open(index_path, "w", encoding="utf-8") as f:
        f.write(html)

    base = public_base(html)
    config = read_config(os.path.join(dist, CONFIG_FILE))
    rules = header_rules(base, os.listdir(dist), config)
    outputs = {
        "_headers": render_netlify_headers(rules),
        "_redirects": render_redirects(base),
        "keyrack.nginx.conf": render_nginx(base, config),
    }
    for name, text in outputs.items():
        with open(os.path.join(dist, name), "w", encoding="utf-8") as f:
            f.write(text)
    return base, config


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", default=os.environ.get("TRUNK_STAGING_DIR"),
                        help="the build folder (default: Trunk's staging folder)")
    args = parser.parse_args()
    if not args.dist:
        parser.error("--dist is required outside a Trunk build")
    try:
        base, config = prepare(args.dist)
    except HostingError as error:
        print(f"hosting.py: {error}", file=sys.stderr)
        return 1
    print(f"hosting.py: {args.dist} ready under {base}; connect-src also allows "
          f"{', '.join(endpoint_origins(config)) or 'nothing else'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
