"""Sync: export a bundle for a peer, import bundles, and decide which devices to trust.

Getting a chosen file to the server depends on where the app runs:
- desktop window: the picker gives a path on this machine; the bundle is read from there;
- browser, served by `firesweep app`: the file is uploaded (`uploads`: HTTP PUT, signed URL) into
  the server's private upload folder, then imported from there and deleted. Reading it "with
  data" instead would send it inside one websocket message, which the server drops above 16 MB
  without a word, and bundles with photos are often larger;
- browser without an upload folder (another launcher): "with data", for files under that limit.
"""

from __future__ import annotations

import shutil
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import flet as ft

from app.domain.authority import DeviceStatus, TrustVia
from app.domain.errors import AppError
from app.i18n import describe_error
from app.services.bundle_transfer import export_bytes, this_device
from app.services.sync import ImportSummary, import_bundle, list_devices, set_device_status
from app.ui import uploads as upload_service
from app.ui.session import UiSession
from app.ui.widgets.common import MIN_TOUCH, action_button, bare_action_button, heading, hook, section_card
from app.ui.widgets.delivery import Busy, deliver

ALL = "*"
UPLOAD_TIMEOUT = 3600  # s: a bundle with a month of photos over a slow hospital Wi-Fi
DIRECT_LIMIT_MB = 16   # uvicorn's default websocket message limit: larger "with data" picks never arrive
Outcome = tuple[str, ImportSummary | AppError]   # file name, and what merged or why it was refused
# the last import's outcomes per session: a redraw (phone turned, language switched) keeps them on screen
_outcomes: weakref.WeakKeyDictionary[UiSession, list[Outcome]] = weakref.WeakKeyDictionary()


def _status(device: dict) -> str:
    if device.get("status") == DeviceStatus.REVOKED:
        return DeviceStatus.REVOKED.value
    return TrustVia.FIRST_USE.value if device.get("via") == TrustVia.FIRST_USE else DeviceStatus.TRUSTED.value


def build(ui: UiSession) -> ft.Control:
    t = ui.t
    width = min(ui.field_width, 420)
    board = _Devices(ui, ft.Dropdown(label=t("ui_sync.peer"), width=width, value=ALL))
    board.refresh()
    return ft.Column(
        [
            heading(t("ui_sync.title"), ident="screen-sync"),
            hook("this-device", ft.Text(t("ui_sync.this_device", device=this_device(ui.ctx)), size=14,
                                        selectable=True)),
            _export_section(ui, board.peer, width),
            _import_section(ui, board),
            section_card("section-devices", t("ui_sync.devices_title"), t("ui_sync.devices_explain"),
                         [board.column]),
        ],
        spacing=12, scroll=ft.ScrollMode.AUTO, expand=True, horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


# ---- devices (also the peers an export can be addressed to) ------------------------------------------

@dataclass
class _Devices:
    """The device list and the export's peer dropdown, both drawn again from the store after a change;
    `asking` holds the one status change waiting for the user's confirmation (device id → status)."""

    ui: UiSession
    peer: ft.Dropdown
    column: ft.Column = field(
        default_factory=lambda: ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH))
    asking: dict[str, str] = field(default_factory=dict)

    def refresh(self) -> None:
        t = self.ui.t
        devices = list_devices(self.ui.ctx)
        self.column.controls = [_device_row(self, n, d) for n, d in enumerate(devices)] or [
            ft.Text(t("ui_sync.no_devices"), size=14)]
        self.peer.options = [ft.DropdownOption(key=ALL, text=t("ui_sync.peer_all"))] + [
            ft.DropdownOption(key=d["id"], text=t("ui_sync.peer_device", device=d["id"][:12]))
            for d in devices if d.get("status") != DeviceStatus.REVOKED]
        if self.peer.value not in {o.key for o in self.peer.options}:
            self.peer.value = ALL

    def ask(self, device_id: str, status: str | None) -> None:
        self.asking.clear()
        if status:
            self.asking[device_id] = status
        self.refresh()
        self.ui.page.update()

    def apply(self, device_id: str, status: str) -> None:
        ui, t = self.ui, self.ui.t
        self.asking.clear()
        try:
            set_device_status(ui.ctx, device_id, status)
        except AppError as error:   # e.g. the data directory is busy: nothing changed
            # not `ui.attempt`: the list is redrawn first, so the banner's page update carries it
            self.refresh()
            ui.error(error)
            return
        self.refresh()
        ui.info(t("ui_sync.device_changed", device=device_id, status=t(f"ui_sync.status_{status}")))


