"""Other platforms send comments as a little HTML (old blogs' exports, replies from the
fediverse); sitrep stores what the commenter wrote in its Markdown subset. This turns the one
into the other, so those comments render (bare links linked, quotes and line breaks kept) and
sanitize exactly like new ones."""

from __future__ import annotations

import lxml.html

MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}


def html_to_markdown(html: str) -> str:
    root = lxml.html.fragment_fromstring(html or "", create_parent="div")
    parts: list[str] = []

    def walk(element):
        if element.text:
            parts.append(element.text)
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                parts.append("\n")
            elif tag == "a" and child.get("href"):
                label = child.text_content().strip()
                href = child.get("href")
                parts.append(href if label in ("", href) else f"[{label}]({href})")
            elif tag in MARKS:
                inner = child.text_content()
                parts.append(f"{MARKS[tag]}{inner}{MARKS[tag]}" if inner.strip() else inner)
            elif tag == "blockquote":
                quoted = child.text_content().strip().splitlines()
                parts.append("\n\n" + "\n".join(f"> {q}" for q in quoted) + "\n\n")
            elif tag in {"p", "div"}:
                parts.append("\n\n")
                walk(child)
                parts.append("\n\n")
            elif tag in {"script", "style"}:
                pass  # never content, on any platform
            elif tag:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(root)
    text = "".join(parts).replace("\r\n", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip()
