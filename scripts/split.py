"""Cuts the console's wasm into the shell and chunks fetched when first needed.

The first view (sign-in) then downloads only the shell; a page's chunk is fetched when the page is
first opened (the split points are in src/views/lazy.rs). Trunk 0.21 cannot split wasm itself, so
this runs in its post_build hook (scripts/post_build.py), on the staging folder Trunk has just filled:

1. `wasm-split-cli` (crate wasm_split_cli_support, installed by scripts/setup.sh) reads the wasm
   cargo built (linked with --emit-relocs, see .cargo/config.toml) and writes the main module, the
   page and shared chunks, and `__wasm_split.js`, which fetches and links the chunks;
2. wasm-bindgen makes the main module's JS glue, as Trunk does, keeping the function table export
   the chunks link against (`--keep-lld-exports`); classes the glue exports that nothing can
   build are removed (`drop_unbuildable_classes`); the main module's imports of that glue, and
   the exports only the glue uses, are renamed `a`, `b`, … in both files (`shorten_names`):
   wasm-bindgen names most with a 16-digit hash, which gzip cannot compress, twice (wasm and JS)
   for every one of 230 imports;
3. wasm-opt -Oz shrinks every module and esbuild minifies the JS and CSS (release builds;
   index.html turns Trunk's own wasm-opt pass off);
4. each page's modules go into one file, its pack (`pack`: the page's module, then the chunks it
   needs that the signed-in layout's pack does not hold, or all of them for the layout and the
   pages shown without it), which the linker fetches once and reads the modules from: a page
   costs one request, not one per chunk;
5. every file gets a content hash in its name, so hosts may cache it forever (scripts/hosting.py),
   and index.html's preload links and their integrity hashes name the new files.

Without split points in the wasm (cargo feature `split` off) it only runs step 3 on Trunk's output.
"""
import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile

CRATE = "keyrack"
SPLIT_IMPORT_MODULE = b"__wasm_split_placeholder__"
LINK_MODULE = "__wasm_split"
TRUNK_OUTPUT = re.compile(r"^(" + CRATE + r"-[0-9a-f]{8,16})\.js$")
INTEGRITY_LINK = re.compile(r'<link\b[^>]*\bhref="([^"]+)"[^>]*>')
INTEGRITY_ATTR = re.compile(r'integrity="sha384-[^"]*"')
# How wasm-split-cli's linker fetches a module, and how it exports a page's loader with the
# modules that page needs first (its dependencies: `__chunk_<n>` constants).
MODULE_FETCH = re.compile(r'fetch\(new URL\("\./([A-Za-z0-9_]+)\.wasm", import\.meta\.url\)\)')
PAGE_LOADER = re.compile(
    r'export const __wasm_split_load_(\w+) = wrapAsyncCb\(makeLoad\((.*?)\n, '
    r'\[([^\]]*)\]\)\);', re.S)
# The signed-in layout: every page but the error pages opens inside it, so its chunks come first
# and once, in its own pack, and the other pages' packs leave them out.
PACK_BASE = "signed_in"
# Shown without signing in (not found, configuration error): their packs hold every chunk they
# need, so that showing one does not download the signed-in layout's pack.
STANDALONE_PAGES = ("error_pages",)
# Reads each module from its page's pack (see `pack`); prepended to the linker.
PACK_READER = """
const __pack_contents = PACKS;
const __pack_asked = new Map();
function __pack_ask(pack) {
    let bytes = __pack_asked.get(pack);
    if (bytes === undefined) {
        bytes = fetch(new URL("./" + pack, import.meta.url)).then((response) => {
            if (!response.ok) throw new Error(`failed to fetch ${pack}: ${response.status}`);
            return response.arrayBuffer();
        });
        // As makeLoad does: a failed fetch is forgotten, so that trying the page again asks anew.
        bytes.catch(() => { if (__pack_asked.get(pack) === bytes) __pack_asked.delete(pack); });
        __pack_asked.set(pack, bytes);
    }
    return bytes;
}
function __pack_first(pack, load) {
    let loaded = false;
    return () => {
        // Asked before the page's chunks are, so that they are read from this page's pack.
        if (!loaded) __pack_ask(pack).catch(() => {});
        const loading = load();
        // Once every module in it is instantiated, the pack's bytes are not needed again.
        loading.then(() => { loaded = true; __pack_asked.delete(pack); }, () => {});
        return loading;
    };
}
function __pack_module(module) {
    const holders = Object.keys(__pack_contents)
        .filter((pack) => __pack_contents[pack].some(([name]) => name === module));
    const pack = holders.find((holder) => __pack_asked.has(holder)) ?? holders[0];
    let at = 0;
    for (const [name, length] of __pack_contents[pack]) {
        if (name === module) {
            return __pack_ask(pack).then((bytes) => new Response(new Uint8Array(bytes, at, length),
                { headers: { "Content-Type": "application/wasm" } }));
        }
        at += length;
    }
}
"""


