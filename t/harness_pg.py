"""The private PostgreSQL cluster of a Stack: initdb in the stack's
directory, peer authentication for our account only, no TCP (the port only
names the socket), the migrations applied, and psql for the suites' SQL."""
import glob
import os
import pwd
import shutil
import subprocess

from harness_env import IS_ROOT, SRC


def pg_bin(name):
    cands = sorted(glob.glob("/usr/lib/postgresql/*/bin/" + name))
    if not cands:
        raise RuntimeError("PostgreSQL server binaries not found")
    return cands[-1]


class Postgres:
    """Needs self.tmp, self.log, self.pgsock, self.pgport, self.env and
    self.sql_dir."""

    def _as_pg(self, argv):
        if IS_ROOT:
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def start_pg(self):
        data = os.path.join(self.tmp, "pg")
        for d in (data, self.pgsock):
            os.makedirs(d, mode=0o700)
            if IS_ROOT:
                shutil.chown(d, "postgres")
        subprocess.run(self._as_pg([pg_bin("initdb"), "-D", data, "-U", "postgres",
                                    "--auth-local=peer", "--auth-host=scram-sha-256",
                                    "-E", "UTF8", "--no-sync", "--no-instructions"]),
                       check=True, stdout=subprocess.DEVNULL)
        # Peer authentication maps our account to the superuser.
        me = pwd.getpwuid(os.geteuid()).pw_name
        for name, text in (("pg_hba.conf", "local all all peer map=connectify\n"),
                           ("pg_ident.conf", "connectify %s postgres\n" % me)):
            subprocess.run(self._as_pg(["sh", "-c", 'cat > "$1"', "sh",
                                        os.path.join(data, name)]),
                           input=text.encode(), check=True)
        self.pg_start()
        subprocess.run(["psql", self.admin_url(), "-Xqc", "CREATE DATABASE connectify"],
                       check=True)
        subprocess.run([os.path.join(SRC, "script", "migrate"), self.sql_dir],
                       env=self.env, check=True, stdout=subprocess.DEVNULL)

    def admin_url(self):
        return "postgresql:///postgres?host=%s&port=%d&user=postgres" % (self.pgsock, self.pgport)

    def pg_start(self):
        data = os.path.join(self.tmp, "pg")
        subprocess.run(self._as_pg([pg_bin("pg_ctl"), "-D", data, "-w", "-l",
                                    os.path.join(self.log, "postgresql.log"), "-o",
                                    "-p %d -k %s -c listen_addresses='' -c fsync=off "
                                    "-c unix_socket_permissions=0700 "
                                    "-c max_connections=200"
                                    % (self.pgport, self.pgsock), "start"]),
                       check=True, stdout=subprocess.DEVNULL)

    def pg_stop(self, mode="fast"):
        data = os.path.join(self.tmp, "pg")
        subprocess.run(self._as_pg([pg_bin("pg_ctl"), "-D", data, "-m", mode, "-w", "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def sql(self, query, *args):
        """Run SQL (psql variables :'v1'...) and return rows as lists."""
        cmd = ["psql", self.env["DATABASE_URL"], "-XAtq", "-F", "\t", "-v", "ON_ERROR_STOP=1"]
        for i, a in enumerate(args):
            cmd += ["-v", "v%d=%s" % (i + 1, a)]
        out = subprocess.run(cmd, input=query, capture_output=True, text=True, check=True)
        return [line.split("\t") for line in out.stdout.splitlines() if line]
