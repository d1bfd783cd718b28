"""The API's JSON parser: DRF's, with a document nested past what Python's json module can
descend refused as malformed (400 with a message), where DRF let the RecursionError out as a
500. A thousand "[" in a row are enough."""
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONBodyParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) \
                from None