class SplitError(Exception):
    pass


def run(*command):
    try:
        subprocess.run(command, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise SplitError(f"{command[0]} is not installed (scripts/setup.sh installs it)") from error
    except subprocess.CalledProcessError as error:
        raise SplitError(f"{' '.join(command)} failed:\n{error.stderr.strip()}") from error


def short_hash(*blobs):
    digest = hashlib.sha256()
    for blob in blobs:
        digest.update(blob)
    return digest.hexdigest()[:16]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# The cargo profile of each Trunk profile: index.html asks for `wasm-release` on `--release`
# (data-cargo-profile-release), so native tools built with `--release` are not built for size.
CARGO_PROFILE_DIR = {"release": "wasm-release", "debug": "debug"}


def cargo_wasm(source_dir, profile):
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(source_dir, "target")
    folder = CARGO_PROFILE_DIR.get(profile, profile)
    return os.path.join(target, "wasm32-unknown-unknown", folder, f"{CRATE}.wasm")


# Measured on the shell (gzip): -Oz alone 179,429 B; flattening the control flow and rebuilding it
# (--flatten --rereloop) before two -Oz rounds 178,407 B; with --low-memory-unused 177,553 B.
# --low-memory-unused lets wasm-opt fold `pointer + constant` into a load's or store's offset; the
# two differ only when the sum wraps past 4 GiB, which no valid Rust pointer does (the low
# kilobyte is the bottom of Rust's stack, reached only just before it overflows).
# The producers and target-features sections only describe the build: browsers ignore them.
WASM_OPT_PASSES = ["--low-memory-unused", "--flatten", "--rereloop", "-Oz", "-Oz",
                   "--strip-producers", "--strip-target-features"]


def optimize(path):
    run("wasm-opt", *WASM_OPT_PASSES, path, "-o", path)


def minify(path):
    """Minifies a JS module or a style sheet in place, with esbuild."""
    # --log-level=error: wasm-bindgen's import object names one module under several keys, which
    # esbuild warns about; the keys are kept as they are.
    module = ["--format=esm"] if path.endswith(".js") else []
    run("esbuild", "--minify", *module, "--log-level=error", path, f"--outfile={path}",
        "--allow-overwrite")


def minify_styles(staging):
    """Minifies the style sheets Trunk copied (main.css: 3,468 -> 2,740 B gzip). Trunk's own
    minifier is off: it would also rewrite index.html, whose links this script edits. The content
    hash in each name is of the source, which still names the content; integrity is renewed
    afterwards by rewrite_index()."""
    for name in os.listdir(staging):
        if name.endswith(".css"):
            minify(os.path.join(staging, name))


def leb128(data, at):
    """The unsigned LEB128 number at `at`, and the offset after it."""
    value = shift = 0
    while True:
        if at >= len(data):
            raise SplitError("the wasm module ends inside a number")
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def to_leb128(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def wasm_name(data, at):
    length, at = leb128(data, at)
    return data[at: at + length], at + length


def skip_import_description(data, at):
    """The offset after an import's kind and description (wasm core spec, section 5.5.5)."""
    kind = data[at]
    at += 1
    if kind in (0, 4):  # function: type index; tag: attribute byte, type index
        return leb128(data, at + (kind == 4))[1]
    if kind == 1:  # table: reference type, then limits
        at += 1
    if kind in (1, 2):  # limits: flags, minimum, maximum when flags' bit 0 is set
        flags = data[at]
        at = leb128(data, at + 1)[1]
        return leb128(data, at)[1] if flags & 1 else at
    if kind == 3:  # global: value type, mutability
        return at + 2
    raise SplitError(f"the wasm module imports something of unknown kind {kind}")


def short_name(index):
    """a … z, A … Z, then two letters and on: valid JS property names, shortest first."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    name = ""
    index += 1
    while index:
        index, digit = divmod(index - 1, len(letters))
        name = letters[digit] + name
    return name


def edit_section(wasm, section_id, edit):
    """The module with the body of its section `section_id` replaced by `edit(body)`."""
    out = bytearray(wasm[:8])
    at = 8
    while at < len(wasm):
        section = wasm[at]
        size, body_at = leb128(wasm, at + 1)
        body = wasm[body_at: body_at + size]
        at = body_at + size
        if section == section_id:
            body = edit(body)
        out.append(section)
        out += to_leb128(len(body)) + body
    return bytes(out)


def export_entries(body):
    """The export section's entries: each name, and its kind and index as written."""
    count, i = leb128(body, 0)
    for _ in range(count):
        field, i = wasm_name(body, i)
        description = i
        i = leb128(body, i + 1)[1]  # kind, index
        yield field.decode(), body[description:i]


def export_section(entries):
    entries = [(name.encode(), description) for name, description in entries]
    return to_leb128(len(entries)) + b"".join(
        to_leb128(len(name)) + name + description for name, description in entries)


EXPORTED_CLASS = re.compile(r"^export class (\w+) \{\n.*?^\}\n", re.S | re.M)


def drop_unbuildable_classes(wasm_path, glue_path):
    """Removes the Rust types the glue exports as JS classes that nothing can build: no
    constructor, and no Rust code that hands one to JS (wasm-bindgen would then write `__wrap`).
    wasm-streams' IntoUnderlying* are such here (leptos always enables server_fn's browser
    streams, which this console never uses): their methods are wasm exports, which keep their
    code in the shell although nothing can call them. Returns the classes removed."""
    glue = read(glue_path).decode()
    removed, dropped_exports = [], set()
    for match in list(EXPORTED_CLASS.finditer(glue)):
        name, body = match.group(1), match.group(0)
        if "constructor(" in body or re.search(r"\b" + name + r"\.__wrap\b", glue):
            continue
        dispose = f"if (Symbol.dispose) {name}.prototype[Symbol.dispose] = {name}.prototype.free;\n"
        registry = re.search(r"^const " + name + r"Finalization = \(typeof FinalizationRegistry"
                             r"[^;]*;\n", glue, re.M)
        if dispose not in glue or not registry:
            continue
        rest = glue.replace(body, "").replace(dispose, "").replace(registry.group(0), "")
        if re.search(r"\b" + name + r"\b", rest):
            continue
        exports = set(re.findall(r"\bwasm\.(\w+)", body + registry.group(0)))
        if any(re.search(r"\b" + e + r"\b", rest) for e in exports):
            continue
        glue = rest
        removed.append(name)
        dropped_exports |= exports
    if not removed:
        return removed

    def drop_exports(body):
        return export_section(entry for entry in export_entries(body)
                              if entry[0] not in dropped_exports)

    write(wasm_path, edit_section(read(wasm_path), 7, drop_exports))
    write(glue_path, glue.encode())
    return removed


def shorten_names(wasm_path, glue_path, link_path):
    """Renames, in the main module and its JS glue, the function imports from the glue and the
    exports the glue reads (as `wasm.<name>`; not those the chunk linker reads) to short names."""
    glue = read(glue_path).decode()
    link = read(link_path).decode()
    module = f"./{CRATE}_bg.js".encode()
    renamed = {}
    exports = {}

    def short_export(name):
        # The glue reads exports as `wasm.<name>` only (its functions that wrap them may share
        # their names: those are its own, which esbuild shortens).
        only_glue_uses = (
            re.search(r"\bwasm\." + re.escape(name) + r"\b", glue)
            and not re.search(r"\b" + re.escape(name) + r"\b", link)
            and name != "memory")
        return exports.setdefault(name, short_name(len(exports))) if only_glue_uses else name

    def rename_exports(body):
        return export_section((short_export(name), description)
                              for name, description in export_entries(body))

    def rename_imports(body):
        count, i = leb128(body, 0)
        imports = bytearray(to_leb128(count))
        for _ in range(count):
            module_name, i = wasm_name(body, i)
            field, i = wasm_name(body, i)
            description = i
            i = skip_import_description(body, i)
            if module_name == module and body[description] == 0:
                field = renamed.setdefault(field.decode(), short_name(len(renamed))).encode()
            imports += to_leb128(len(module_name)) + module_name
            imports += to_leb128(len(field)) + field + body[description:i]
        return bytes(imports)

    wasm = edit_section(edit_section(read(wasm_path), 7, rename_exports), 2, rename_imports)
    kept = set(re.findall(r"\bwasm\.([A-Za-z_$][\w$]*)", glue)) - set(exports)
    if kept & set(exports.values()):
        raise SplitError(f"{glue_path}: the exports {kept & set(exports.values())} are kept")
    for old, new in exports.items():
        glue = re.sub(r"\bwasm\." + re.escape(old) + r"\b", "wasm." + new, glue)
    for old, new in renamed.items():
        # Each import is one key of the import object, `name: function…`, and nothing else.
        keys = re.findall(r"\b" + re.escape(old) + r"\b", glue)
        key = re.compile(r"^(\s*)" + re.escape(old) + r"(?=:)", re.MULTILINE)
        if len(keys) != 1 or not key.search(glue):
            raise SplitError(f"{glue_path} does not name the import {old} once, as a key")
        if re.search(r"^\s*" + re.escape(new) + r":", glue, re.MULTILINE):
            raise SplitError(f"{glue_path} already has a key {new}")
        glue = key.sub(lambda match: match.group(1) + new, glue)
    write(wasm_path, wasm)
    write(glue_path, glue.encode())
    return len(renamed), len(exports)


def cut(raw_wasm, work):
    """Steps 1 to 2: the main module and its glue (named `keyrack`), and the chunks, in `work`."""
    run("wasm-split-cli", raw_wasm, work, "--out-name", CRATE)
    bindgen = os.path.join(work, "bindgen")
    run("wasm-bindgen", "--target=web", "--no-typescript", "--keep-lld-exports",
        f"--out-dir={bindgen}", f"--out-name={CRATE}", os.path.join(work, f"{CRATE}.wasm"))
    glue, main = os.path.join(bindgen, f"{CRATE}.js"), os.path.join(bindgen, f"{CRATE}_bg.wasm")
    link = os.path.join(work, f"{LINK_MODULE}.js")
    drop_unbuildable_classes(main, glue)
    shorten_names(main, glue, link)
    chunks = sorted(name for name in os.listdir(work)
                    if name.endswith(".wasm") and name != f"{CRATE}.wasm")
    return glue, main, link, [os.path.join(work, c) for c in chunks]


def pack(link, modules):
    """Step 4's packs: one file per page, its module then the chunks it needs that the signed-in
    layout's pack does not hold (all of them for the layout and for the pages shown without it,
    `STANDALONE_PAGES`), so that opening a page costs one request, not one per chunk (a reloaded
    table page fetched 36; each request costs the browser CPU time while Keystone answers on the
    same machine). A chunk two pages need is in both packs, read from the first one asked for.
    Returns the linker reading modules from the packs, and the packs by file name."""
    pages = {name: (body, [d.strip().removeprefix("__") for d in deps.split(",") if d.strip()])
             for name, body, deps in PAGE_LOADER.findall(link)}
    whole = (PACK_BASE, *STANDALONE_PAGES)
    if not set(whole) <= set(pages):
        raise SplitError(f"wasm-split-cli's linker has no page loader for one of {whole}: "
                         f"{sorted(pages)}")
    base_chunks = set(pages[PACK_BASE][1])
    contents, packs, file_of = {}, {}, {}
    for name, (_, deps) in pages.items():
        members = [f"split_{name}"] + [d for d in deps if name in whole or d not in base_chunks]
        missing = [m for m in members if m not in modules]
        if missing:
            raise SplitError(f"the {name} page needs modules wasm-split-cli did not write: "
                             f"{missing}")
        data = b"".join(modules[m] for m in members)
        file = f"split_{name}-{short_hash(data)}.wasm"
        contents[file] = [[m, len(modules[m])] for m in members]
        packs[file] = data
        file_of[name] = file
    packed = {m for members in contents.values() for m, _ in members}
    if packed != set(modules):
        raise SplitError(f"modules in no page's pack: {sorted(set(modules) - packed)}")

    def first_ask(match):
        name, body, deps = match.groups()
        first = f"__pack_first({json.dumps(file_of[name])}, makeLoad({body}\n, [{deps}]))"
        return f"export const __wasm_split_load_{name} = wrapAsyncCb({first});"

    link, fetches = MODULE_FETCH.subn(lambda m: f"__pack_module({json.dumps(m.group(1))})", link)
    link, loaders = PAGE_LOADER.subn(first_ask, link)
    if fetches != len(modules) or loaders != len(pages) or "fetch(" in link:
        raise SplitError(f"wasm-split-cli's linker changed its layout: {fetches} of {len(modules)} "
                         f"module fetches and {loaders} of {len(pages)} page loaders rewritten")
    reader = PACK_READER.replace("PACKS", json.dumps(contents, separators=(",", ":")))
    first_line = link.index("\n") + 1  # after the import of the glue
    return link[:first_line] + reader + link[first_line:], packs


def publish(staging, glue_path, main_path, link_path, chunk_paths):
    """Step 4: writes the hashed files; returns the entry's name stem and the linker's file name."""
    main_wasm = read(main_path)
    glue = read(glue_path).decode()
    modules = {os.path.basename(path)[: -len(".wasm")]: read(path) for path in chunk_paths}
    link, packs = pack(read(link_path).decode(), modules)
    # One hash over every module: any change anywhere renames the entry files that reach it.
    build = short_hash(main_wasm, glue.encode(), *(packs[n] for n in sorted(packs)))
    entry = f"{CRATE}-{build}"

    link = link.replace(f'from "./{CRATE}.js"', f'from "./{entry}.js"')
    link_name = f"{LINK_MODULE}-{short_hash(link.encode())}.js"
    # Only the module specifiers: the import-object keys must stay as the wasm names them.
    glue = glue.replace(f'from "./{LINK_MODULE}.js"', f'from "./{link_name}"')

    write(os.path.join(staging, f"{entry}_bg.wasm"), main_wasm)
    write(os.path.join(staging, f"{entry}.js"), glue.encode())
    write(os.path.join(staging, link_name), link.encode())
    for name, data in packs.items():
        write(os.path.join(staging, name), data)
    return entry, link_name


def integrity(path):
    return "sha384-" + base64.b64encode(hashlib.sha384(read(path)).digest()).decode()


def rewrite_index(staging, old_entry, new_entry, link_name):
    """Names the new entry files, preloads the chunk linker beside them, renews integrity hashes."""
    index_path = os.path.join(staging, "index.html")
    html = read(index_path).decode().replace(old_entry, new_entry)
    if link_name:
        preload = re.search(r'<link rel="modulepreload" href="([^"]*)' + re.escape(new_entry)
                            + r'\.js"[^>]*>', html)
        if not preload:
            raise SplitError("index.html has no modulepreload link for the console's JS")
        base = preload.group(1)
        tag = (f'<link rel="modulepreload" href="{base}{link_name}" crossorigin="anonymous" '
               f'integrity="{integrity(os.path.join(staging, link_name))}">')
        html = html[: preload.end()] + tag + html[preload.end():]

    def renew(match):
        tag = match.group(0)
        if "integrity=" not in tag:
            return tag
        path = os.path.join(staging, os.path.basename(match.group(1)))
        if not os.path.isfile(path):
            raise SplitError(f"index.html links {match.group(1)}, which the build does not have")
        return INTEGRITY_ATTR.sub(f'integrity="{integrity(path)}"', tag)

    write(index_path, INTEGRITY_LINK.sub(renew, html).encode())


def split(staging, source_dir, profile):
    """Returns a line saying what was done."""
    outputs = [m.group(1) for m in map(TRUNK_OUTPUT.match, os.listdir(staging)) if m]
    if len(outputs) != 1:
        raise SplitError(f"expected one {CRATE}-<hash>.js in {staging}, found {outputs}")
    old_entry = outputs[0]
    old_main = os.path.join(staging, f"{old_entry}_bg.wasm")
    raw_wasm = cargo_wasm(source_dir, profile)
    release = profile == "release"

    if release:
        minify_styles(staging)
    if SPLIT_IMPORT_MODULE not in read(raw_wasm):
        if release:
            optimize(old_main)
            rewrite_index(staging, old_entry, old_entry, None)
        return f"no split points in {raw_wasm}; {old_entry} left whole"

    with tempfile.TemporaryDirectory(prefix="keyrack-split-") as work:
        glue, main, link, chunks = cut(raw_wasm, work)
        if release:
            for path in [main, *chunks]:
                optimize(path)
        new_entry, link_name = publish(staging, glue, main, link, chunks)
    if release:
        # After publish(): its renames match the module specifiers as wasm-bindgen writes them.
        for name in [f"{new_entry}.js", link_name]:
            minify(os.path.join(staging, name))
    os.remove(os.path.join(staging, f"{old_entry}.js"))
    os.remove(old_main)
    rewrite_index(staging, old_entry, new_entry, link_name)
    return f"{new_entry} split into the shell and {len(chunks)} modules in page packs ({profile})"


def main():
    staging = os.environ.get("TRUNK_STAGING_DIR")
    if not staging:
        print("split.py runs as Trunk's post_build hook (TRUNK_STAGING_DIR is not set)",
              file=sys.stderr)
        return 2
    source_dir = os.environ.get("TRUNK_SOURCE_DIR", os.getcwd())
    try:
        print("split.py: " + split(staging, source_dir, os.environ.get("TRUNK_PROFILE", "debug")))
    except (SplitError, OSError) as error:
        print(f"split.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
