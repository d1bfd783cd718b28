"""Data never becomes code: the one way values reach an inline script, and the middleware
that sends the Content-Security-Policy behind it (the policy itself is in settings).

Maps are the only pages with inline scripts (Folium writes its set-up code inline); those
scripts carry the request's nonce (templates/geodata/_map.html), and every value inside them
goes through `script_json`, so that no name, description or label can end the <script>
element early, open an HTML comment in it, or be read as code.

>>> script_json({"n": "</script><b>&"})
'{"n":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
>>> script_json("a\\u2028b\\u2029c")
'"a\\\\u2028b\\\\u2029c"'
>>> script_json(["Thôn Nà Pàn", "O'Brien"])
'["Thôn Nà Pàn","O\\\\u0027Brien"]'
"""
import json

from csp.middleware import CSPMiddleware

# <, > and & stop the HTML parser from seeing "</script", "<!--" or "<script" in the data
# (those end the element or switch it to the double-escaped state); U+2028 and U+2029 end a
# line in JavaScript before ES2019; the quote is escaped so the text also fits in an
# attribute. JSON.parse and the JS parser read every escape back to the same character.
_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026",
            ord("'"): "\\u0027", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def script_json(value) -> str:
    """JSON text of the value that is safe anywhere inside an HTML <script> element."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.translate(_ESCAPES)


class ConditionalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, except that a 304 Not Modified carries no policy.

    A browser merges the headers of a 304 into the response it kept, and uses the kept body.
    A fresh policy there would bring a fresh nonce (or none), which no longer matches the
    nonce in the kept page, and its map scripts would be blocked. Without the header the
    kept policy stays with the kept page it was made for."""

    def process_response(self, request, response):
        if response.status_code == 304:
            return response
        return super().process_response(request, response)
