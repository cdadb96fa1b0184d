"""nginx with nchan in front of a Stack: its configuration rendered from
nginx/connectify.conf.in, started, reloaded and stopped, and its error log
read for workers that died."""
import os
import signal
import subprocess

from harness_env import SRC
from harness_proc import wait_for


class Nginx:
    """Needs self.env, self.tmp, self.run, self.log, self.port and
    self.ws_hook_port."""

    def render_nginx(self, **extra):
        """Write nginx.conf from the template; extra: settings that differ
        from the stack's (FCGI_SOCKET=...). Returns its path."""
        env = dict(self.env)
        env.update({"VAR_DIR": self.tmp, "PORT": str(self.port), "BIND": "127.0.0.1",
                    "WS_HOOK_PORT": str(self.ws_hook_port),
                    "WWW_DIR": os.path.join(SRC, "nginx", "www"), "NGINX_WORKERS": "2"})
        env.update(extra)
        conf = os.path.join(self.tmp, "nginx.conf")
        subprocess.run([os.path.join(SRC, "script", "render-nginx"),
                        os.path.join(SRC, "nginx", "connectify.conf.in"), conf],
                       env=env, check=True)
        return conf

    def reload_nginx(self, **extra):
        """nginx's graceful reload onto a configuration rendered anew."""
        conf = self.render_nginx(**extra)
        subprocess.run(["nginx", "-p", os.path.join(self.tmp, "nginx"), "-c", conf,
                        "-e", os.path.join(self.log, "nginx-error.log"), "-s", "reload"],
                       check=True)

    def start_nginx(self):
        conf = self.render_nginx()
        os.makedirs(os.path.join(self.tmp, "nginx"), exist_ok=True)
        subprocess.run(["nginx", "-p", os.path.join(self.tmp, "nginx"), "-c", conf,
                        "-e", os.path.join(self.log, "nginx-error.log")], check=True)
        wait_for(lambda: os.path.exists(os.path.join(self.run, "nginx.pid")), what="nginx")

    def stop_nginx(self):
        """SIGTERM to the master nginx wrote to its pid file, and wait for
        it to remove the file; nothing when it does not run."""
        pidf = os.path.join(self.run, "nginx.pid")
        if not os.path.exists(pidf):
            return
        try:
            with open(pidf) as fh:
                pid = int(fh.read())
            os.kill(pid, signal.SIGTERM)
            wait_for(lambda: not os.path.exists(pidf), 10, "nginx exit")
        except Exception:
            pass

    def nginx_crashes(self):
        """Lines of nginx's error log telling of a worker that died."""
        path = os.path.join(self.log, "nginx-error.log")
        if not os.path.exists(path):
            return []
        with open(path, errors="replace") as f:
            return [line for line in f if "exited on signal" in line or "signal 11" in line
                    or "signal 6" in line or "Assertion" in line]