def _confirmation(board: _Devices, device_id: str, status: str) -> ft.Control:
    """Asked in place, under the device: a tablet user sees what the answer applies to."""
    t = board.ui.t
    revoke = status == "revoked"
    question = "ui_sync.confirm_revoke" if revoke else "ui_sync.confirm_trust"
    return ft.Container(ft.Column([
        hook("confirm-text", ft.Text(t(question, device=device_id), size=15,
                                     color=ft.Colors.RED_900 if revoke else ft.Colors.ON_SURFACE)),
        ft.Row([
            action_button(t("ui_common.cancel"), None, lambda _e: board.ask(device_id, None), "confirm-cancel",
                          filled=False),
            action_button(t("ui_sync.confirm"), ft.Icons.CHECK, lambda _e: board.apply(device_id, status),
                          "confirm-ok"),
        ], wrap=True, spacing=8, run_spacing=8),
    ], spacing=8), padding=12, border_radius=8, bgcolor=ft.Colors.RED_50 if revoke else ft.Colors.AMBER_50)


def _device_row(board: _Devices, n: int, device: dict) -> ft.Control:
    t = board.ui.t
    status = _status(device)
    label = t(f"ui_sync.status_{status}")
    buttons = []
    if status != "revoked":
        buttons.append(action_button(t("ui_sync.revoke"), ft.Icons.BLOCK,
                                     lambda _e, d=device["id"]: board.ask(d, "revoked"), f"revoke-{n}", filled=False))
    if status != "trusted":
        buttons.append(action_button(t("ui_sync.trust"), ft.Icons.VERIFIED_USER,
                                     lambda _e, d=device["id"]: board.ask(d, "trusted"), f"trust-{n}", filled=False))
    pending = board.asking.get(device["id"])
    colour = {"revoked": ft.Colors.RED_800, "first_use": ft.Colors.AMBER_900}.get(status, ft.Colors.GREEN_800)
    return hook(f"device-{n}", ft.Container(ft.Column([
        ft.Text(device["id"], size=14, selectable=True, weight=ft.FontWeight.W_500),
        ft.Row([ft.Text(label, size=14, color=colour, weight=ft.FontWeight.BOLD),
                ft.Text(t("ui_sync.device_since", since=device.get("first_seen", "")[:10]), size=13,
                        color=ft.Colors.ON_SURFACE_VARIANT)], wrap=True, spacing=12),
        _confirmation(board, device["id"], pending) if pending
        else ft.Row(buttons, wrap=True, spacing=8, run_spacing=8),
    ], spacing=6), padding=12, border_radius=8, bgcolor=ft.Colors.SURFACE), label=f"{device['id']} {label}")


# ---- export --------------------------------------------------------------------------------------------

def _export_section(ui: UiSession, peer: ft.Dropdown, width: float) -> ft.Control:
    t = ui.t
    photos = ft.Switch(label=t("ui_sync.with_photos"), value=True, height=MIN_TOUCH)   # a 48 px tap target
    export_unit = ft.Dropdown(
        label=t("ui_sync.unit"), width=width, value=ALL, enable_filter=True, editable=True,
        options=[ft.DropdownOption(key=ALL, text=t("ui_sync.all_units"))] + [
            ft.DropdownOption(key=u.code, text=f"{u.code} {u.name(ui.lang)}") for u in ui.catalog.units.units],
    )
    export_busy = Busy("export-busy")

    async def export(_e) -> None:
        export_button.disabled = True
        export_busy.start(t("ui_sync.exporting"), determinate=True)
        ui.page.update()
        to = "" if peer.value in (None, ALL) else peer.value
        try:
            made = await ui.attempt_slow(export_bytes, ui.ctx, to=to, full=not to, photos=bool(photos.value),
                                         unit=None if export_unit.value in (None, ALL) else export_unit.value,
                                         progress=export_busy.reporter())
        finally:
            export_busy.stop()
            export_button.disabled = False
            ui.page.update()
        if not made:
            return
        bundle = made.value
        await deliver(ui, bundle.name, bundle.content, t("ui_sync.export_title"))
        ui.info(t("ui_sync.exported", name=bundle.name, records=bundle.records, files=bundle.summary.files))

    export_button = bare_action_button(t("ui_sync.export"), ft.Icons.UPLOAD_FILE, export)
    return section_card("section-export", t("ui_sync.export_title"), t("ui_sync.export_explain"), [
        hook("export-peer", peer), hook("export-unit", export_unit), hook("export-photos", photos),
        export_busy.control, hook("export-bundle", export_button),
    ])


# ---- import --------------------------------------------------------------------------------------------

