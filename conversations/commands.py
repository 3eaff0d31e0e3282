"""The commands residents see in the menu, with descriptions to translate."""

from __future__ import annotations

from conversations.messages import Command
from locales import N_

COMMANDS = (
    Command("start", N_("start, or continue where you were")),
    Command("mine", N_("see your messages")),
    Command("language", N_("choose your language")),
    Command("settings", N_("language, neighbourhood and invitations")),
    Command("mydata", N_("see everything we keep about you")),
    Command("forget", N_("delete everything about you")),
    Command("cancel", N_("stop what you are doing")),
    Command("help", N_("what this chat does")),
)

# Shown only to community workers and the team, on top of the residents' commands.
WORKER_COMMANDS = (
    Command("review", N_("review messages: set topics, hide abuse")),
    Command("newevent", N_("invite residents to an activity")),
    Command("broadcast", N_("send an announcement to residents")),
    Command("events", N_("coming activities: answers, cancel, who came")),
)
# Shown only to the programme team.
TEAM_COMMANDS = (
    Command("report", N_("the last 30 days as a report (add a neighbourhood)")),
    Command("invitecode", N_("a one-time code for a new colleague")),
    Command("roles", N_("who has a role; take one away")),
)
