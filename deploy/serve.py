"""Run N Streamlit app processes and the HSDS API behind nginx on one host (``make serve``).

    .venv/bin/python deploy/serve.py [--processes 2] [--port 8080] [--host 127.0.0.1] [--run-dir DIR]

* app processes: ``streamlit run app.py`` on 127.0.0.1, ports ``--app-port``, ``--app-port``+1, ...;
* the HSDS API (``python -m socialmap api``, when this version has it; its access log is off);
* nginx (``deploy/nginx.conf.template``) on ``--host:--port``: sticky sessions by cookie for
  Streamlit's websockets, ``/api/`` to the API, an access log without query strings.

With ``SOCIALMAP_DATABASE_URL`` set the schema is migrated first (and the shipped region loaded
when the database does not have it yet); every app process then reads the published snapshot of
the region and picks up each committed save without a restart. Without it all processes read the
region folder (one curator at a time; the file lock serialises saves on this host).

Logs and the rendered nginx configuration go to ``--run-dir`` (printed at start);
``serve.json`` there lists the processes. Ctrl-C (or SIGTERM) stops everything. A process that
exits is reported and not restarted (``--restart`` restarts it after 2 s).
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
sys.path.insert(0, str(ROOT))

from socialmap.db import region_id  # noqa: E402
from socialmap.loader import region_path  # noqa: E402


def nginx_binary() -> str:
    for name in NGINX_CANDIDATES:
        found = shutil.which(name) or (name if Path(name).is_file() else None)
        if found:
            return found
    raise SystemExit("serve: nginx is missing: run 'bash deploy/ensure_nginx.sh' (as root) or "
                     "'sudo apt-get install nginx-light'")


def api_available() -> bool:
    """Whether this version has the HSDS API (``python -m socialmap api``)."""
    return importlib.util.find_spec("socialmap.api") is not None and \
        importlib.util.find_spec("socialmap.api.commands") is not None


def render_nginx(run_dir: Path, host: str, port: int, app_ports: list[int], api_port: int | None) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in app_ports)
    api_upstream = api_location = ""
    if api_port is not None:
        api_upstream = f"\n    upstream socialmap_api {{\n        server 127.0.0.1:{api_port};\n    }}\n"
        api_location = ("        location /api/ {\n            proxy_pass http://socialmap_api/;\n"
                        "            proxy_set_header Host $http_host;\n        }\n")
    return string.Template(TEMPLATE.read_text(encoding="utf-8")).safe_substitute(
        run_dir=str(run_dir), host=host, port=str(port), app_servers=servers, api_upstream=api_upstream,
        api_location=api_location)


def wait_http(url: str, timeout_s: float, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"serve: the process for {url} exited with code {proc.returncode} (see its log)")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status < 500:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"serve: {url} did not answer within {timeout_s:.0f} s")


def port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) != 0


def prepare_database() -> Path | None:
    """Migrate the schema; load the region folder when the database does not have the region yet.

    Returns the folder that always shows the newest published version (None without a database).
    """
    if not os.environ.get("SOCIALMAP_DATABASE_URL"):
        return None
    from socialmap.db import pg, publish

    pg.migrate()
    region = region_id()
    with pg.connect() as conn:
        known = pg.region_version(conn, Path(region).name) is not None
    if not known:
        version = pg.load(region_path(region), region=Path(region).name)
        print(f"serve: loaded {region_path(region)} into the database (version {version})")
    snapshot = publish.ensure_snapshot(Path(region).name)
    print(f"serve: snapshot {snapshot}")
    return publish.current_link(Path(region).name)  # the API follows the newest version


class Supervisor:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.run_dir = Path(args.run_dir or Path(tempfile.gettempdir()) / f"socialmap-serve-{args.port}").resolve()
        self.procs: dict[str, tuple[subprocess.Popen, list[str], Path]] = {}
        self.stopping = False

    def spawn(self, name: str, cmd: list[str]) -> subprocess.Popen:
        log = self.run_dir / f"{name}.log"
        # links on route cards point at the proxy, not at one app process
        env = {"SOCIALMAP_PUBLIC_URL": f"http://{self.args.host}:{self.args.port}", **os.environ}
        with open(log, "ab") as fh:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, start_new_session=True)
        self.procs[name] = (proc, cmd, log)
        return proc

    def write_state(self) -> None:
        state = {name: {"pid": p.pid, "cmd": cmd, "log": str(log)} for name, (p, cmd, log) in self.procs.items()}
        state["url"] = f"http://{self.args.host}:{self.args.port}"  # type: ignore[assignment]
        (self.run_dir / "serve.json").write_text(json.dumps(state, indent=2), encoding="utf-8")

    def start(self) -> None:
        args = self.args
        self.run_dir.mkdir(parents=True, exist_ok=True)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        nginx = nginx_binary()
        app_ports = [args.app_port + i for i in range(args.processes)]
        api = api_available()
        api_port = args.app_port + args.processes if api else None
        for port in [args.port, *app_ports, *([api_port] if api_port else [])]:
            if not port_free("127.0.0.1", port):
                raise SystemExit(f"serve: port {port} is in use (choose --port / --app-port)")
        api_folder = prepare_database() or region_path(region_id())
        for number, port in enumerate(app_ports, start=1):
            self.spawn(f"app-{number}", [
                sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
                "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none", "--server.runOnSave", "false"])
        if api and api_port:
            self.spawn("api", [sys.executable, "-m", "socialmap", "api", "--host", "127.0.0.1", "--port", str(api_port),
                               "--region", str(api_folder)])
        conf = self.run_dir / "nginx.conf"
        conf.write_text(render_nginx(self.run_dir, args.host, args.port, app_ports, api_port), encoding="utf-8")
        check = subprocess.run([nginx, "-t", "-q", "-p", str(self.run_dir), "-c", str(conf)],
                               capture_output=True, text=True)
        if check.returncode != 0:
            self.stop()
            raise SystemExit(f"serve: nginx refuses the configuration {conf}:\n{check.stderr}")
        self.spawn("nginx", [nginx, "-p", str(self.run_dir), "-c", str(conf), "-g", "daemon off;"])
        for number, port in enumerate(app_ports, start=1):
            wait_http(f"http://127.0.0.1:{port}/_stcore/health", 120, self.procs[f"app-{number}"][0])
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30):
                pass  # the page shell; the first session of each process loads the atlas
        wait_http(f"http://{args.host}:{args.port}/_stcore/health", 30, self.procs["nginx"][0])
        if api_port:
            wait_http(f"http://127.0.0.1:{api_port}/", 60, self.procs["api"][0])
        self.write_state()
        print(f"serve: {args.processes} app process(es){' + API' if api else ''} behind nginx on "
              f"http://{args.host}:{args.port} (logs: {self.run_dir})", flush=True)

    def watch(self) -> None:
        while not self.stopping:
            for name, (proc, cmd, _log) in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping:
                    print(f"serve: {name} (pid {proc.pid}) exited with code {proc.returncode}", flush=True)
                    if self.args.restart and name != "nginx":
                        time.sleep(2)
                        self.spawn(name, cmd)
                        self.write_state()
                    else:
                        self.procs.pop(name)
                        if name == "nginx":
                            self.stop()
                            return
            time.sleep(0.5)

    def stop(self, *_: object) -> None:
        self.stopping = True
        for _name, (proc, _cmd, _log) in self.procs.items():
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 10
        for _name, (proc, _cmd, _log) in self.procs.items():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=int(os.environ.get("SERVE_PROCESSES", "2")))
    parser.add_argument("--host", default=os.environ.get("SERVE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SERVE_PORT", "8080")))
    parser.add_argument("--app-port", type=int, default=None, help="first app port (default: --port + 1)")
    parser.add_argument("--run-dir", default=os.environ.get("SERVE_RUN_DIR"))
    parser.add_argument("--restart", action="store_true", help="restart an app process that exits")
    args = parser.parse_args(argv)
    if not 1 <= args.processes <= 32:
        parser.error("--processes must be 1-32")
    args.app_port = args.app_port or args.port + 1
    sup = Supervisor(args)
    signal.signal(signal.SIGTERM, sup.stop)
    signal.signal(signal.SIGINT, sup.stop)
    try:
        sup.start()
        sup.watch()
    finally:
        sup.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
