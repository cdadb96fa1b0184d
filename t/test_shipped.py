"""What an installation ships besides the programs: the sample
connectify.env (always connectify-fcgi --sample-env's output), the
systemd units (valid, hardened) and the nginx site (valid in a system
nginx)."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BUILD, SRC, main  # noqa: E402

ETC = os.path.join(SRC, "etc")
UNITS = ("connectify-fcgi.service", "connectify-worker.service")


def built_pkgdatadir():
    """The build's pkgdatadir, as compiled into the programs."""
    with open(os.path.join(BUILD, "Makefile")) as f:
        text = f.read()
    vals = dict(re.findall(r"^(prefix|datarootdir|datadir) = (.*)$", text, re.M))
    d = vals["datadir"].replace("${datarootdir}", vals["datarootdir"]) \
        .replace("$(datarootdir)", vals["datarootdir"])
    return d.replace("${prefix}", vals["prefix"]).replace("$(prefix)", vals["prefix"]) \
        + "/connectify"


class Shipped(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="connectify-shipped-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    # --- connectify.env -------------------------------------------------
    def test_sample_env_is_generated(self):
        out = subprocess.run([os.path.join(BUILD, "fcgi", "connectify-fcgi"), "--sample-env"],
                             capture_output=True, text=True, check=True).stdout
        # The shipped file is the Debian layout's (prefix /usr).
        out = out.replace(built_pkgdatadir(), "/usr/share/connectify")
        with open(os.path.join(ETC, "connectify.env")) as f:
            shipped = f.read()
        self.assertEqual(shipped, out, "etc/connectify.env is stale: regenerate it with "
                         "connectify-fcgi --sample-env (prefix /usr)")
        keys = re.findall(r"^([A-Z][A-Z0-9_]+) ", subprocess.run(
            [os.path.join(BUILD, "fcgi", "connectify-fcgi"), "--help-config"],
            capture_output=True, text=True).stdout, re.M)
        self.assertEqual(re.findall(r"^#([A-Z][A-Z0-9_]+)=", shipped, re.M), keys)

    def test_sample_env_uncommented_loads(self):
        """Every line uncommented as it stands is a valid configuration."""
        with open(os.path.join(ETC, "connectify.env")) as f:
            text = re.sub(r"(?m)^#([A-Z])", r"\1", f.read())
        path = os.path.join(self.tmp, "all.env")
        with open(path, "w") as f:
            f.write(text)
        env = {"PATH": os.environ["PATH"]}
        os.makedirs(os.path.join(self.tmp, "var"), exist_ok=True)  # SECRET_KEY_FILE's
        p = subprocess.run([os.path.join(BUILD, "ctl", "connectifyctl"), "-c", path,
                            "check-config", "-d", self.tmp], env=env, cwd=self.tmp,
                           capture_output=True, text=True, timeout=60)
        self.assertRegex(p.stdout, r"^ok\s+settings: ", p.stdout + p.stderr)

    # --- systemd --------------------------------------------------------
    def unit(self, name):
        with open(os.path.join(ETC, name)) as f:
            return f.read()

    def test_units_hardened(self):
        for name in UNITS:
            text = self.unit(name)
            for line in ("User=connectify", "NoNewPrivileges=yes", "ProtectSystem=strict",
                         "PrivateTmp=yes", "EnvironmentFile=-/etc/connectify/connectify.env",
                         "ExecReload=/bin/kill -HUP $MAINPID"):
                self.assertIn("\n" + line + "\n", text, name)
            rw = re.search(r"^ReadWritePaths=(.*)$", text, re.M).group(1).split()
            self.assertIn("/var/lib/connectify", rw)
            # Every path a unit sets is one it may write (or only read).
            for path in re.findall(r"^Environment=\w+=(/\S+)", text, re.M):
                self.assertTrue(any(path.startswith(d + "/") for d in rw), (name, path))

    def test_units_verify(self):
        if not shutil.which("systemd-analyze"):
            self.skipTest("no systemd-analyze")
        paths = []
        for name in UNITS:
            prog = name[:-len(".service")]
            exe = os.path.join(BUILD, "fcgi" if prog.endswith("fcgi") else "worker", prog)
            path = os.path.join(self.tmp, name)
            with open(path, "w") as f:
                f.write(self.unit(name).replace("/usr/bin/" + prog, exe))
            paths.append(path)
        p = subprocess.run(["systemd-analyze", "verify", "--man=no"] + paths,
                           capture_output=True, text=True, cwd=self.tmp)
        self.assertEqual((p.returncode, p.stdout + p.stderr), (0, ""))
        for path in paths:
            p = subprocess.run(["systemd-analyze", "security", "--offline=yes", path],
                               capture_output=True, text=True, cwd=self.tmp)
            m = re.search(r"Overall exposure level for \S+: ([\d.]+)", p.stdout)
            self.assertIsNotNone(m, p.stdout + p.stderr)
            self.assertLess(float(m.group(1)), 2.5, p.stdout)

    # --- nginx ----------------------------------------------------------
    def test_nginx_site_valid_in_a_system_nginx(self):
        site = os.path.join(BUILD, "nginx", "connectify-site.conf")
        self.assertTrue(os.path.exists(site), "make builds nginx/connectify-site.conf")
        with open(site) as f:
            text = f.read()
        self.assertNotIn("@", re.sub(r"location @\w+|= @\w+|@\w+;", "", text))
        for main_only in ("load_module", "worker_processes", "\npid ", "_temp_path", "events {"):
            self.assertNotIn(main_only, text)
        self.assertIn("server unix:/run/connectify/fcgi.sock;", text)
        self.assertIn("listen unix:/run/connectify/nchan-pub.sock;", text)
        # nginx -t binds unix sockets: the runtime directory moves here.
        copy = os.path.join(self.tmp, "site.conf")
        with open(copy, "w") as f:
            f.write(text.replace("/run/connectify/", self.tmp + "/"))
        site = copy
        # Debian's nginx.conf, shortened: the site goes inside http{}.
        conf = os.path.join(self.tmp, "nginx.conf")
        with open(conf, "w") as f:
            f.write("load_module /usr/lib/nginx/modules/ngx_nchan_module.so;\n"
                    "pid %s/nginx.pid;\nerror_log %s/error.log;\n"
                    "events { worker_connections 64; }\n"
                    "http {\n sendfile on;\n include /etc/nginx/mime.types;\n"
                    " default_type application/octet-stream;\n"
                    " access_log %s/access.log;\n include %s;\n}\n"
                    % (self.tmp, self.tmp, self.tmp, site))
        p = subprocess.run(["nginx", "-t", "-p", self.tmp, "-c", conf, "-e",
                            os.path.join(self.tmp, "error.log")],
                           capture_output=True, text=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("syntax is ok", p.stderr)


if __name__ == "__main__":
    main()
