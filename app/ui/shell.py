"""Page set-up and the router: title, bundled CJK font, theme, navigation, one screen per route."""

from __future__ import annotations

import importlib
import os
from functools import cache
from pathlib import Path

import flet as ft

from app import resources
from app.bootstrap import build
from app.datadir import ENV_VAR, resolve_data_dir, use_app_storage_temp
from app.domain.errors import AppError
from app.i18n import Translator, describe_error, resolve_lang
from app.services import settings as device_settings
from app.services.context import Context
from app.ui import pairing, routes, web_guard
from app.ui.lock import LockGuard
from app.ui.session import UiSession
from app.ui.state import ViewState
from app.ui.widgets.common import hook

__all__ = ["context_for", "apply_theme", "start"]

# route name → the module under app/ui whose `build(ui, **params)` draws it
SCREENS = {"new": "new_inspection", "walk": "walkthrough", "hazard": "hazard_form"}
NAV = [  # section, icon, message key
    ("home", ft.Icons.HOME_OUTLINED, "ui_nav.home"),
    ("new", ft.Icons.ADD_TASK, "ui_nav.new"),
    ("ledger", ft.Icons.LIST_ALT, "ui_nav.ledger"),
    ("reports", ft.Icons.DESCRIPTION_OUTLINED, "ui_nav.reports"),
    ("sync", ft.Icons.SYNC, "ui_nav.sync"),
    ("settings", ft.Icons.SETTINGS_OUTLINED, "ui_nav.settings"),
]
assert tuple(s for s, _, _ in NAV) == routes.SECTIONS
LOCALES = {"zh-CN": ft.Locale("zh", "CN"), "en": ft.Locale("en", "US")}
SECTION_ROUTES = {"home": routes.home(), "new": routes.new(), "ledger": routes.ledger(), "reports": routes.reports(),
                  "sync": routes.sync(), "settings": routes.settings()}


def screen_builder(name: str):
    """The `build` of a route's screen module (imported on first use)."""
    return importlib.import_module(f"{__package__}.screens.{SCREENS.get(name, name)}").build


@cache
def context_for(data_dir: Path) -> Context:
    """One context per process and data directory: every browser tab shares it (and its lock)."""
    return build(data_dir)


def apply_theme(page: ft.Page) -> None:
    """Use the bundled CJK font everywhere: the web client would otherwise fetch Noto from a CDN."""
    page.fonts = {resources.FONT_FAMILY: resources.font_asset()}
    page.theme = ft.Theme(
        font_family=resources.FONT_FAMILY, color_scheme_seed=ft.Colors.RED_700,
        # A browser on a desktop OS makes Flutter pick compact density and shrink-wrapped tap targets:
        # icon buttons came out 40 px and segmented buttons 32 px. Standard density plus padding keeps
        # every tap target at least 48 px wherever the client runs (tests/ui/test_touch_targets_browser.py).
        visual_density=ft.VisualDensity.STANDARD,
        icon_button_theme=ft.IconButtonTheme(style=ft.ButtonStyle(padding=12)),
        segmented_button_theme=ft.SegmentedButtonTheme(
            style=ft.ButtonStyle(padding=ft.Padding.symmetric(horizontal=12, vertical=14))),
    )
    page.theme_mode = ft.ThemeMode.LIGHT