def _import_section(ui: UiSession, board: _Devices) -> ft.Control:
    t = ui.t
    results = ft.Column(spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)
    import_busy = Busy("import-busy")
    uploads = upload_service.upload_dir() if ui.page.web else None
    with_data = ui.page.web and uploads is None

    async def picked(files: list[ft.FilePickerFile]) -> None:
        results.controls = []
        outcomes: list[Outcome] = []
        _outcomes[ui] = outcomes
        for file in files:
            path, tidy = await _receive(ui, file, uploads, import_busy)
            if path is None:
                continue
            import_busy.start(t("ui_sync.importing", name=file.name), determinate=True)
            ui.page.update()
            result: ImportSummary | AppError
            try:
                result = await ui.slow(import_bundle, ui.ctx, path, progress=import_busy.reporter())
            except AppError as refused:   # BundleRejected, or a store problem: nothing was merged
                # not `ui.attempt`: the refusal is kept, listed under the file and shown again on a redraw
                result = refused
            finally:
                tidy()
                import_busy.stop()
            outcomes.append((file.name, result))
            results.controls.append(_result_line(ui, len(results.controls), file.name, result))
            if isinstance(result, AppError):
                ui.error(result)
        board.refresh()
        ui.page.update()

    ui.on_picked = picked
    results.controls = [_result_line(ui, n, *outcome) for n, outcome in enumerate(_outcomes.get(ui, []))]
    pick = hook("import-bundles", ft.Button(
        content=t("ui_sync.pick"), icon=ft.Icons.FILE_OPEN, height=48,
        # opened inside the tap itself: Safari refuses a chooser opened later (see hazard_form)
        action=ft.PickFiles(ui.picker, allow_multiple=True, with_data=with_data,
                            dialog_title=t("ui_sync.import_title"), cancel_upload_on_window_blur=False),
    ))
    return section_card("section-import", t("ui_sync.import_title"), t("ui_sync.import_explain"),
                        [pick, import_busy.control, results])


def _upload_progress(ui: UiSession, busy: Busy, name: str) -> Callable[[float], None]:
    def show(fraction: float) -> None:
        busy.start(ui.t("ui_sync.uploading", name=name, percent=int(fraction * 100)), determinate=True)
        busy.bar.value = fraction
        ui.page.update()
    return show


async def _receive(ui: UiSession, file: ft.FilePickerFile, uploads: Path | None,
                   busy: Busy) -> tuple[Path | None, Callable[[], None]]:
    """Where the chosen file can be read on this machine, and how to tidy up after."""
    t = ui.t
    if file.path:                                   # desktop: the file itself
        return Path(file.path), lambda: None
    if uploads is not None:
        where = await upload_service.upload(ui, file, uploads, UPLOAD_TIMEOUT, _upload_progress(ui, busy, file.name))
        if isinstance(where, Path):
            return where, lambda: shutil.rmtree(where.parent, ignore_errors=True)
        ui.error(t("ui_sync.upload_failed", name=file.name, error=where))
        return None, lambda: None
    if file.bytes is None:
        ui.error(t("ui_sync.no_upload", name=file.name, limit=DIRECT_LIMIT_MB))
        return None, lambda: None
    folder = Path(tempfile.mkdtemp(prefix="firesweep-import-"))
    target = folder / upload_service.safe_name(file.name, "bundle.fsb")
    target.write_bytes(file.bytes)
    return target, lambda: shutil.rmtree(folder, ignore_errors=True)


def _result_line(ui: UiSession, n: int, name: str, result: ImportSummary | AppError) -> ft.Control:
    t = ui.t
    lines: list[ft.Control]
    if isinstance(result, AppError):
        text = describe_error(result, ui.lang)
        lines = [ft.Text(text, size=14, color=ft.Colors.RED_800)]
        icon, colour = ft.Icons.ERROR_OUTLINE, ft.Colors.RED_800
    else:
        summary = result
        text = t("ui_sync.result_ok", name=name, new=summary.new, updated=summary.updated,
                 unchanged=summary.unchanged, conflicts=len(summary.conflicts), files=summary.files_added)
        lines = [ft.Text(text, size=14)]
        if summary.ignored:
            lines.append(ft.Text(t("ui_sync.result_ignored", count=summary.ignored), size=13))
        if summary.trusted_new_device:
            lines.append(ft.Text(t("ui_sync.trusted_first_use", device=summary.device), size=13,
                                 color=ft.Colors.AMBER_900))
        lines += [ft.Text(t("sync.conflict", hazard=c.hazard_id[:8], local=t(f"status.{c.local_status}"),
                            incoming=t(f"status.{c.incoming_status}"), kept=t(f"status.{c.kept_status}")),
                          size=13, color=ft.Colors.DEEP_ORANGE_800) for c in summary.conflicts]
        icon, colour = ft.Icons.TASK_ALT, ft.Colors.GREEN_700
    return hook(f"import-result-{n}", ft.Container(
        ft.Row([ft.Icon(icon, color=colour), ft.Column(lines, spacing=4, expand=True)],
               vertical_alignment=ft.CrossAxisAlignment.START),
        padding=12, border_radius=8, bgcolor=ft.Colors.SURFACE,
    ), label=text)
