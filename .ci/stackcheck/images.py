"""The images: local stand-ins for the official base images (see
.ci/images/README.md), then ours, built from the repository's Dockerfile
with BuildKit exactly as an operator builds them."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

from deploycheck.common import ROOT, check, ok

from . import engine

IMAGES = ROOT / ".ci/images"
WORK = ROOT / "target/ci-docker"
SLIM = "debian:bookworm-slim"
STANDINS = {
    "rust:1.95-slim-bookworm": "rust",
    "nginx:1.27-bookworm": "nginx",
    "postgres:17-bookworm": "postgres",
}
APP, WEB = "nightcoder-rs", "nightcoder-rs-web"
MMDEBSTRAP = [
    "mmdebstrap", "--quiet", "--variant=minbase", "--include=usr-is-merged",
    *[f"--dpkgopt=path-exclude=/usr/share/{p}/*" for p in ("man", "locale", "doc", "info", "lintian", "linda", "groff")],
    "--dpkgopt=path-include=/usr/share/locale/locale.alias",
    "--dpkgopt=path-include=/usr/share/doc/*/copyright",
    # what the official slim image does not carry either
    "--customize-hook=chroot \"$1\" dpkg --purge usrmerge libfile-find-rule-perl "
    "libnumber-compare-perl libtext-glob-perl perl libperl5.36 perl-modules-5.36",
    "--customize-hook=rm -rf \"$1\"/var/cache/apt/*.bin \"$1\"/var/lib/apt/lists/* \"$1\"/var/log/*.log",
    # later installs leave the same things out, as in the official image
    "--customize-hook=printf 'path-exclude /usr/share/%s/*\\n' man locale doc info lintian linda groff "
    "> \"$1\"/etc/dpkg/dpkg.cfg.d/docker-slim",
    # apt as the official image sets it up: no package caches, no
    # translations, downloaded archives removed
    "--customize-hook=printf '%s\\n' "
    "'Dir::Cache::pkgcache \"\";' 'Dir::Cache::srcpkgcache \"\";' "
    "'DPkg::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true\"; };' "
    "'APT::Update::Post-Invoke { \"rm -f /var/cache/apt/archives/*.deb /var/cache/apt/*.bin || true\"; };' "
    "> \"$1\"/etc/apt/apt.conf.d/docker-clean",
    "--customize-hook=echo 'Acquire::Languages \"none\";' > \"$1\"/etc/apt/apt.conf.d/docker-no-languages",
    # the suites the official image lists (point releases, security)
    "bookworm", "-",
    "deb http://deb.debian.org/debian bookworm main",
    "deb http://deb.debian.org/debian bookworm-updates main",
    "deb http://security.debian.org/debian-security bookworm-security main",
]


def fingerprint(*parts: object) -> str:
    h = hashlib.sha256()
    for p in parts:
        if isinstance(p, Path):
            for f in sorted(p.rglob("*")) if p.is_dir() else [p]:
                if f.is_file():
                    h.update(str(f.relative_to(p.parent)).encode())
                    h.update(f.read_bytes())
        else:
            h.update(str(p).encode())
    return h.hexdigest()[:16]


def labelled(name: str, stamp: str) -> bool:
    r = engine.docker("image", "inspect", "--format", "{{ index .Config.Labels \"nc.stamp\" }}",
                      name, check_ok=False)
    return r.returncode == 0 and r.stdout.decode().strip() == stamp


def build(name: str, context: Path, stamp: str, *extra: str) -> float:
    start = time.monotonic()
    engine.docker("build", "--network=host", "--label", f"nc.stamp={stamp}", "-t", name,
                  *extra, str(context), timeout=3600)
    return time.monotonic() - start


def slim() -> None:
    stamp = fingerprint(" ".join(MMDEBSTRAP))
    if labelled(SLIM, stamp):
        ok(f"{SLIM}: stand-in kept from an earlier run")
        return
    start = time.monotonic()
    rootfs = WORK / "bookworm-slim.tar"
    with rootfs.open("wb") as f:
        r = subprocess.run(MMDEBSTRAP, stdout=f, stderr=subprocess.PIPE)
    check(r.returncode == 0, f"mmdebstrap: {r.stderr.decode()[-2000:]}")
    engine.docker("import", "--change", f"LABEL nc.stamp={stamp}", "--change", 'CMD ["bash"]',
                  str(rootfs), SLIM)
    rootfs.unlink()
    size = int(engine.out("image", "inspect", "--format", "{{.Size}}", SLIM)) // 1_000_000
    ok(f"{SLIM}: stand-in from mmdebstrap, {size} MB, {time.monotonic() - start:.0f}s")


def rust_context() -> Path:
    """The host's rustup toolchain, laid out as the official image has it."""
    version = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout
    check(version.startswith("rustc 1.95."),
          f"the rust stand-in copies the host toolchain, which must be 1.95 (the Dockerfile's): {version}")
    sysroot = Path(subprocess.run(["rustc", "--print", "sysroot"], capture_output=True,
                                  text=True).stdout.strip())
    ctx = WORK / "rust-context"
    shutil.rmtree(ctx, ignore_errors=True)
    toolchain = ctx / "rustup/toolchains/1.95.0-x86_64-unknown-linux-gnu"
    shutil.copytree(sysroot, toolchain, ignore=shutil.ignore_patterns("doc"), symlinks=True)
    (ctx / "rustup/settings.toml").write_text(
        'version = "12"\ndefault_toolchain = "1.95.0-x86_64-unknown-linux-gnu"\nprofile = "minimal"\n')
    bin_dir = ctx / "cargo/bin"
    bin_dir.mkdir(parents=True)
    rustup = Path(shutil.which("rustup") or Path.home() / ".cargo/bin/rustup").resolve()
    shutil.copy2(rustup, bin_dir / "rustup")
    for proxy in ("cargo", "rustc", "rustdoc", "rust-gdb", "rust-lldb"):
        os.symlink("rustup", bin_dir / proxy)
    shutil.copy2("/etc/ssl/certs/ca-certificates.crt", ctx / "ca-certificates.crt")
    shutil.copy2(IMAGES / "rust/Dockerfile", ctx / "Dockerfile")
    return ctx


def standins() -> None:
    slim()
    base = engine.out("image", "inspect", "--format", "{{.Id}}", SLIM)
    for name, folder in STANDINS.items():
        stamp = fingerprint(base, IMAGES / folder,
                            subprocess.run(["rustc", "--version"], capture_output=True,
                                           text=True).stdout if folder == "rust" else "")
        if labelled(name, stamp):
            ok(f"{name}: stand-in kept from an earlier run")
            continue
        context = rust_context() if folder == "rust" else IMAGES / folder
        took = build(name, context, stamp)
        if folder == "rust":
            shutil.rmtree(context, ignore_errors=True)
        ok(f"{name}: stand-in built in {took:.0f}s")


def ours(tag: str, source: Path = ROOT, targets: tuple[str, ...] = ("app", "web")) -> dict[str, float]:
    """The images of `source` (a checkout), tagged `tag`, built from this
    repository's Dockerfile."""
    dockerfile = str(ROOT / "Dockerfile")
    times = {}
    for target, name in (("app", APP), ("web", WEB)):
        if target not in targets:
            continue
        start = time.monotonic()
        engine.docker("build", "--network=host", "--target", target, "-f", dockerfile,
                      "-t", f"{name}:{tag}", str(source), timeout=3600)
        times[target] = time.monotonic() - start
    return times


def size_mb(image: str) -> float:
    return int(engine.out("image", "inspect", "--format", "{{.Size}}", image)) / 1_000_000
