"""The clients a suite talks to a Stack with: HTTP through nginx (or any
base URL: self.base), and nchan's publisher over its unix socket, as the
application itself publishes."""
import json
import subprocess
import urllib.error
import urllib.request


class Response:
    def __init__(self, status, headers, raw):
        self.status = status
        self.headers = headers
        self.raw = raw
        try:
            self.json = json.loads(raw) if raw else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "<%d %r>" % (self.status, self.raw[:300])


def _curl_status(argv):
    out = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}"] + argv,
                         capture_output=True, text=True, check=True)
    return int(out.stdout)


class Clients:
    """http() needs only self.base; the publisher's calls need
    self.env["NCHAN_PUB_SOCKET"]."""

    def http(self, method, path, body=None, token=None, headers=None, raw=None,
             timeout=30):
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        elif raw is not None:
            data = raw if isinstance(raw, bytes) else raw.encode()
        if token:
            hdrs["Authorization"] = "Bearer " + token
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                return Response(r.status, r.headers, r.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as e:
            try:
                return Response(e.code, e.headers, e.read().decode("utf-8", "replace"))
            finally:
                e.close()

    def publish(self, channel, message):
        """POST to nchan's publisher over its unix socket."""
        return _curl_status(["--unix-socket", self.env["NCHAN_PUB_SOCKET"],
                             "-H", "Content-Type: application/json",
                             "--data-binary", json.dumps(message),
                             "http://nchan/pub/" + channel])

    def channel_status(self, channel):
        """The publisher's GET of a channel: 200 when it holds messages, 404
        when nothing was ever published to it."""
        return _curl_status(["--unix-socket", self.env["NCHAN_PUB_SOCKET"],
                             "-H", "Accept: text/json", "http://nchan/pub/" + channel])
