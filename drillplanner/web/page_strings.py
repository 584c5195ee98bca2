"""Every user-visible string of the phone page (web/static/page.js), by the key the page uses.

The server sends each text translated into both languages in the page's boot data, so a
teacher can switch language on the playground without another request. Placeholders in
braces are filled in by the page; keep them when translating.
"""

from __future__ import annotations

from drillplanner.i18n import N_

STRINGS: dict[str, str] = {
    "page_title": N_("Drill headcount"),
    # The language's own name, shown on the button that switches to it: translators write
    # the name of their language in that language.
    "language_name": N_("English"),
    "switch_language": N_("Switch language"),
    "loading": N_("Loading…"),
    "tab_class": N_("My class"),
    "tab_grade": N_("Grade"),
    # Sign-in
    "sign_in_title": N_("Sign in"),
    "sign_in_hint": N_("This school reports headcounts with an account. Sign in with your "
                       "drillplanner login."),
    "login": N_("Login"),
    "password": N_("Password"),
    "sign_in": N_("Sign in"),
    "signing_in": N_("Signing in…"),
    "sign_out": N_("Sign out"),
    "signed_in_as": N_("Signed in as {name}"),
    # Choosing the class
    "choose_class": N_("Choose your class"),
    "choose_class_hint": N_("Tap your class to report its headcount."),
    "all_classes": N_("‹ All classes"),
    "no_classes": N_("There is no class for you to report in this drill."),
    "state_not_reported": N_("Not reported"),
    "state_reported": N_("Reported"),
    "state_verified": N_("Verified"),
    "waiting": N_("Waiting to send"),
    "present_of": N_("{present} of {enrolled} here"),
    # The entry form
    "present": N_("Present"),
    "present_hint": N_("Students with you now (injured ones too)"),
    "absent": N_("Absent today"),
    "absent_hint": N_("Not at school today: leave, sick"),
    "missing": N_("Missing"),
    "missing_hint": N_("Were at school today but are not here"),
    "missing_names": N_("Names of the missing students"),
    "missing_names_hint": N_("One name per line, or separated by commas"),
    "injured": N_("Injured"),
    "injured_hint": N_("Counted among the present"),
    "decrease": N_("One less"),
    "increase": N_("One more"),
    "note": N_("Note (optional)"),
    "your_name": N_("Your name (optional)"),
    "enter_number": N_("Enter a whole number."),
    "roll_rule": N_("On roll {enrolled}: present + absent + missing must equal {enrolled}."),
    "roll_ok": N_("On roll {enrolled}: {present} + {absent} + {missing} = {enrolled} ✓"),
    "roll_short": N_("Now {present} + {absent} + {missing} = {total}, {diff} short."),
    "roll_over": N_("Now {present} + {absent} + {missing} = {total}, {diff} too many."),
    "on_roll": N_("On roll"),
    "absent_short": N_("Absent"),
    "send": N_("Send"),
    "sending": N_("Sending…"),
    "send_correction": N_("Send a correction"),
    "correction_hint": N_("Already reported. Change the figures and send them to correct "
                          "the report."),
    "reported_at": N_("Reported at {time}"),
    # After sending
    "received": N_("Received"),
    "duplicate": N_("This report had already arrived; it is counted once."),
    "saved_here": N_("Saved on this phone"),
    "saved_here_hint": N_("Not sent yet: it goes out by itself when the connection is back. "
                          "Keep this page open."),
    "another_class": N_("Report another class"),
    "missing_names_are": N_("Missing: {names}"),
    "missing_count": N_("{missing} missing"),
    # Connection
    "pending_banner": N_("Saved on this phone — will send when the connection is back "
                         "({count} waiting)"),
    "stale_banner": N_("No connection — figures as of {time}."),
    "no_connection": N_("No connection to the school computer."),
    "error_status": N_("The school computer answered with an error ({status}). Try again."),
    "closed_generic": N_("This drill is over. Thank you."),
    "back": N_("Back"),
    # Grade view
    "grade_title": N_("Classes by grade"),
    "whole_school": N_("Whole school"),
    "reported_count": N_("{reported} of {classes} classes reported"),
    "grade_count": N_("{reported} of {classes} reported · {verified} verified"),
    "verify": N_("Verify"),
    "verifying": N_("Verifying the report…"),
    "verify_offline": N_("No connection: not verified. Try again."),
}
