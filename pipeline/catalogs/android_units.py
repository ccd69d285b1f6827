"""Android resources as units where translate-toolkit does not name them apart.

AOSP's `product` variants (`<string name="x" product="tablet">` beside `product="default"`)
share a name: their key is `name[product=tablet]`.

`<string-array>` items, which the toolkit does not read (its issue #3225): each `<item>` of
a translatable array is a unit keyed `name[index]` (an Android resource name cannot hold a
bracket, so no key is taken). Items that are resource references (`@string/...`,
`?attr/...`) or marked `translatable="false"` are copied as they are. An array is written
whole or not at all: the app indexes into it, so a translated array with an item missing
would be shorter than the code expects; an array whose item was left for review stays as it
was (or out of a new file, so the app uses values/).
"""

from __future__ import annotations

import copy
import re
from typing import Any

from lxml import etree
from translate.storage.aresource import AndroidResourceUnit

ARRAY = "string-array"
_KEY = re.compile(r"^(?P<name>[^\[\]]+)\[(?P<index>\d+)\]$")


def resource_key(element: Any) -> str | None:
    """A `<string>` or `<plurals>`' key: its name, and its product when it has one."""
    name, product = element.get("name"), element.get("product")
    return f"{name}[product={product}]" if name and product else name


class ResourceUnit(AndroidResourceUnit):
    """A `<string>` or `<plurals>`, keyed by `resource_key`."""

    def getid(self) -> str | None:
        return resource_key(self.xmlelement)


class ArrayItemUnit(AndroidResourceUnit):
    """One `<item>` of a `<string-array>`, read and written as the toolkit does a `<string>`
    (the same escapes: apostrophes, `\\n`, `\\u` sequences, markup)."""

    SINGULAR_TAG = "item"  # the toolkit re-tags a unit's element to this when it sets text
    PLURAL_TAG = "\x00"  # an item is never a plural

    def getid(self) -> str | None:
        array = self.xmlelement.getparent()
        if array is None:
            return None
        index = list(array.iterchildren("item")).index(self.xmlelement)
        return f"{array.get('name')}[{index}]"

    def getcontext(self) -> str | None:
        return self.getid()

    def istranslatable(self) -> bool:
        array = self.xmlelement.getparent()
        text = (self.xmlelement.text or "").strip()
        return (array is not None and array.get("translatable") != "false"
                and self.xmlelement.get("translatable") != "false"
                and not text.startswith(("@", "?")))

    def getnotes(self, origin: str | None = None) -> str:
        """The array's own comment (the one before `<string-array>`), and where the item
        is, so the model knows it is one entry of a list."""
        array = self.xmlelement.getparent()
        items = list(array.iterchildren("item")) if array is not None else []
        comments = []
        node = array.getprevious() if array is not None else None
        while node is not None and isinstance(node, etree._Comment):
            comments.insert(0, (node.text or "").strip())
            node = node.getprevious()
        where = (f"item {items.index(self.xmlelement) + 1} of the {len(items)} of the list "
                 f"{array.get('name')}") if array is not None else ""
        return "\n".join(filter(None, [*comments, where]))


def add_array_items(store: Any) -> None:
    """Give the store a unit for every item of every named `<string-array>`, in file order."""
    root = store.document.getroot()
    by_element = {unit.xmlelement: unit for unit in store.units}
    ordered: list[Any] = []
    for child in root.iterchildren():
        if child.tag == ARRAY and child.get("name"):
            ordered += [ArrayItemUnit(None, xmlelement=item)
                        for item in child.iterchildren("item")]
        elif child in by_element:
            ordered.append(by_element.pop(child))
    ordered += by_element.values()
    store.units = []
    for unit in ordered:
        store.addunit(unit, new=False)


def array_of(key: str) -> str | None:
    """The array an item's key names (None: the key is not an array item's)."""
    match = _KEY.match(key)
    return match["name"] if match else None


def find_array(store: Any, name: str) -> Any:
    for element in store.document.getroot().iterchildren(ARRAY):
        if element.get("name") == name:
            return element
    return None


def fill_array(store: Any, source_store: Any, name: str) -> dict[str, ArrayItemUnit]:
    """Make the target's array as long as the source's: a missing array is copied from the
    source (laid out like the elements before it), missing items are appended to a shorter
    one. The items' units, by key, for their translations to be set."""
    source_array = find_array(source_store, name)
    target_array = find_array(store, name)
    root = store.document.getroot()
    if target_array is None:
        target_array = copy.deepcopy(source_array)
        last = root[-1] if len(root) else None
        between = root[-2].tail if last is not None and len(root) > 1 else None
        root.append(target_array)
        if last is not None and between is not None and not between.strip():
            target_array.tail, last.tail = last.tail, between
    else:
        have = list(target_array.iterchildren("item"))
        wanted = list(source_array.iterchildren("item"))
        for item in wanted[len(have):]:
            added = copy.deepcopy(item)
            if have:  # laid out like the items before it
                between = have[-2].tail if len(have) > 1 else target_array.text
                added.tail, have[-1].tail = have[-1].tail, between
            target_array.append(added)
            have.append(added)
    units = [ArrayItemUnit(None, xmlelement=item) for item in target_array.iterchildren("item")]
    return {str(unit.getid()): unit for unit in units}


def array_length_problems(data: bytes, source_store: Any, names: set[str]) -> list[str]:
    """Each array written, read back by lxml, has as many items as the source's."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False))
    written = {a.get("name"): len(list(a.iterchildren("item"))) for a in root.iter(ARRAY)}
    problems = []
    for name in sorted(names):
        want = len(list(find_array(source_store, name).iterchildren("item")))
        if written.get(name) != want:
            problems.append(f'<string-array name="{name}"> has {written.get(name, 0)} items, '
                            f"not the {want} of the source")
    return problems
