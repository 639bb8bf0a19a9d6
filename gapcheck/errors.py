"""Library exceptions. The CLI maps every GapcheckError to one line on stderr and exit code 2."""


class GapcheckError(Exception):
    """A problem with the user's input that they can fix (bad file, unknown law, bad checklist)."""


class InputError(GapcheckError):
    """The policy file cannot be read or is not a policy text."""


class ChecklistError(GapcheckError):
    """A checklist YAML is malformed or invalid; the message names file, item and field."""


class ProfileError(GapcheckError):
    """A business-profile YAML is malformed."""
