"""Calendar invitations: every interview mail (HR's mailings, the
invitation of a bulk-uploaded candidate, the updates) of an event with a
date carries an iCalendar part (multipart/mixed, text/calendar; method=REQUEST)
that Debian's python3-icalendar parses, with a UID stable per person and
event, a SEQUENCE raised by each change (each change mails everyone an
update) and METHOD:CANCEL when the event is called off.  Read from the
real SMTP sink."""
import base64
import datetime
import os
import sys

import icalendar

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TestCase, main, smtp_messages, start_smtp, wait_for  # noqa: E402
import pdfgen  # noqa: E402

EV = "/bulk_hiring/event/v1"
UD = "/bulk_hiring/user_data/v1"


def calendar_of(msg):
    """(method parameter, parsed calendar) of msg's text/calendar part, or
    None when it has none."""
    for part in msg.walk():
        if part.get_content_type() == "text/calendar":
            return part.get_param("method"), icalendar.Calendar.from_ical(part.get_content())
    return None


def vevent(cal):
    evs = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(evs) == 1, cal
    return evs[0]


class Calendar(TestCase):
    stack_args = {"worker": True, "before": start_smtp,
                  "env": {"JOB_POLL_MS": "200", "OTP_RATE_IP": "10000",
                          "MAIL_FROM": "Connectify <hiring@connectify.example>"}}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr = cls.stack.make_user("Hr")

    def event(self, **kw):
        self.iv = self.stack.make_user("Interviewer")
        body = {"title": "Data, Platform; Engineer", "department": "Engineering",
                "status": "Active", "location": "Pune, Hinjewadi Phase 2",
                "start_date": "2026-12-14", "end_date": "2026-12-15",
                "rounds": [{"name": "Technical", "interviewers": [self.iv["user"]["id"]]}]}
        body.update(kw)
        r = self.stack.http("POST", EV + "/event/", body, token=self.hr["access_token"])
        self.assertStatus(r, 201)
        return r.json["event_id"]

    def register(self, ev):
        c = self.stack.make_user("Interviewee", name="Åsa Ñúñez, Jr.")
        pdf, _ = pdfgen.resume(4100 + ev)
        r = self.stack.http("POST", EV + "/event-register/", {
            "event_id": ev, "resume": {"file_name": "cv.pdf",
                                       "content_base64": base64.b64encode(pdf).decode()}},
            token=c["access_token"])
        self.assertStatus(r, 201)
        self.mail(ev, "candidates")
        return c

    def mail(self, ev, audience):
        r = self.stack.http("POST", UD + "/send-event-mail/",
                            {"event_id": ev, "audience": audience},
                            token=self.hr["access_token"])
        self.assertStatus(r, 202)

    def mails_to(self, addr, n):
        def got():
            return [m for env, m, _ in smtp_messages(self.stack) if addr in env["rcpt_tos"]]
        wait_for(lambda: len(got()) >= n, 60, "%d mails to %s" % (n, addr))
        return got()

    def patch(self, ev, **kw):
        r = self.stack.http("PATCH", EV + "/event/", dict(kw, event_id=ev),
                            token=self.hr["access_token"])
        self.assertStatus(r, 200)

    def test_invitation_update_and_cancel(self):
        ev = self.event()
        c = self.register(ev)
        addr = c["user"]["email"]
        first, = self.mails_to(addr, 1)
        self.assertEqual(first.get_content_type(), "multipart/mixed")
        method, cal = calendar_of(first)
        self.assertEqual(method, "REQUEST")
        self.assertEqual(str(cal["METHOD"]), "REQUEST")
        e = vevent(cal)
        uid = str(e["UID"])
        self.assertTrue(uid.endswith("@connectify.example"), uid)
        self.assertEqual(int(e["SEQUENCE"]), 0)
        self.assertEqual(e.decoded("DTSTART"), datetime.date(2026, 12, 14))
        self.assertEqual(e.decoded("DTEND"), datetime.date(2026, 12, 16))
        self.assertEqual(str(e["SUMMARY"]), "Interview: Data, Platform; Engineer")
        self.assertEqual(str(e["LOCATION"]), "Pune, Hinjewadi Phase 2")
        self.assertEqual(str(e["ATTENDEE"]), "mailto:" + addr)
        self.assertEqual(e["ATTENDEE"].params["CN"], "Åsa Ñúñez, Jr.")
        self.assertEqual(str(e["ORGANIZER"]), "mailto:hiring@connectify.example")
        self.assertEqual(str(e["STATUS"]), "CONFIRMED")
        self.assertIn("calendar", first.get_body(("plain",)).get_content())

        # A change: everyone gets the same UID with a higher SEQUENCE.
        self.patch(ev, location="Bengaluru, Whitefield")
        second = self.mails_to(addr, 2)[1]
        method, cal = calendar_of(second)
        e = vevent(cal)
        self.assertEqual((method, str(e["UID"]), int(e["SEQUENCE"])), ("REQUEST", uid, 1))
        self.assertEqual(str(e["LOCATION"]), "Bengaluru, Whitefield")
        self.assertIn("updates your calendar", second.get_body(("plain",)).get_content())
        iv_mail = self.mails_to(self.iv["user"]["email"], 1)[-1]
        method, cal = calendar_of(iv_mail)
        ie = vevent(cal)
        self.assertEqual((method, int(ie["SEQUENCE"])), ("REQUEST", 1))
        self.assertNotEqual(str(ie["UID"]), uid)

        self.patch(ev, start_date="2026-12-21", end_date="2026-12-21")
        third = self.mails_to(addr, 3)[2]
        e = vevent(calendar_of(third)[1])
        self.assertEqual((str(e["UID"]), int(e["SEQUENCE"])), (uid, 2))
        self.assertEqual(e.decoded("DTSTART"), datetime.date(2026, 12, 21))
        self.assertEqual(e.decoded("DTEND"), datetime.date(2026, 12, 22))

        # Called off: METHOD:CANCEL, same UID, higher SEQUENCE.
        self.patch(ev, status="Inactive")
        fourth = self.mails_to(addr, 4)[3]
        method, cal = calendar_of(fourth)
        e = vevent(cal)
        self.assertEqual(method, "CANCEL")
        self.assertEqual(str(cal["METHOD"]), "CANCEL")
        self.assertEqual((str(e["UID"]), int(e["SEQUENCE"])), (uid, 3))
        self.assertEqual(str(e["STATUS"]), "CANCELLED")
        self.assertIn("cancelled", fourth.get_body(("plain",)).get_content())

    def test_hr_mailing_carries_the_current_invitation(self):
        ev = self.event(title="Mailing drive")
        self.patch(ev, location="Chennai")
        self.mail(ev, "interviewers")

        def mine():
            out = []
            for m in self.mails_to(self.iv["user"]["email"], 1):
                c = calendar_of(m)
                if c and "Mailing drive" in str(vevent(c[1])["SUMMARY"]):
                    out.append(c)
            return out
        wait_for(lambda: len(mine()) >= 1, 30, "the mailing")
        method, cal = mine()[-1]
        e = vevent(cal)
        self.assertEqual((method, int(e["SEQUENCE"]), str(e["LOCATION"])),
                         ("REQUEST", 1, "Chennai"))

    def test_no_date_no_calendar(self):
        ev = self.event(title="Undated drive", start_date=None, end_date=None)
        c = self.register(ev)
        m, = self.mails_to(c["user"]["email"], 1)
        self.assertEqual(m.get_content_type(), "multipart/alternative")
        self.assertIsNone(calendar_of(m))
        # The other fields change nothing on the calendar, and mail nobody.
        self.patch(ev, description="More words.")
        self.assertEqual(self.stack.sql("SELECT calendar_seq FROM events WHERE id = :'v1'", ev),
                         [["0"]])


if __name__ == "__main__":
    main()
