"""Driving Wagtail's page editor as a person does: the "+" of a StreamField, the block
menu, typing in fields and in Draftail, choosers, the publish menu.

Each helper clicks and types; none posts a form or writes to the database.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def block_add(page: Page, field: str, label: str) -> str:
    """Append a block of type ``label`` to the StreamField ``field``; its id prefix."""
    count = int(page.locator(f"input[name='{field}-count']").input_value())
    page.locator(f"[data-contentpath='{field}'] button.c-sf-add-button").last.click()
    option = page.get_by_role("option", name=label, exact=True)
    # A stream of one block type adds it straight away, without a menu.
    if option.count():
        option.click()
    prefix = f"{field}-{count}-value"
    expect(page.locator(f"input[name='{field}-{count}-type']")).to_have_count(1)
    return prefix


def rich_text_type(page: Page, hidden_input_id: str, text: str) -> None:
    """Type into the Draftail editor whose hidden input has this id."""
    editor = page.locator(f"#{hidden_input_id}").locator(
        "xpath=ancestor::*[contains(@class,'Draftail-Editor')][1] | "
        "following-sibling::*[contains(@class,'Draftail-Editor')][1] | "
        "preceding-sibling::*[contains(@class,'Draftail-Editor')][1]"
    )
    if not editor.count():
        editor = page.locator(f"#{hidden_input_id}").locator("xpath=..")
    box = editor.locator("[contenteditable=true]").first
    box.click()
    expect(box).to_be_focused()
    page.keyboard.type(text)
    expect(box).to_contain_text(text)
    # Draftail writes to its hidden input a moment later; a form sent before then
    # would carry an empty paragraph.
    expect(page.locator(f"#{hidden_input_id}")).to_have_value(re.compile(re.escape(text[-12:])))


def chooser_pick(page: Page, button_text: str, item_text: str, *, scope=None) -> None:
    """Open a chooser (image, document, page) and pick ``item_text`` in its modal."""
    (scope or page).get_by_role("button", name=button_text).last.click()
    modal = page.locator(".modal-dialog, [role=dialog]").last
    expect(modal).to_be_visible()
    modal.get_by_text(item_text, exact=False).first.click()
    expect(page.locator(".modal-dialog")).to_have_count(0, timeout=10_000)


def table_fill(page: Page, prefix: str, columns: list[tuple[str, str]], rows: list[list[str]]):
    """Fill a TypedTableBlock: ``columns`` are (type label, heading), ``rows`` the cells."""
    block = page.locator(f"#{prefix}-caption").locator(
        "xpath=ancestor::*[contains(@class,'typed-table-block')][1]"
    )
    scope = block if block.count() else page
    for type_label, heading in columns:
        scope.get_by_role("button", name="Add column").last.click()
        page.get_by_role("button", name=type_label, exact=True).last.click()
        page.locator(f"input[name^='{prefix}-column-'][name$='-heading']").last.fill(heading)
    for _row in range(len(rows) - len(_cells(page, prefix)) // max(len(columns), 1)):
        scope.get_by_role("button", name="Add row").last.click()
    cells = _cells(page, prefix)
    values = [value for row in rows for value in row]
    assert len(cells) >= len(values), f"table has {len(cells)} cells for {len(values)} values"
    for name, value in zip(cells, values, strict=False):
        cell = page.locator(f"[name='{name}']")
        if cell.get_attribute("type") == "hidden":  # a rich-text cell
            rich_text_type(page, cell.get_attribute("id"), value)
        else:
            cell.fill(value)


def _cells(page: Page, prefix: str) -> list[str]:
    names = page.locator(f"[name^='{prefix}-cell-']").evaluate_all("els => els.map(e => e.name)")

    def key(name: str) -> tuple[int, int]:
        # Sort row by row whatever the field naming (cell-<row>-<column>).
        row, column = (int(n) for n in re.findall(r"\d+", name.split("-cell-")[1])[:2])
        return row, column

    return sorted(names, key=key)


def autosave_allow(page: Page) -> None:
    """Wagtail 8 autosaves the editor's form every half second; while a block is half
    filled (a required field still empty) the autosave answers 400 with the form's
    errors, by design. Those answers, and only on the page editor, are not failures."""
    page.watch.allow(400, "/edit/")
    page.watch.allow(400, "/admin/pages/add/")


def date_fill(page: Page, selector: str, value: str) -> None:
    """Type a date(time) and close the picker, which would cover the buttons below."""
    page.fill(selector, value)
    page.keyboard.press("Escape")


def publish(page: Page) -> None:
    """Open the footer's action menu and publish; wait for Wagtail's confirmation."""
    # By keyboard, as many editors do: a date picker left open over the footer cannot
    # swallow a key press the way it swallows a click.
    toggle = page.locator("footer [data-w-dropdown-target=toggle]").first
    toggle.focus()
    page.keyboard.press("Enter")
    button = page.get_by_role("button", name=re.compile(r"^\s*Publish\s*$"))
    expect(button).to_be_visible()
    button.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    errors = page.locator(".error-message").evaluate_all(
        "els => els.filter(e => e.innerText.trim()).map(e => "
        "(e.closest('[data-contentpath]')?.dataset.contentpath || '?') "
        "+ ': ' + e.innerText.trim().slice(0, 120))"
    )
    assert not errors, f"Wagtail refused to publish: {errors}"
    expect(page.locator(".messages")).to_contain_text(re.compile(r"published", re.I))


def save_draft(page: Page) -> None:
    page.get_by_role("button", name=re.compile(r"Save draft")).first.click()
    expect(page.locator(".messages")).to_contain_text(re.compile(r"(created|updated)", re.I))