class Router:
    """Draws the screen named by `page.route` inside the navigation frame (rail when wide, bar when narrow)."""

    def __init__(self, ui: UiSession):
        self.ui = ui
        self.was_wide = ui.wide
        self.banner_text = ft.Text("", size=15, expand=True)
        self.banner_box = ft.Container(
            ft.Row([self.banner_text, ft.IconButton(ft.Icons.CLOSE, on_click=self._close_banner)]),
            padding=ft.Padding.only(left=12), border_radius=8,
        )
        self.banner = hook("message-banner", self.banner_box)
        self.banner.visible = False
        ui.render = self.render
        ui.banner = self.show_banner
        self.guard = LockGuard(ui)

    def show_banner(self, message: str, error: bool) -> None:
        self.banner_text.value = message
        self.banner_text.color = ft.Colors.RED_900 if error else ft.Colors.GREEN_900
        self.banner_box.bgcolor = ft.Colors.RED_50 if error else ft.Colors.GREEN_50
        self.banner.visible = True
        self.banner.identifier = "error-banner" if error else "message-banner"
        self.banner.label = message
        self.ui.page.update()   # the whole page: other changes the handler made go out with it

    def _close_banner(self, _e=None) -> None:
        self.banner.visible = False

    async def on_route_change(self, _e: ft.RouteChangeEvent) -> None:
        self.banner.visible = False
        self.render()

    def on_resize(self, _e) -> None:
        if self.ui.wide != self.was_wide:
            self.render()

    def _screen(self, route: routes.Route) -> ft.Control:
        try:
            return screen_builder(route.name)(self.ui, **route.params)
        except AppError as error:   # e.g. a link to an inspection that is not on this device
            return ft.Column([hook("error", ft.Text(describe_error(error, self.ui.lang), color=ft.Colors.RED_800))])

    def render(self) -> None:
        ui, page = self.ui, self.ui.page
        t = ui.t
        page.title = t("app.title")
        # Material's own words (date picker, text menus) follow the app's language
        page.locale_configuration = ft.LocaleConfiguration(
            supported_locales=[LOCALES["zh-CN"], LOCALES["en"]], current_locale=LOCALES[ui.lang])
        if self.guard.locked:   # the lock screen and nothing else in the page (app/ui/lock.py)
            page.views[0].padding = 0
            self.guard.draw(page.views[0])
            page.update()
            return
        route = routes.parse(page.route)
        ui.on_picked = None   # a photo chooser belongs to the screen that opened it
        self.was_wide = ui.wide
        body = ft.Column([self.banner, ft.Container(self._screen(route), expand=True)], expand=True, spacing=8)
        index = [section for section, _, _ in NAV].index(routes.section_of(page.route))
        view = page.views[0]
        view.route = page.route
        view.padding = 0
        if ui.wide:
            rail = ft.NavigationRail(
                selected_index=index, label_type=ft.NavigationRailLabelType.ALL, min_width=88,
                destinations=[
                    ft.NavigationRailDestination(icon=icon, label=hook(f"nav-{s}", ft.Text(t(key))))
                    for s, icon, key in NAV
                ],
                on_change=self._navigate,
            )
            view.navigation_bar = None
            view.controls = [ft.SafeArea(ft.Row(
                [rail, ft.VerticalDivider(width=1),
                 ft.Container(body, expand=True, padding=ft.Padding.symmetric(horizontal=20, vertical=16))],
                expand=True, vertical_alignment=ft.CrossAxisAlignment.STRETCH,
            ), expand=True)]
        else:
            view.navigation_bar = ft.NavigationBar(
                selected_index=index, on_change=self._navigate,
                destinations=[ft.NavigationBarDestination(icon=hook(f"nav-{s}", ft.Icon(icon), label=t(key)),
                                                          label=t(key)) for s, icon, key in NAV],
            )
            view.controls = [ft.SafeArea(ft.Container(body, expand=True, padding=12), expand=True)]
        page.update()

    async def _navigate(self, e: ft.Event) -> None:
        section = NAV[int(e.control.selected_index)][0]
        await self.ui.go(SECTION_ROUTES[section])


async def start(page: ft.Page) -> None:
    use_app_storage_temp()   # a built Android/iOS app has no /tmp
    state = ViewState(resolve_lang())
    t = Translator(state.lang)
    page.title = t("app.title")
    page.padding = 0
    apply_theme(page)
    try:
        ctx = context_for(resolve_data_dir(os.environ.get(ENV_VAR)))
    except AppError as error:   # no data directory, so no session or banner: the error is the page
        page.add(ft.Column([
            hook("app-title", ft.Text(t("app.title"), size=32, weight=ft.FontWeight.BOLD)),
            hook("error", ft.Text(describe_error(error, t.lang), color=ft.Colors.RED_800)),
        ]))
        return
    state.actor = device_settings.get_settings(ctx).inspector.name   # this tablet's inspector (Settings)
    kit, caller = pairing.active(), web_guard.current_caller()
    if kit is not None and caller is not None and caller.lan:   # a tablet on the field kit: paired first
        pairing.admit(page, ctx, state, kit, lambda: _open(page, ctx, state))
        return
    _open(page, ctx, state)


def _open(page: ft.Page, ctx: Context, state: ViewState) -> UiSession:
    """The app in this page: a session of screens, the router and the PIN lock."""
    ui = UiSession(page, ctx, state, ft.FilePicker())
    ui.client = web_guard.current_client()
    router = Router(ui)
    page.on_route_change = router.on_route_change
    page.on_resize = router.on_resize
    router.guard.start()
    router.render()
    return ui
