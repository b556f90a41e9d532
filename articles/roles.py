"""The newsroom's roles. Each is a Django group created by migration 0003_roles; what a role
may do to a given edition is decided in articles/workflow.py."""

REPORTER = "Reporter"
TRANSLATOR = "Translator"
EDITOR = "Editor"
EDITOR_IN_CHIEF = "Editor-in-chief"

ROLES = [REPORTER, TRANSLATOR, EDITOR, EDITOR_IN_CHIEF]
