"""A page's links and forms as a browser without JavaScript sees them, so a test follows the
links a customer would and submits a form by the button a customer would press."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode


@dataclass
class Button:
    name: str
    value: str
    text: str = ""
    label: str = ""
    """Its aria-label, when it has one."""

    def called(self, words: str) -> bool:
        return words in (self.text, self.label, self.value)


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    """Hidden and pre-filled inputs and text areas, by name."""
    buttons: list[Button] = field(default_factory=list)

    def submit(self, button: Button | None = None, **typed: str
               ) -> tuple[str, str, dict[str, str]]:
        """(method, url, body) of pressing `button` (or the first) with `typed` filled in;
        a GET form's fields travel in the url."""
        chosen = button or (self.buttons[0] if self.buttons else None)
        values = {**self.fields, **typed}
        if chosen is not None and chosen.name:
            values[chosen.name] = chosen.value
        if self.method == "get":
            joiner = "&" if "?" in self.action else "?"
            return "get", f"{self.action}{joiner}{urlencode(values)}", {}
        return "post", self.action, values


@dataclass
class Link:
    href: str
    text: str


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.links: list[Link] = []
        self._button: Button | None = None
        self._link: Link | None = None
        self._textarea: str | None = None

    @classmethod
    def of(cls, html: str) -> Page:
        page = cls()
        page.feed(html)
        page.close()
        return page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: unescape(v or "") for k, v in attrs}
        if tag == "a" and "href" in found:
            self._link = Link(found["href"], "")
            self.links.append(self._link)
        elif tag == "form":
            self.forms.append(Form(found.get("action", ""), found.get("method", "get").lower()))
        elif tag == "input" and self.forms and "name" in found:
            if found.get("type") == "submit":
                self.forms[-1].buttons.append(Button(found["name"], found.get("value", ""),
                                                     found.get("value", "")))
            else:
                self.forms[-1].fields[found["name"]] = found.get("value", "")
        elif tag == "textarea" and self.forms and "name" in found:
            self._textarea = found["name"]
            self.forms[-1].fields[found["name"]] = ""
        elif tag == "button" and self.forms and found.get("type", "submit") == "submit":
            self._button = Button(found.get("name", ""), found.get("value", ""), "",
                                  found.get("aria-label", ""))

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.text += data
        if self._link is not None:
            self._link.text += data
        if self._textarea is not None and self.forms:
            self.forms[-1].fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "button" and self._button is not None and self.forms:
            self._button.text = " ".join(self._button.text.split())
            self.forms[-1].buttons.append(self._button)
            self._button = None
        elif tag == "a" and self._link is not None:
            self._link.text = " ".join(self._link.text.split())
            self._link = None
        elif tag == "textarea":
            self._textarea = None

    def form_with(self, words: str) -> tuple[Form, Button]:
        """The form holding the button called `words` (its text, aria-label or value)."""
        for form in self.forms:
            for button in form.buttons:
                if button.called(words):
                    return form, button
        raise AssertionError(f"no button {words!r} among "
                             f"{[b.text for f in self.forms for b in f.buttons]}")

    def link(self, words: str) -> str:
        """The address of the link whose text is `words`."""
        for link in self.links:
            if link.text == words:
                return link.href
        raise AssertionError(f"no link {words!r} among {[a.text for a in self.links]}")
