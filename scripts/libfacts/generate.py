"""Regenerate the shipped library facts (``fakeasync_lint/data/libfacts/``) from pinned wheels.

    python scripts/libfacts/generate.py                 # every package in packages.txt
    python scripts/libfacts/generate.py stripe slack_sdk  # only these (the others' data is kept)
    python scripts/libfacts/generate.py --pin           # also write the resolved versions back

Each package is downloaded with its dependencies (``pip download --only-binary=:all:``, nothing is
installed or imported; a package published as an sdist only is fetched from the index's PEP 691 listing,
checked against its sha256 and never built: its dependencies are read from ``PKG-INFO``, the
``install_requires`` literal of ``setup.py`` or ``requirements.txt``) into a cache outside the repository (``$FAKEASYNC_LIBFACTS_CACHE``, default
``~/.cache/fakeasync-lint-libfacts``), its wheels are unpacked side by side, and each of its import roots
is derived by ``fakeasync_lint.libfacts`` exactly as an installed package is at run time (the closure of
modules the root imports, summarised by the same one-pass analysis, propagated to the catalog's
primitives).  Only facts are written: no code of the packages.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import time
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO)

from fakeasync_lint import analysis, environment, libfacts  # noqa: E402

CACHE = os.environ.get("FAKEASYNC_LIBFACTS_CACHE") or os.path.expanduser("~/.cache/fakeasync-lint-libfacts")
OUT = libfacts.DATA_DIR
MAX_MODULES = 4000


def read_packages(path: str):
    out = []
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def download(req: str):
    """(name, version, wheel file) of ``req`` and its dependencies, downloaded into the cache: pip
    resolves them (a dry run that installs nothing), then fetches each wheel."""
    wheels = os.path.join(CACHE, "wheels")
    os.makedirs(wheels, exist_ok=True)
    p = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "-q",
                        "--only-binary=:all:", "--report", "-", req],
                       capture_output=True, text=True, timeout=900)
    if p.returncode != 0:
        if "No matching distribution" in p.stderr:
            return download_sdist(req)  # a pure-Python package published as an sdist only (wikipedia, pysftp)
        raise RuntimeError(p.stderr.strip().splitlines()[-1] if p.stderr.strip() else "pip could not resolve")
    report = json.loads(p.stdout)
    files = []
    for item in report.get("install", []):
        fname = item["download_info"]["url"].rsplit("/", 1)[-1]
        path = os.path.join(wheels, fname)
        if not os.path.isfile(path):
            q = subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
                                "-d", wheels, f"{item['metadata']['name']}=={item['metadata']['version']}"],
                               capture_output=True, text=True, timeout=900)
            if q.returncode != 0 or not os.path.isfile(path):
                cands = [f for f in os.listdir(wheels) if f.lower().startswith(
                    item["metadata"]["name"].lower().replace("-", "_") + "-" + item["metadata"]["version"])]
                if not cands:
                    raise RuntimeError(f"cannot download {fname}")
                path = os.path.join(wheels, cands[0])
        files.append((item["metadata"]["name"], item["metadata"]["version"], path))
    return files


def download_sdist(req: str):
    """``req`` has no wheel: its source distribution, fetched from PyPI's JSON API (checked against the
    sha256 PyPI publishes; nothing is built, so no setup code runs), and its dependencies' wheels.  The
    dependencies are read from the sdist's ``PKG-INFO`` (``Requires-Dist``), else from the ``install_requires``
    literal of its ``setup.py`` (parsed, never run)."""
    import ast
    import tarfile
    import urllib.request

    name, _, version = req.partition("==")
    name, version = name.strip(), version.strip()
    canon = re.sub(r"[-_.]+", "-", name).lower()
    # the simple index's JSON form (PEP 691): every file with its sha256
    q = urllib.request.Request(f"https://pypi.org/simple/{canon}/",
                               headers={"Accept": "application/vnd.pypi.simple.v1+json"})
    with urllib.request.urlopen(q, timeout=60) as r:
        listing = json.load(r)
    stem = re.compile(r"^" + re.sub(r"[-_.]+", "[-_.]+", name) + r"-(.+)\.tar\.gz$", re.I)
    sdists = [(m.group(1), f) for f in listing["files"] if not f.get("yanked")
              for m in [stem.match(f["filename"])] if m]
    if version:
        sdists = [x for x in sdists if x[0] == version]
    if not sdists:
        raise RuntimeError(f"{req}: neither a wheel nor a .tar.gz sdist")
    version, info = sdists[-1]  # the index lists files oldest first
    path = os.path.join(CACHE, "wheels", info["filename"])
    if not os.path.isfile(path):
        with urllib.request.urlopen(info["url"], timeout=120) as r:
            data = r.read()
        if hashlib.sha256(data).hexdigest() != info["hashes"]["sha256"]:
            raise RuntimeError(f"{info['filename']}: sha256 does not match the index's")
        with open(path + ".tmp", "wb") as fh:
            fh.write(data)
        os.replace(path + ".tmp", path)
    deps = []
    with tarfile.open(path) as tf:
        members = {m.name.split("/", 1)[-1]: m for m in tf.getmembers() if m.isfile()}
        pkg_info = members.get("PKG-INFO")
        if pkg_info is not None:
            text = tf.extractfile(pkg_info).read().decode("utf-8", "replace")
            deps = [ln.split(":", 1)[1].strip() for ln in text.splitlines() if ln.startswith("Requires-Dist:")]
        if not deps and "setup.py" in members:
            tree = ast.parse(tf.extractfile(members["setup.py"]).read())
            assigned = {t.id: n.value for n in tree.body if isinstance(n, ast.Assign)
                        for t in n.targets if isinstance(t, ast.Name)}
            for node in ast.walk(tree):
                if isinstance(node, ast.keyword) and node.arg == "install_requires":
                    value = node.value
                    if isinstance(value, ast.Name):  # `install_requires=requires`, a list assigned above
                        value = assigned.get(value.id, value)
                    try:
                        deps = [d for d in ast.literal_eval(value) if isinstance(d, str)]
                    except ValueError:
                        deps = []
        if not deps and "requirements.txt" in members:  # `install_requires` read from it at build time
            text = tf.extractfile(members["requirements.txt"]).read().decode("utf-8", "replace")
            deps = [ln.split("#", 1)[0].strip() for ln in text.splitlines()]
            deps = [d for d in deps if d and not d.startswith(("-", "git+", "http"))]
    deps = [d for d in deps if ";" not in d or "extra" not in d.split(";", 1)[1]]
    files = []
    for d in deps:
        files.extend(f for f in download(d.split(";", 1)[0].strip()) if f not in files)
    return [(name, version, path)] + files


def unpack(wheel: str) -> str:
    if wheel.endswith(".tar.gz"):
        return unpack_sdist(wheel)
    d = os.path.join(CACHE, "unpacked", os.path.basename(wheel))
    if not os.path.isdir(d):
        tmp = d + ".tmp"
        with zipfile.ZipFile(wheel) as z:
            for m in z.namelist():  # sources and metadata only
                if m.endswith((".py", ".pyi", "top_level.txt", "RECORD", "METADATA")) and ".." not in m:
                    z.extract(m, tmp)
        os.replace(tmp, d)
    return d


def unpack_sdist(sdist: str) -> str:
    """The Python sources of an sdist laid out as an installed package: its top-level packages (``src/``
    layouts included) and modules, without tests, docs or the setup script, and a ``top_level.txt`` naming
    them (as a wheel's metadata does)."""
    import tarfile

    d = os.path.join(CACHE, "unpacked", os.path.basename(sdist))
    if os.path.isdir(d):
        return d
    tmp = d + ".tmp"
    base = os.path.basename(sdist)[:-len(".tar.gz")]
    tops = set()
    with tarfile.open(sdist) as tf:
        for m in tf.getmembers():
            if not m.isfile() or not m.name.endswith((".py", ".pyi")) or ".." in m.name:
                continue
            rel = m.name.split("/", 1)[-1]
            if rel.startswith("src/"):
                rel = rel[4:]
            first = rel.split("/", 1)[0]
            stem = first[:-3] if first.endswith(".py") else first
            if not stem.isidentifier() or stem.startswith(("test", "unittest")) or stem in (
                    "setup", "docs", "doc", "examples", "conftest"):
                continue
            out = os.path.join(tmp, rel)
            os.makedirs(os.path.dirname(out), exist_ok=True)
            with open(out, "wb") as fh:
                fh.write(tf.extractfile(m).read())
            tops.add(stem)
    name, _, version = base.rpartition("-")
    meta = os.path.join(tmp, f"{name.replace('-', '_')}-{version}.dist-info")
    os.makedirs(meta, exist_ok=True)
    with open(os.path.join(meta, "top_level.txt"), "w") as fh:
        fh.write("".join(t + "\n" for t in sorted(tops)))
    os.replace(tmp, d)
    return d


_MEMO = {}  # (path, module) -> summary: a dependency shared by many packages is summarised once


def summarise(path, mod, is_pkg):
    key = (path, mod)
    if key not in _MEMO:
        _MEMO[key] = _summarise(path, mod, is_pkg)
    return _MEMO[key]


def _summarise(path, mod, is_pkg):
    try:
        with open(path, "rb") as fh:
            return analysis.analyze(fh.read(), path, mod, is_pkg)
    except Exception as e:  # a module that cannot be analysed only loses its own facts
        return {"error": str(e)}


def package_keys(site: str, root: str, depth: int = 0):
    """The keys a distribution's root is shipped under: the root itself, or for a namespace package
    (a directory without ``__init__.py``: ``google``, ``azure``) the regular packages below it
    (``google.cloud.storage``)."""
    base = os.path.join(site, *root.split("."))
    if os.path.isfile(os.path.join(base, "__init__.py")) or os.path.isfile(base + ".py"):
        return [root]
    if not os.path.isdir(base) or depth >= 3:
        return []
    out = []
    for sub in sorted(os.listdir(base)):
        if sub.isidentifier() and os.path.isdir(os.path.join(base, sub)):
            out.extend(package_keys(site, root + "." + sub, depth + 1))
    return out


def generate(req: str, index: dict, log) -> None:
    t0 = time.time()
    files = download(req)
    name = re.split(r"[=<>!~ \[]", req, 1)[0]
    norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
    top = [f for f in files if norm(f[0]) == norm(name)]
    if not top:
        raise RuntimeError(f"{req}: not among the resolved distributions")
    dist, version, wheel = top[0]
    dirs = [unpack(w) for _, _, w in files if w.endswith((".whl", ".tar.gz"))]
    own = unpack(wheel)
    roots = []
    for r in sorted(environment._dists_in(own, [])):
        roots.extend(package_keys(own, r))
    deps = sorted(f"{n} {v}" for n, v, _ in files if norm(n) != norm(name))
    libfacts.configure(None, shipped=False)  # the derivation sees the hand catalog only
    for root in roots:
        first = root.split(".", 1)[0]
        if not first.isidentifier() or first.startswith("_") or first in libfacts.STDLIB or first in ("tests", "test"):
            continue
        summaries = libfacts.closure(dirs, libfacts.package_modules([own], root) or [root], summarise,
                                     limit=MAX_MODULES)
        summaries = {m: s for m, s in summaries.items() if not s.get("error")}
        pre = root + "."
        label = f"{norm(dist)} {version}, shipped facts"
        saved = libfacts._suspend()
        try:
            ov = libfacts.derive(summaries, lambda mod, r=root: label if mod == r or mod.startswith(pre) else None)
        finally:
            libfacts._restore(saved)
        n_block = sum(1 for s in ov["functions"].values() if s.get("family")) + sum(
            len(s.get("blocking", "").split()) for s in ov["types"].values())
        if not ov["functions"] and not ov["types"]:
            log(f"  {root}: no facts ({len(summaries)} modules)")
            index.pop(root, None)
            continue
        # gzip with a fixed mtime: the same facts give the same bytes (and checksum)
        body = gzip.compress(json.dumps(ov, sort_keys=True, separators=(",", ":")).encode(), 9, mtime=0)
        fname = f"{root}.json.gz"
        with open(os.path.join(OUT, fname), "wb") as fh:
            fh.write(body)
        index[root] = {"dist": norm(dist), "version": version, "file": fname,
                       "sha256": hashlib.sha256(body).hexdigest(), "modules": len(summaries),
                       "blocking": n_block, "deps": deps}
        log(f"  {root}: {len(summaries)} modules, {n_block} blocking APIs, {len(ov['types'])} types, "
            f"{len(body) // 1024} KiB ({time.time() - t0:.1f} s)")


README_HEAD = """# Shipped library facts

`fakeasync_lint/data/libfacts/` holds what these packages' APIs block, derived from their own code by
`fakeasync_lint.libfacts` (the same derivation as for packages installed in a project's environment),
for projects checked without their dependencies installed. Regenerate with

```sh
python scripts/libfacts/generate.py [PACKAGE ...] [--pin]
python scripts/libfacts/generate.py --readme     # only this file, from data/libfacts/index.json
```

Wheels are downloaded with their dependencies into `$FAKEASYNC_LIBFACTS_CACHE` (default
`~/.cache/fakeasync-lint-libfacts`), unpacked, never installed or imported; a package published as an sdist
only (wikipedia, pysftp) is fetched from the index's PEP 691 listing, checked against its sha256 and read, never
built (its dependencies come from `PKG-INFO`, the `install_requires` literal of `setup.py` or `requirements.txt`). `packages.txt` pins the
requirements; the dependency versions pip resolved are in `index.json` (`deps`). A package that gives no
facts is listed in `packages.txt` but not below (a C extension, an async-only client, an API built at run
time from data files, or one the hand catalog already covers).

| import key | distribution | version | modules read | blocking APIs |
|---|---|---|---:|---:|
"""


def write_readme(index: dict) -> None:
    rows = [f"| `{k}` | {e['dist']} | {e['version']} | {e.get('modules', '')} | {e.get('blocking', '')} |"
            for k, e in sorted(index.items())]
    dists = len({e["dist"] for e in index.values()})
    with open(os.path.join(HERE, "README.md"), "w", encoding="utf-8") as fh:
        fh.write(README_HEAD + "\n".join(rows) + f"\n\n{len(index)} import keys from {dists} distributions.\n")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("only", nargs="*", help="regenerate only these packages")
    ap.add_argument("--pin", action="store_true", help="write resolved versions back to packages.txt")
    ap.add_argument("--readme", action="store_true", help="only rewrite README.md from the index")
    ap.add_argument("--shard", default=None, metavar="I/N",
                    help="only every N-th package from the I-th (parallel runs); then --merge")
    ap.add_argument("--merge", action="store_true", help="merge the shards' indexes into index.json")
    args = ap.parse_args()
    if args.readme:
        write_readme(json.load(open(os.path.join(OUT, "index.json"))).get("roots", {}))
        return 0
    if args.merge:
        ipath = os.path.join(OUT, "index.json")
        try:
            merged = json.load(open(ipath)).get("roots", {})
        except (OSError, ValueError):
            merged = {}
        for f in sorted(os.listdir(OUT)):
            if f.startswith("index.shard-"):
                merged.update(json.load(open(os.path.join(OUT, f))).get("roots", {}))
                os.remove(os.path.join(OUT, f))
        with open(ipath, "w") as fh:
            json.dump({"version": 1, "roots": dict(sorted(merged.items()))}, fh, indent=1, sort_keys=True)
            fh.write("\n")
        write_readme(merged)
        return 0
    pk_path = os.path.join(HERE, "packages.txt")
    reqs = read_packages(pk_path)
    if args.only:
        want = {o.lower() for o in args.only}
        reqs = [r for r in reqs if re.split(r"[=<>!~ \[]", r, 1)[0].lower() in want]
    os.makedirs(OUT, exist_ok=True)
    ipath = os.path.join(OUT, "index.json")
    if args.shard:
        i, n = (int(x) for x in args.shard.split("/"))
        reqs = reqs[i::n]
        ipath = os.path.join(OUT, f"index.shard-{i}.json")
    try:
        index = json.load(open(ipath)).get("roots", {})
    except (OSError, ValueError):
        index = {}
    pins = {}
    failed = []
    for req in reqs:
        print(req, flush=True)
        try:
            generate(req, index, lambda m: print(m, flush=True))
            for root, e in index.items():
                if re.sub(r"[-_.]+", "-", re.split(r"[=<>!~ \[]", req, 1)[0]).lower() == e["dist"]:
                    base = re.split(r"[=<>!~ \[]", req, 1)[0]
                    pins[req] = f"{base}=={e['version']}"
        except Exception as e:
            failed.append(req)
            print(f"  failed: {type(e).__name__}: {e}", flush=True)
        with open(ipath, "w") as fh:  # after each package: an interrupted run keeps what it made
            json.dump({"version": 1, "roots": dict(sorted(index.items()))}, fh, indent=1, sort_keys=True)
            fh.write("\n")
    if args.pin and pins:
        text = open(pk_path).read()
        for old, new in pins.items():
            text = re.sub(rf"(?m)^{re.escape(old)}$", new, text)
        open(pk_path, "w").write(text)
    if not args.shard:
        write_readme(index)
    print(f"{len(reqs) - len(failed)} packages done, {len(failed)} failed: {' '.join(failed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
