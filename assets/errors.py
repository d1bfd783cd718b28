"""The one error the write services raise; entry points translate it, never re-decide it."""


class DomainError(Exception):
    """A write the rules refuse. `kind` says which answer an entry point gives:

    - FORBIDDEN: the role or the commune scope does not allow it (admin 403 page, API 403,
      import row refusal);
    - INVALID: the values break a rule (admin form error, API 400 naming the fields);
    - CONFLICT: the object is in a state that does not allow it (a retired asset, a printed
      plaque), API 409.
    `errors` maps field names to messages where the refusal is about fields.
    """

    FORBIDDEN = "forbidden"
    INVALID = "invalid"
    CONFLICT = "conflict"

    def __init__(self, message: str, *, kind: str = INVALID,
                 errors: dict[str, list[str]] | None = None):
        super().__init__(message)
        self.message = str(message)
        self.kind = kind
        self.errors = errors or {}

    @classmethod
    def forbidden(cls, message) -> "DomainError":
        return cls(message, kind=cls.FORBIDDEN)

    def as_dict(self) -> dict:
        """The JSON body an API answers with."""
        body = {"detail": self.message, "reason": self.kind}
        body.update({field: list(map(str, messages)) for field, messages in self.errors.items()})
        return body
